import Foundation
import Imaging

/// Findings from a slice-wise model's heatmaps of a CT `Volume`.
///
/// Candidates are the card's peaks (`PeakCandidates`: 3-D local maxima of the model-grid map with
/// p ≥ 0.1, greedy suppression within 10 mm). A candidate whose peak reaches `threshold` becomes a
/// finding; it is measured on the connected component (26-connected, on the volume's grid) of
/// p ≥ 0.5 that holds its peak, as the cards' measurement rule says. Two peaks in one
/// component give one finding (the stronger). Components under `minimumVolumeML` are noise.
/// Haemorrhage components confined to the first or last slice are dropped: there the model's
/// through-plane context is a replicated copy of the slice itself, and on the sample head CTs every
/// such finding was a false positive at the vertex (bone partial volume); see docs/ANALYSIS_JSON.md.
public struct VolumeFindingExtractor: Sendable {
    public enum Kind: Sendable { case lungNodule, haemorrhage, acuteInfarct }

    public var kind: Kind
    public var threshold: Float
    /// Components smaller than this (mL) are discarded as noise.
    public var minimumVolumeML: Double
    public var model: ModelIdentity
    public var ood: Bool
    /// For the Brock model; nil means the patient data do not allow it.
    public var patient: BrockModel.Patient?
    public var rule = CardDetails.CandidateRule()
    /// Level of the component a finding is measured on (the cards: p ≥ 0.5), at most `threshold`.
    public var measurementThreshold: Float = 0.5

    public init(kind: Kind, threshold: Float, minimumVolumeML: Double? = nil, model: ModelIdentity,
                ood: Bool = false, patient: BrockModel.Patient? = nil) {
        self.kind = kind; self.threshold = threshold
        // A nodule under 3 mm (0.014 mL) is below every Lung-RADS size; a bleed under 0.05 mL is a few voxels.
        self.minimumVolumeML = minimumVolumeML ?? (kind == .lungNodule ? 0.014 : 0.05)
        self.model = model; self.ood = ood; self.patient = patient
    }

    /// Findings from a probability map already on the volume's grid.
    public func findings(volume: Volume, probabilities: [Float]) -> [Finding] {
        precondition(probabilities.count == volume.voxels.count, "heatmap is not on the volume's grid")
        let grid = VolumeAnalyzer.ModelGrid(columns: volume.columns, rows: volume.rows, slices: volume.slices,
                                            values: probabilities, sliceScores: nil)
        return findings(volume: volume, grid: grid, sourceProbabilities: probabilities)
    }

    /// Findings from the model-grid map (`sourceProbabilities`: the same map on the volume's grid;
    /// when nil, only the slices the findings' components touch are brought to it).
    public func findings(volume: Volume, grid: VolumeAnalyzer.ModelGrid, sourceProbabilities: [Float]? = nil) -> [Finding] {
        let sp = volume.spacing
        let fx = Double(volume.columns) / Double(grid.columns), fy = Double(volume.rows) / Double(grid.rows)
        let peaks = PeakCandidates.find(grid.values, columns: grid.columns, rows: grid.rows, slices: grid.slices, rule: rule,
                                        spacing: (column: sp.column * fx, row: sp.row * fy, slice: sp.slice))
            .filter { $0.probability >= threshold }
        guard !peaks.isEmpty else { return [] }
        let probabilities = SourceGridMap(grid: grid, volume: volume, precomputed: sourceProbabilities)
        let level = min(measurementThreshold, threshold)
        let voxelML = sp.column * sp.row * sp.slice / 1000
        let plane = volume.columns * volume.rows
        // Each peak is measured on the component of p >= level that holds it (26-connected, on the
        // volume's grid); a component reached from a stronger peak before gives no second finding.
        var filled = ComponentLabeler.FilledVoxels(count: volume.voxels.count)
        var chosen: [(peak: PeakCandidates.Peak, component: Component)] = []
        for p in peaks {
            // The peak's source voxel, or the strongest voxel of its model cell's footprint.
            let x0 = Int(Double(p.x) * fx), y0 = Int(Double(p.y) * fy)
            var best: (Int, Float)?
            for y in y0 ..< min(volume.rows, y0 + max(1, Int(fy.rounded(.up)))) {
                for x in x0 ..< min(volume.columns, x0 + max(1, Int(fx.rounded(.up)))) {
                    let v = p.z * plane + y * volume.columns + x
                    let value = probabilities[v]
                    if value >= level, best == nil || value > best!.1 { best = (v, value) }
                }
            }
            guard let (seed, _) = best, !filled.contains(seed) else { continue }
            let c = ComponentLabeler.component(containing: seed, columns: volume.columns, rows: volume.rows, slices: volume.slices,
                                               threshold: level, filled: &filled) { probabilities[$0] }
            guard Double(c.voxels.count) * voxelML >= minimumVolumeML else { continue }
            if kind == .haemorrhage && volume.slices > 2 && c.bounds.z.lowerBound == c.bounds.z.upperBound
                && (c.bounds.z.lowerBound == 0 || c.bounds.z.lowerBound == volume.slices - 1) { continue }
            chosen.append((p, c))
        }
        return chosen.map { finding(volume: volume, peak: $0.peak, component: $0.component, count: chosen.count) }
    }

