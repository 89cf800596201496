import Foundation
import Imaging

/// The comparison of a chest CT's nodules with the prior study's (issue 19): the prior CT is
/// registered to the current one (`LungRegistration`), the nodules of each run are matched to the
/// prior run of the same model (`NoduleMatching`), and each current nodule gets its `prior`
/// (`PriorComparison`: status, size changes, volume doubling time) and its Lung-RADS v2022
/// category with comparison; prior nodules left unmatched are the run's `resolved`. The Brock
/// probability is left as the run computed it (the model is defined on one CT).
///
///     let prior = PriorStudyQuery(for: study).priors(in: index.studies).first
///     let result = StudyAnalysis.analyze(study, prior: prior, catalog: catalog)
///     result.findings[0].prior?.volumeDoublingDays
///     result.runs[0].registration, result.runs[0].resolved
extension StudyAnalysis {
    /// `analyze(_:catalog:…)` on the study, then on `prior` (usually cached), and the comparison.
    /// A nil prior is the plain analysis.
    public static func analyze(_ study: StudyIndex.Study, prior: StudyIndex.Study?, catalog: ModelCatalog,
                               options: Options = Options(), cache: AnalysisCache? = nil,
                               progress: (Double) -> Void = { _ in }, isCancelled: () -> Bool = { false }) -> Result {
        guard let prior else {
            return analyze(study, catalog: catalog, options: options, cache: cache, progress: progress, isCancelled: isCancelled)
        }
        var result = analyze(study, catalog: catalog, options: options, cache: cache, progress: { progress($0 * 0.5) },
                             isCancelled: isCancelled)
        let before = analyze(prior, catalog: catalog, options: options, cache: cache, progress: { progress(0.5 + $0 * 0.45) },
                             isCancelled: isCancelled)
        compare(&result, study: study, prior: prior, priorResult: before, catalog: catalog, threshold: options.threshold)
        progress(1)
        return result
    }

    /// Adds the comparison with `priorResult` (the analysis of `prior`) to `result` (of `study`),
    /// for every run of a chest CT nodule model that has a counterpart in the prior, and every run
    /// of a mammography model (`compareMammography`; `threshold` is the reporting threshold of the
    /// analysis, nil for the card's operating point).
    public static func compare(_ result: inout Result, study: StudyIndex.Study, prior: StudyIndex.Study, priorResult: Result,
                               catalog: ModelCatalog, threshold: Float? = nil) {
        let days = PriorStudyQuery.date(of: study).flatMap { c in PriorStudyQuery.date(of: prior).map { c.days(since: $0) } }
        for r in result.runs.indices {
            let run = result.runs[r]
            if let model = run.model, run.status == .findings || run.status == .noFindings,
               let entry = catalog.entries.first(where: { $0.card.id == model.id }),
               entry.card.intendedUse.modality.uppercased() == "MG", !entry.isVolumetric {
                compareMammography(&result, run: r, study: study, prior: prior, priorResult: priorResult, entry: entry,
                                   threshold: threshold, days: days)
                continue
            }
            guard let model = run.model, run.status == .findings || run.status == .noFindings,
                  let entry = catalog.entries.first(where: { $0.card.id == model.id }), entry.isVolumetric,
                  entry.card.intendedUse.bodyPart.uppercased() != "HEAD", entry.stroke == nil else { continue }
            guard let priorRun = priorResult.runs.first(where: { $0.model?.id == model.id && ($0.status == .findings || $0.status == .noFindings) }),
                  let currentSeries = study.series.first(where: { $0.seriesInstanceUID == run.seriesInstanceUID }),
                  let priorSeries = prior.series.first(where: { $0.seriesInstanceUID == priorRun.seriesInstanceUID }) else {
                result.runs[r].warnings.append("the prior study \(prior.studyInstanceUID) has no usable run of \(model.id): nodules are not compared")
                continue
            }
            let currentIdx = result.findings.indices.filter {
                result.findings[$0].seriesInstanceUID == run.seriesInstanceUID && result.findings[$0].model.id == model.id
            }
            let priorFindings = priorResult.findings.filter { $0.seriesInstanceUID == priorRun.seriesInstanceUID && $0.model.id == model.id }
            do {
                let loadStart = Date()
                let current = try SeriesLoader.volume(of: currentSeries.instances, options: .tolerant).volume
                let before = try SeriesLoader.volume(of: priorSeries.instances, options: .tolerant).volume
                let loadSeconds = Date().timeIntervalSince(loadStart)
                let start = Date()
                let reg = LungRegistration.register(current: current, prior: before)
                let comparison = NoduleComparison.compare(current: currentIdx.map { result.findings[$0] }, prior: priorFindings,
                                                          transform: reg.transform, days: days,
                                                          priorStudyInstanceUID: prior.studyInstanceUID)
                var registration = PriorRegistration(priorStudyInstanceUID: prior.studyInstanceUID,
                                                      priorSeriesInstanceUID: priorSeries.seriesInstanceUID,
                                                      transform: reg.transform, method: "rigid-lung-ssd-4mm",
                                                      seconds: Date().timeIntervalSince(start))
                registration.rmsBeforeHU = (reg.rmsBefore * 10).rounded() / 10
                registration.rmsAfterHU = (reg.rmsAfter * 10).rounded() / 10
                registration.loadSeconds = loadSeconds
                for (k, i) in currentIdx.enumerated() { result.findings[i] = comparison.current[k] }
                result.runs[r].registration = registration
                result.runs[r].resolved = comparison.resolved
                if days == nil {
                    result.runs[r].warnings.append("a study date is missing: no interval, no volume doubling time")
                }
            } catch {
                result.runs[r].warnings.append("the prior study could not be compared: \(error)")
            }
        }
    }
}
