import Foundation
import Imaging
import Inference

/// The acute-stroke model on a brain MR study: the three sequences it reads (DWI at high b-value,
/// ADC, FLAIR) are found by acquisition attributes, brought onto the DWI grid, normalised as the
/// card says, and read slice by slice. Its heatmap gives the infarcts (volume, extent), each with
/// an estimated territory and the study's DWI–FLAIR mismatch call.
///
/// Input per DWI slice (card `preprocessing`): channel 0 = DWI / its volume's reference intensity,
/// 1 = ADC (10⁻⁶ mm²/s) / 1000, 2 = FLAIR / its reference (`MRIntensityReference`, computed on each
/// series as stored), each resampled to the model's matrix and clipped to 0…4.
enum StrokeStudyAnalysis {
    static let sequences: [MRSequenceKind] = [.dwi, .adc, .flair]

    static func run(series matching: [StudyIndex.Series], entry: ModelCatalog.Entry, rule: StrokeRule,
                    brainMask: ModelCatalog.Entry? = nil, ood headerOOD: [String], options: StudyAnalysis.Options, run: StudyAnalysis.Run,
                    progress: (Double) -> Void, isCancelled: () -> Bool) throws -> StudyAnalysis.RunOutput {
        let (found, warnings) = MRSequenceVolumes.load(matching, kinds: Set(sequences + [.t1]))
        let stacks = try found.require(sequences)
        let (dwi, adc, flair) = (stacks[0], stacks[1], stacks[2])
        var run = run
        run.seriesInstanceUID = dwi.seriesInstanceUID
        run.warnings = warnings
        guard entry.card.preprocessing.channels == 3 else { throw VolumeAnalyzer.Problem.card("a stroke model reads 3 channels (DWI, ADC, FLAIR)") }
        let size = entry.card.preprocessing.resampleSize
        guard size.count == 2, size[0] > 0, size[1] > 0, size[0] <= 1024, size[1] <= 1024 else {
            throw VolumeAnalyzer.Problem.card("resample_size must be [rows, columns]")
        }
        let (mh, mw) = (size[0], size[1])
        let target = dwi.volume
        guard let dwiRef = MRIntensityReference.reference(target.voxels),
              let flairRef = MRIntensityReference.reference(flair.volume.voxels) else {
            throw MRSequenceVolumes.Problem.unusable(.dwi, "the DWI or FLAIR volume has no signal")
        }
        if isCancelled() { throw ONNXError.cancelled }
        let adcOnDWI = SequenceResampling.resample(adc.volume, onto: target)
        let flairOnDWI = SequenceResampling.resample(flair.volume, onto: target)
        // The three normalised channels of every slice at the model's matrix, prepared once.
        let plane = mh * mw, sourcePlane = target.columns * target.rows
        func channel(_ values: [Float], _ z: Int, scale: Float) -> [Float] {
            let slice = values[z * sourcePlane ..< (z + 1) * sourcePlane].map { min(max($0 / scale, 0), 4) }
            return VolumeAnalyzer.resample(Array(slice), width: target.columns, height: target.rows, toWidth: mw, toHeight: mh)
        }
        var prepared = [Float](repeating: 0, count: target.slices * 3 * plane)
        for z in 0 ..< target.slices {
            let base = z * 3 * plane
            for (c, values) in [channel(target.voxels, z, scale: Float(dwiRef)), channel(adcOnDWI, z, scale: 1000),
                                channel(flairOnDWI, z, scale: Float(flairRef))].enumerated() {
                prepared.replaceSubrange(base + c * plane ..< base + (c + 1) * plane, with: values)
            }
        }
        let inputs = prepared
        let models = try VolumeAnalyzer.instances(of: entry.url)
        let analyzer = VolumeAnalyzer(model: models[0], card: entry.card, additionalModels: Array(models.dropFirst()),
                                      featureOutput: entry.trust.detector?.featureOutput)
        let grid = try analyzer.modelGrid(slices: target.slices, channels: 3, progress: progress, isCancelled: isCancelled) { z, input in
            input.replaceSubrange(0 ..< 3 * plane, with: inputs[z * 3 * plane ..< (z + 1) * 3 * plane])
        }
        if let detector = entry.trust.detector {
            guard let features = grid.sliceFeatures else { throw VolumeAnalyzer.Problem.card("the model has no '\(detector.featureOutput)' output its card's ood_detector reads") }
            run.record(detector.assess(features.compactMap { detector.distance($0) }))
        }

        var extractor = VolumeFindingExtractor(kind: .acuteInfarct, threshold: options.threshold ?? 0.5,
                                               minimumVolumeML: rule.minimumVolumeML, model: entry.reference,
                                               ood: !headerOOD.isEmpty)
        extractor.rule = entry.details.candidates
        extractor.measurementThreshold = rule.pixelThreshold
        var findings = extractor.findings(volume: target, grid: grid)

        // Infarcts stay inside the brain: a brain mask from the T1 (deepbet) when both are here.
        if let maskEntry = brainMask, !maskEntry.verified {
            run.warnings.append("brain mask \(maskEntry.card.id) not run: the sha256 of \(maskEntry.url.lastPathComponent) does not match "
                                + "its model card; findings are not limited to the brain")
        } else if let maskEntry = brainMask, let t1 = found.stacks[.t1] {
            do {
                let mask = try DeepbetBrainMask(t1: t1.volume, model: try Model.load(maskEntry.url))
                let before = findings.count
                findings.removeAll { mask.contains(patient: $0.centerMM) == false }
                run.warnings.append("brain mask: \(maskEntry.card.id) on the T1 (real weights, not validated here for clinical use)"
                                    + (findings.count < before ? "; \(before - findings.count) candidate(s) outside the brain left out" : ""))
            } catch {
                run.warnings.append("brain mask not computed (\(error)); findings are not limited to the brain")
            }
        }

        // The study's DWI–FLAIR call, on the model grid's normalised FLAIR channel.
        var flairPlanes = [Float](repeating: 0, count: target.slices * plane)
        for z in 0 ..< target.slices {
            flairPlanes.replaceSubrange(z * plane ..< (z + 1) * plane, with: inputs[(z * 3 + 2) * plane ..< (z * 3 + 3) * plane])
        }
        let mismatch = DWIFLAIRMismatch.assess(flair: flairPlanes, probability: grid.values, columns: mw, rows: mh,
                                               slices: target.slices, pixelThreshold: rule.pixelThreshold,
                                               rsiThreshold: rule.flairRSIThreshold)
        let head = headExtent(target, reference: Float(dwiRef))
        for i in findings.indices {
            findings[i].seriesInstanceUID = dwi.seriesInstanceUID
            if let mismatch {
                findings[i].flairRelativeSignal = (mismatch.relativeSignal * 1000).rounded() / 1000
                findings[i].dwiFlairMismatch = mismatch.mismatch
            }
            if let head { findings[i].territory = VascularTerritory.name(center: findings[i].centerMM, headMinimum: head.minimum, headMaximum: head.maximum) }
            // Enhanced: the frame of the slice the finding is seen best on (its centre's slice).
            if let frames = dwi.frameNumbers, findings[i].centerMM.count == 3 {
                let c = findings[i].centerMM
                let along = (0 ..< 3).reduce(0.0) { $0 + (c[$1] - target.origin[$1]) * target.sliceDirection[$1] }
                let z = Int((along / target.spacing.slice).rounded())
                if frames.indices.contains(z) { findings[i].frameNumber = frames[z] }
            }
        }
        var heatmaps: [ModelGridHeatmap] = []
        for z in 0 ..< grid.slices {
            let values = Array(grid.values[z * plane ..< (z + 1) * plane])
            if values.contains(where: { $0 >= 0.1 }) {
                heatmaps.append(ModelGridHeatmap(sopInstanceUID: target.sopInstanceUIDs[z], width: mw, height: mh, values: values,
                                                 sourceColumns: target.columns, sourceRows: target.rows, frameNumber: dwi.frameNumbers?[z]))
            }
        }
        return StudyAnalysis.RunOutput(run: run, findings: findings, imageScores: [], heatmaps: heatmaps)
    }