    private func finding(volume: Volume, peak: PeakCandidates.Peak, component c: Component, count: Int) -> Finding {
        let sp = volume.spacing
        let plane = volume.columns * volume.rows
        let voxelML = sp.column * sp.row * sp.slice / 1000
        // The slice with the largest cross-section is where the finding is "seen best".
        var bySlice: [Int: [(x: Int, y: Int)]] = [:]
        for v in c.voxels { bySlice[v / plane, default: []].append((v % volume.columns, (v % plane) / volume.columns)) }
        let (bestZ, bestPoints) = bySlice.max { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }!
        let (long, short) = InPlaneDiameters.measure(bestPoints, columnSpacing: sp.column, rowSpacing: sp.row)
        let cx = Double(bestPoints.reduce(0) { $0 + $1.x }) / Double(bestPoints.count)
        let cy = Double(bestPoints.reduce(0) { $0 + $1.y }) / Double(bestPoints.count)
        let xs = bestPoints.map(\.x), ys = bestPoints.map(\.y)
        let volumeML = Double(c.voxels.count) * voxelML
        let label = switch kind { case .lungNodule: "nodule"; case .haemorrhage: "haemorrhage"; case .acuteInfarct: "acute infarct" }
        var f = Finding(label: label, probability: Double(peak.probability),
                        risk: .intermediate, centerMM: volume.patientPosition(column: cx, row: cy, slice: Double(bestZ)),
                        diameterMM: long, sopInstanceUID: volume.sopInstanceUIDs[bestZ], centerPX: [cx, cy],
                        bboxPX: [xs.min()!, ys.min()!, xs.max()! - xs.min()! + 1, ys.max()! - ys.min()! + 1],
                        ood: ood, model: model)
        f.shortDiameterMM = short
        f.volumeML = volumeML
        f.sliceRange = [c.bounds.z.lowerBound, c.bounds.z.upperBound]
        switch kind {
        case .lungNodule:
            let typed = NoduleTyping.classify(hu: c.voxels.map { volume.voxels[$0] }, voxelML: voxelML)
            let category = LungRADS.category(type: typed.type, meanDiameterMM: (long + short) / 2, solidComponentMM: typed.solidCoreMM)
            f.label = typed.type == .solid ? "solid nodule" : typed.type == .partSolid ? "part-solid nodule" : "ground-glass nodule"
            f.solidFraction = (typed.solidFraction * 1000).rounded() / 1000
            f.category = category.rawValue
            f.risk = category.risk
            if let patient {
                // Upper lobe is approximated by the upper half of the scanned range (documented).
                let upper = volume.patientPosition(column: cx, row: cy, slice: Double(bestZ))[2]
                    >= volume.patientPosition(column: cx, row: cy, slice: Double(volume.slices - 1) / 2)[2]
                f.malignancyProbability = BrockModel.probability(
                    patient: patient, nodule: .init(diameterMM: long, type: typed.type, upperLobe: upper, spiculated: false, count: count))
            }
        case .haemorrhage:
            var areas = [Double](repeating: 0, count: volume.slices)
            for (z, pts) in bySlice { areas[z] = Double(pts.count) * sp.column * sp.row }
            f.volumeABC2ML = HaemorrhageVolume.abcOver2(a: long, b: short, sliceAreas: areas, sliceThicknessMM: sp.slice)
            f.risk = volumeML >= 30 ? .critical : .high
        case .acuteInfarct:
            // An acute infarct decides treatment within hours, whatever its size: triage-critical,
            // like a haemorrhage. Territory and the DWI–FLAIR call are set by `StrokeStudyAnalysis`.
            f.risk = .critical
        }
        return f
    }
}
