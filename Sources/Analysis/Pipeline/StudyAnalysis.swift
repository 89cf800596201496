import Dispatch
import Foundation
import Imaging
import Inference

/// A study in, findings out: every series is matched against the catalog's cards and each fitting
/// model runs in-process, volumetric CT models slice-wise (`SeriesAnalysis`) and 2-D models image by
/// image (`ImageAnalyzer`). This is the one entry point for `lightbox analyze` and the workstation.
///
///     let result = StudyAnalysis.analyze(study, catalog: catalog, cache: AnalysisCache.standard())
///     result.findings       // every finding, with geometry, risk and the model that proposed it
///     result.breasts        // mammography: per-breast 1–10 suspicion score and BI-RADS
///     result.imageScores    // 2-D models: the image-level score of each image
///     result.heatmaps       // model-grid maps; `onSourceGrid()` gives them on the image's pixels
///     result.runs           // one per (series, model): status, OOD reasons, warnings, timing
///
/// Runs are cached per series content and model sha256 (`AnalysisCache`); a cached run is returned
/// without reading pixels. Bad input stays local: an unreadable slice or image is left out with a
/// warning, a model whose sha256 does not match its card gives an error run, and the other runs
/// complete.
public enum StudyAnalysis {
    public struct Options: Sendable {
        /// Calibrated probability at which a candidate is reported as a finding; nil: each card's
        /// operating point (`ModelTrust.OperatingPoint`), else the older cards' FROC point
        /// (`CardDetails.operatingThreshold`), else 0.5.
        public var threshold: Float?
        /// What happens to a run whose input is out of distribution (header or content).
        public var ood: OODPolicy
        /// Run only the model with this card id.
        public var modelID: String?
        public init(threshold: Float? = nil, ood: OODPolicy = .abstain, modelID: String? = nil) {
            self.threshold = threshold; self.ood = ood; self.modelID = modelID
        }
    }

    /// Out-of-distribution input: the model abstains (no findings, the reasons given; the default),
    /// or its findings are shown, each marked `ood: true`.
    public enum OODPolicy: String, Sendable, CaseIterable { case abstain, allow }

    public enum Status: String, Codable, Sendable {
        case findings, noFindings = "no findings", noApplicableModel = "no applicable model"
        /// The input was outside what the model was validated on; its output is withheld.
        case abstained
        case error, cancelled
    }

    /// One (series, model) run.
    public struct Run: Codable, Sendable, Equatable {
        public var seriesInstanceUID: String
        public var model: ModelIdentity?
        public var status: Status
        public var message: String?
        /// Why the input is out of distribution (header checks and the content detector); empty when it is not.
        public var ood: [String]
        public var warnings: [String]
        public var findings: Int
        public var seconds: Double
        public var cached: Bool
        /// The content detector's verdict, when the card has one.
        public var contentCheck: ContentCheck? = nil
        /// Findings withheld because the run abstained.
        public var withheld: Int? = nil
        /// The probabilities are calibrated (the card has a `calibration`).
        public var calibrated: Bool? = nil
        /// Compared with a prior study (`StudyAnalysis.compare`): the rigid transform between the
        /// two CTs, and the prior's findings that have no counterpart now. Nil without a prior.
        public var registration: PriorRegistration? = nil
        public var resolved: [ResolvedFinding]? = nil
        /// Mammography compared with a prior (`compareMammography`): the prior run compared with,
        /// and the stable findings whose lowered suspicion put them under the reporting threshold
        /// (no longer marks; `MammographyComparison.Rule`). Nil without a prior.
        public var priorComparison: MammographyPriorRun? = nil
        public var stableOnPrior: [Finding]? = nil

        public init(seriesInstanceUID: String, model: ModelIdentity?, status: Status, message: String?, ood: [String],
                    warnings: [String], findings: Int, seconds: Double, cached: Bool, contentCheck: ContentCheck? = nil,
                    withheld: Int? = nil, calibrated: Bool? = nil) {
            self.seriesInstanceUID = seriesInstanceUID; self.model = model; self.status = status; self.message = message
            self.ood = ood; self.warnings = warnings; self.findings = findings; self.seconds = seconds; self.cached = cached
            self.contentCheck = contentCheck; self.withheld = withheld; self.calibrated = calibrated
        }