    /// The head's extent in patient coordinates: voxels of the normalised DWI above 0.3.
    static func headExtent(_ v: Volume, reference: Float) -> (minimum: [Double], maximum: [Double])? {
        var lo = [Double](repeating: .infinity, count: 3), hi = [Double](repeating: -.infinity, count: 3)
        let plane = v.columns * v.rows
        // Corners of the index box of the mask suffice: the grid is a parallelepiped.
        var box: (x0: Int, x1: Int, y0: Int, y1: Int, z0: Int, z1: Int)?
        for (i, value) in v.voxels.enumerated() where value / reference > 0.3 {
            let z = i / plane, y = (i % plane) / v.columns, x = i % v.columns
            if let b = box {
                box = (min(b.x0, x), max(b.x1, x), min(b.y0, y), max(b.y1, y), min(b.z0, z), max(b.z1, z))
            } else {
                box = (x, x, y, y, z, z)
            }
        }
        guard let b = box else { return nil }
        for x in [b.x0, b.x1] { for y in [b.y0, b.y1] { for z in [b.z0, b.z1] {
            let p = v.patientPosition(column: Double(x), row: Double(y), slice: Double(z))
            for k in 0 ..< 3 { lo[k] = min(lo[k], p[k]); hi[k] = max(hi[k], p[k]) }
        } } }
        return (lo, hi)
    }
}