        enum CodingKeys: String, CodingKey {
            case model, status, message, ood, warnings, findings, seconds, cached, withheld, calibrated, registration, resolved
            case priorComparison = "prior_comparison"
            case stableOnPrior = "stable_on_prior"
            case seriesInstanceUID = "series_instance_uid"
            case contentCheck = "content_check"
        }
    }

    public struct Result: Codable, Sendable {
        public var findings: [Finding] = []
        public var runs: [Run] = []
        public var imageScores: [ImageScore] = []
        public var breasts: [BreastAssessment] = []
        public var heatmaps: [ModelGridHeatmap] = []

        public init() {}

        enum CodingKeys: String, CodingKey {
            case findings, runs, breasts, heatmaps
            case imageScores = "image_scores"
        }

        /// No series had a model that fits it.
        public var noApplicableModel: Bool { !runs.isEmpty && runs.allSatisfy { $0.status == .noApplicableModel } || runs.isEmpty }
        public var hasErrors: Bool { runs.contains { $0.status == .error } }
        /// Every run that had a model abstained.
        public var abstained: Bool {
            let ran = runs.filter { $0.model != nil }
            return !ran.isEmpty && ran.allSatisfy { $0.status == .abstained }
        }
    }

    /// Everything one run produces (the unit the cache stores).
    public struct RunOutput: Codable, Sendable {
        public var run: Run
        public var findings: [Finding]
        public var imageScores: [ImageScore]
        public var heatmaps: [ModelGridHeatmap]
    }

    public static func analyze(_ study: StudyIndex.Study, catalog: ModelCatalog, options: Options = Options(),
                               cache: AnalysisCache? = nil, progress: (Double) -> Void = { _ in },
                               isCancelled: () -> Bool = { false }) -> Result {
        var result = Result()
        var planned: [(series: StudyIndex.Series, entry: ModelCatalog.Entry, ood: [String], studySeries: [StudyIndex.Series]?)] = []
        // Multi-sequence models read several series of the study in one run.
        let studyModels = catalog.studyLevel(for: study).filter { options.modelID == nil || $0.entry.card.id == options.modelID }
        let covered = Set(studyModels.flatMap { $0.series.map(\.seriesInstanceUID) })
        for series in study.series where series.first.hasPixelData {
            let fits = catalog.applicable(to: series).filter { options.modelID == nil || $0.entry.card.id == options.modelID }
            if fits.isEmpty && !covered.contains(series.seriesInstanceUID) {
                result.runs.append(Run(seriesInstanceUID: series.seriesInstanceUID, model: nil, status: .noApplicableModel,
                                       message: nil, ood: [], warnings: [], findings: 0, seconds: 0, cached: false))
            }
            planned += fits.map { (series, $0.entry, $0.ood, nil) }
        }
        for job in studyModels {
            var reasons: [String] = []
            for series in job.series {
                for reason in catalog.fits(series, [job.entry]).first?.ood ?? [] where !reasons.contains(reason) { reasons.append(reason) }
            }
            planned.append((job.series[0], job.entry, reasons, job.series))
        }
        for (k, job) in planned.enumerated() {
            let output = run(series: job.series, entry: job.entry, ood: job.ood, studySeries: job.studySeries,
                             brainMask: job.entry.isMultiSequence ? catalog.brainMask : nil, options: options, cache: cache,
                             progress: { progress((Double(k) + $0) / Double(planned.count)) }, isCancelled: isCancelled)
            result.runs.append(output.run)
            result.findings += output.findings.map { f in
                var f = f
                f.seriesInstanceUID = output.run.seriesInstanceUID
                return f
            }
            result.imageScores += output.imageScores
            result.heatmaps += output.heatmaps
            if output.run.model != nil, job.entry.card.intendedUse.modality.uppercased() == "MG", !output.imageScores.isEmpty {
                result.breasts += BreastAssessment.summarise(output.imageScores, findings: output.findings, ood: !output.run.ood.isEmpty)
            }
        }
        // Keys the review store keeps decisions under: the same whether the workstation ran the
        // model or read this result back from `analysis.json`.
        for i in result.findings.indices where result.findings[i].id == nil {
            result.findings[i].id = "\(result.findings[i].sopInstanceUID):\(i + 1)"
        }
        progress(1)
        return result
    }

    /// One (series, model) run, from the cache when it holds it. A multi-sequence model reads
    /// `studySeries` (the study's series that fit its card) and reports under the series it found
    /// its main sequence in.
    public static func run(series: StudyIndex.Series, entry: ModelCatalog.Entry, ood: [String],
                           studySeries: [StudyIndex.Series]? = nil, brainMask: ModelCatalog.Entry? = nil, options: Options,
                           cache: AnalysisCache?, progress: (Double) -> Void = { _ in },
                           isCancelled: () -> Bool = { false }) -> RunOutput {
        var run = Run(seriesInstanceUID: series.seriesInstanceUID, model: entry.reference, status: .noFindings, message: nil,
                      ood: ood, warnings: [], findings: 0, seconds: 0, cached: false)
        guard entry.verified else {
            run.status = .error
            run.message = ModelCatalog.Problem.unverified(entry.url.lastPathComponent).description
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        }
        if let problem = entry.cardProblem {
            run.status = .error
            run.message = problem
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        }
        // A slice-wise CT model needs a volume: a series of a few images is outside what it was
        // validated on (it abstains, whatever the policy, since there is nothing it could show).
        if entry.isVolumetric, series.instances.count < SeriesLoader.Options.tolerant.minimumSlices {
            run.ood.append("\(series.instances.count) image(s) in the series; a slice-wise CT model reads at least \(SeriesLoader.Options.tolerant.minimumSlices)")
            run.status = .abstained
            run.withheld = 0
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        }
        var options = options
        let details = entry.details
        options.threshold = options.threshold ?? entry.trust.operatingPoint.map { Float($0.threshold) }
            ?? details.operatingThreshold ?? 0.5
        let instances = (studySeries ?? [series]).flatMap(\.instances)
        let key = cache.map { $0.key(instances: instances, modelSHA256: entry.card.sha256 + (brainMask?.card.sha256 ?? ""), options: options) }
        if let cache, let key, var hit = cache.load(key) {
            hit.run.cached = true
            hit.run.seconds = 0
            return hit.applying(options.ood)
        }
        // The extractors run on raw heatmap peaks: the reporting threshold goes back to raw space.
        // Never below the card's candidate floor: nothing under it is a candidate, and the CT
        // extractor measures each finding on the region above min(0.5, threshold).
        let reporting = Double(options.threshold ?? 0.5)
        let floor = details.candidates.minimumPeak
        options.threshold = max(Float(entry.trust.candidateCalibration?.raw(reporting) ?? reporting), floor)
        let start = Date()
        var output: RunOutput
        do {
            if let rule = entry.stroke {
                output = try StrokeStudyAnalysis.run(series: studySeries ?? [series], entry: entry, rule: rule, brainMask: brainMask,
                                                     ood: ood, options: options,
                                                     run: run, progress: progress, isCancelled: isCancelled)
            } else if entry.isVolumetric {
                output = try volumetric(series: series, entry: entry, ood: ood, options: options, run: run,
                                        progress: progress, isCancelled: isCancelled)
            } else {
                output = try projection(series: series, entry: entry, ood: ood, options: options, run: run,
                                        progress: progress, isCancelled: isCancelled)
            }
            output.calibrate(entry)
            output.run.status = output.findings.isEmpty ? .noFindings : .findings
            output.run.findings = output.findings.count
        } catch ONNXError.cancelled {
            run.status = .cancelled
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        } catch let MRSequenceVolumes.Problem.missing(kinds) {
            // Not an error: the study is not what the model reads (a brain MR without the stroke
            // protocol's sequences). The model abstains and says what it lacked.
            run.status = .abstained
            run.withheld = 0
            run.ood.append(MRSequenceVolumes.Problem.missing(kinds).description + "; the model reads DWI, ADC and FLAIR together")
            run.seconds = Date().timeIntervalSince(start)
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        } catch {
            run.status = .error
            run.message = "\(error)"
            run.seconds = Date().timeIntervalSince(start)
            return RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        }
        output.run.seconds = Date().timeIntervalSince(start)
        if let cache, let key { cache.store(output, key: key) }
        return output.applying(options.ood)
    }

    private static func volumetric(series: StudyIndex.Series, entry: ModelCatalog.Entry, ood: [String], options: Options,
                                   run: Run, progress: (Double) -> Void, isCancelled: () -> Bool) throws -> RunOutput {
        guard series.instances.count >= SeriesLoader.Options.tolerant.minimumSlices else {
            throw ImageProblem(description: "\(series.instances.count) image(s); a slice-wise CT model needs at least \(SeriesLoader.Options.tolerant.minimumSlices) slices")
        }
        let analysis = try SeriesAnalysis(series: series, entry: entry, outOfDistribution: !ood.isEmpty, threshold: options.threshold ?? 0.5,
                                          patient: brockPatient(series.first), progress: progress, isCancelled: isCancelled)
        var run = run
        run.warnings = analysis.warnings
        let g = analysis.grid, plane = g.columns * g.rows
        if let detector = entry.trust.detector {
            guard let features = g.sliceFeatures else { throw ImageProblem(description: "the model has no '\(detector.featureOutput)' output its card's ood_detector reads") }
            run.record(detector.assess(features.compactMap { detector.distance($0) }))
        }
        var heatmaps: [ModelGridHeatmap] = []
        for z in 0 ..< g.slices {
            let values = Array(g.values[z * plane ..< (z + 1) * plane])
            if values.contains(where: { $0 >= 0.1 }) {
                heatmaps.append(ModelGridHeatmap(sopInstanceUID: analysis.volume.sopInstanceUIDs[z], width: g.columns, height: g.rows,
                                                 values: values, sourceColumns: analysis.volume.columns, sourceRows: analysis.volume.rows))
            }
        }
        let findings = entry.postProcessing.secondSuppressionMM.map { SecondSuppression.apply(analysis.findings, radiusMM: $0) } ?? analysis.findings
        return RunOutput(run: run, findings: findings, imageScores: [], heatmaps: heatmaps)
    }

    private static func projection(series: StudyIndex.Series, entry: ModelCatalog.Entry, ood: [String], options: Options,
                                   run: Run, progress: (Double) -> Void, isCancelled: () -> Bool) throws -> RunOutput {
        let headers = series.instances.filter { $0.hasPixelData && $0.rows > 0 && $0.frames == 1 }
        guard !headers.isEmpty else { throw ImageProblem(description: "the series has no single-frame images") }
        let model = try Model.load(entry.url)
        let details = entry.details
        let plan = ProjectionBatches(headers: headers, pairContralateral: details.contralateralChannel)
        let analyzer = ImageAnalyzer(model: model, card: entry.card, details: details, featureOutput: entry.trust.detector?.featureOutput)
        var distances: [Double] = []
        var views: [MammographyMarkRules.View] = []
        let mammography = entry.card.intendedUse.modality.uppercased() == "MG"
        let label = mammography ? "suspicious lesion" : entry.card.outputs.labels?.first ?? "abnormality"
        let levels = (entry.card.outputs.riskLevels?[entry.card.outputs.labels?.first ?? ""] ?? []).map { (name: $0.name, threshold: $0.threshold) }
        var extractor = ImageFindingExtractor(kind: mammography ? .mammography : .radiograph, threshold: options.threshold ?? 0.5,
                                              rule: details.candidates, label: label, riskLevels: levels,
                                              model: entry.reference, ood: !ood.isEmpty)
        var out = RunOutput(run: run, findings: [], imageScores: [], heatmaps: [])
        var done = 0
        for batch in plan.batches {
            if isCancelled() { throw ONNXError.cancelled }
            let loaded = plan.decode(batch)
            if isCancelled() { throw ONNXError.cancelled }
            let inputs = analyzer.inputs(for: loaded.compactMapValues { try? $0.get() })
            for i in batch {
                if isCancelled() { throw ONNXError.cancelled }
                done += 1
                let image: ProjectionImage
                switch loaded[i] {
                case let .success(img)?: image = img
                case let .failure(error)?:
                    out.run.warnings.append("skipped unreadable image \(URL(fileURLWithPath: headers[i].path).lastPathComponent): \(error)")
                    continue
                case nil: continue
                }
                // The other breast's view, when the model reads one and it decoded; else the view repeats.
                let contralateral = plan.partner[i].flatMap { try? loaded[$0]?.get() }
                if details.contralateralChannel && contralateral == nil {
                    let name = [image.laterality, image.viewPosition].joined()
                    out.run.warnings.append("\(name.isEmpty ? "an image" : name) was read without the other breast's same view "
                                            + "(none readable in the series): the model validated this way does worse "
                                            + "(card: without_other_breast)")
                }
                // Per-image checks against the card: such an image still runs, its findings flagged OOD.
                var imageOOD: [String] = []
                if let pi = entry.card.intendedUse.photometricInterpretation, image.photometricInterpretation != pi,
                   !(image.photometricInterpretation == "MONOCHROME1" && details.invertMonochrome1) {
                    imageOOD.append("photometric interpretation \(image.photometricInterpretation) differs from the validated \(pi)")
                }
                if let intent = details.presentationIntent?.uppercased(), !image.presentationIntent.isEmpty, image.presentationIntent != intent {
                    imageOOD.append("presentation intent \(image.presentationIntent) differs from the validated \(intent)")
                }
                for reason in imageOOD where !out.run.ood.contains(reason) { out.run.ood.append(reason) }
                extractor.ood = !ood.isEmpty || !imageOOD.isEmpty
                let o = try analyzer.run(image, contralateral: contralateral,
                                         prepared: (inputs[i], contralateral == nil ? nil : plan.partner[i].flatMap { inputs[$0] }),
                                         isCancelled: isCancelled)
                out.heatmaps.append(o.heatmap)
                if mammography {
                    let partner = plan.partner[i].flatMap { try? loaded[$0]?.get() }
                    views.append(.init(sopInstanceUID: image.sopInstanceUID, laterality: ContralateralPairing.laterality(of: headers[i]),
                                       view: ContralateralPairing.view(of: headers[i]), columns: image.columns, rows: image.rows,
                                       gridWidth: o.heatmap.width, gridHeight: o.heatmap.height, contralateral: partner?.sopInstanceUID,
                                       contralateralMirrored: partner.map { ContralateralPairing.needsMirror(image, partner: $0) } ?? true,
                                       chestWallAtLastColumn: MammographyMarkRules.chestWallAtLastColumn(input: o.input, width: o.heatmap.width)))
                }
                if let detector = entry.trust.detector {
                    guard let d = o.features.flatMap({ detector.distance($0) }) else {
                        throw ImageProblem(description: "the model's '\(detector.featureOutput)' output does not match its card's ood_detector")
                    }
                    distances.append(d)
                }
                if let s = o.score {
                    out.imageScores.append(ImageScore(sopInstanceUID: image.sopInstanceUID,
                                                      laterality: image.laterality.isEmpty ? nil : image.laterality,
                                                      view: image.viewPosition.isEmpty ? nil : image.viewPosition,
                                                      probability: s, model: entry.reference))
                }
                out.findings += extractor.findings(heatmap: o.heatmap, image: image, imageScore: o.score)
                progress(Double(done) / Double(headers.count))
            }
        }
        if out.heatmaps.isEmpty { throw ImageProblem(description: "no image of the series could be read: \(out.run.warnings.joined(separator: "; "))") }
        if let detector = entry.trust.detector { out.run.record(detector.assess(distances)) }
        // The card's rules on the raw marks, before calibration and the operating point.
        if let radius = entry.postProcessing.mirrorRadiusPX {
            out.findings = MammographyMarkRules.mirrorSuppression(out.findings, views: views, radius: radius)
        }
        if let rule = entry.postProcessing.twoViewSupport {
            out.findings = MammographyMarkRules.twoViewSupport(out.findings, views: views, rule: rule)
        }
        return out
    }

    struct ImageProblem: Error, CustomStringConvertible { let description: String }

    /// Age (from birth and study dates) and sex, for the Brock model; nil when either is missing.
    public static func brockPatient(_ h: InstanceHeader) -> BrockModel.Patient? {
        guard h.patientSex == "M" || h.patientSex == "F",
              h.patientBirthDate.count == 8, h.studyDate.count == 8,
              let birth = Int(h.patientBirthDate), let study = Int(h.studyDate) else { return nil }
        let years = (study / 10000) - (birth / 10000) - ((study % 10000) < (birth % 10000) ? 1 : 0)
        guard years >= 18, years < 120 else { return nil }
        return .init(age: Double(years), female: h.patientSex == "F")
    }
}
