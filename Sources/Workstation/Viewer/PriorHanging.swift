import Analysis
import Imaging
import Review
import TerminalGraphics

/// How a CT follow-up with a prior opens: the current scan | the prior (1×2), scrolling linked by
/// anatomy after the prior was aligned to the current scan.
///
/// The two scans have different frames of reference (the patient lay differently on the table), so
/// a slice position means nothing across them. The alignment is the rigid registration the
/// analysis computed (`PriorRegistration`, p_prior = R · p_current + t): the centre of the active
/// slice is carried into the other scan and the nearest slice there is shown. Until the analysis
/// has run (or when it could not register), the scanners' own positions are used and the viewer
/// says so; the reader's "link here" (V) always wins over both.
enum PriorHanging {
    /// A CT whose prior (same patient, earlier date, `priorStudy(for:in:)`) is a CT too, each with
    /// a series of several slices.
    static func applies(to entry: StudyEntry, prior: StudyEntry?) -> Bool {
        guard let prior, entry.study.modalities == ["CT"], prior.study.modalities == ["CT"] else { return false }
        return volumeSeries(of: entry.study) != nil && volumeSeries(of: prior.study) != nil
    }

    /// The series a comparison shows: the one with the most images (the thin-slice volume the AI
    /// read), nil when none has two.
    static func volumeSeries(of study: StudyIndex.Study) -> Int? {
        guard let best = study.series.indices.max(by: { study.series[$0].instanceCount < study.series[$1].instanceCount }),
              study.series[best].instanceCount >= 2 else { return nil }
        return best
    }

    static func start(_ display: inout ViewerDisplay, entry: StudyEntry, prior: StudyEntry) {
        let current = volumeSeries(of: entry.study) ?? 0
        display.seriesIndex = current
        display.viewportSeries = [current]
        display.layout = .sideBySide
        display.priorStudyUID = prior.uid
        display.comparePrior = true
        display.link.scroll = true
        display.activeViewport = 0
    }
}

extension AppState {
    /// The prior study open beside the current one (1×2 with the prior), nil otherwise.
    var priorBeside: StudyEntry? {
        guard let v = viewer, v.display.showsPriorBeside, let uid = v.display.priorStudyUID else { return nil }
        return entry(uid: uid)
    }

    /// The prior series shown in the right-hand viewport.
    var priorBesideSeries: StudyIndex.Series? {
        guard let p = priorBeside, let i = PriorHanging.volumeSeries(of: p.study) else { return nil }
        return p.study.series[i]
    }

    /// The registration of the prior shown beside, from the current study's analysis.
    var priorRegistration: PriorRegistration? {
        guard let p = priorBeside else { return nil }
        return currentEntry?.aiResult?.registration.flatMap { $0.priorStudyInstanceUID == p.uid ? $0 : nil }
    }

    /// The offset (mm along `target`'s normal, as `SliceSync.nearestSlice` adds it) that brings
    /// `target` to the anatomy at the centre of `source` when one of the two is the prior beside:
    /// through the registration, else through the scanners' positions (0). Nil when neither is
    /// the prior.
    func priorLinkOffset(source: Viewport, target: Viewport) -> Double? {
        guard let prior = priorBesideSeries?.seriesInstanceUID, source.stackUID == prior || target.stackUID == prior,
              source.stackUID != target.stackUID, let s = source.plane, let t = target.plane else { return nil }
        guard let r = priorRegistration else { return 0 }
        let transform = RigidTransform(matrix: r.matrix)
        let centre = s.position(x: Double(s.width) / 2, y: Double(s.height) / 2)
        let mapped = source.stackUID == prior ? transform.inverse.apply(centre) : transform.apply(centre)
        let n = t.normal
        return (0 ..< 3).reduce(0) { $0 + mapped[$1] * n[$1] } - SliceSync.position(of: s, along: n)
    }
}

extension AppState {
    /// "PRIOR · 12 months earlier · <series>": the interval, not the date (dates identify a patient
    /// and are hidden when de-identifying; the interval is what the reader weighs growth against).
    func priorTitle(_ series: StudyIndex.Series) -> String {
        var parts = ["PRIOR"]
        if let current = currentEntry?.study.first.studyDate, let months = Self.monthsBetween(series.first.studyDate, current) {
            parts.append(months == 1 ? "1 month earlier" : "\(months) months earlier")
        }
        let description = shownDescription(series.first.seriesDescription)
        if !description.isEmpty { parts.append(description) }
        return parts.joined(separator: " · ")
    }

    /// Months from one DICOM date (YYYYMMDD) to a later one, to the nearest month (a yearly
    /// screening round 364 days apart is "12 months"); nil when either does not read.
    static func monthsBetween(_ earlier: String, _ later: String) -> Int? {
        guard let a = StudyDateTime(date: earlier), let b = StudyDateTime(date: later) else { return nil }
        let days = b.days(since: a)
        return days >= 0 ? Int((days / (365.2425 / 12)).rounded()) : nil
    }
}

/// With the prior beside: moves the prior's viewport to the slice through the prior nodule matched
/// to `f` (its centre in the prior's own coordinates), so a jump to a finding shows both.
func showPriorNodule(_ state: inout AppState, of f: ReviewFinding) {
    guard let centre = f.prior?.centerMM, centre.count == 3, let series = state.priorBesideSeries,
          let planes = state.slicePlanes(series.seriesInstanceUID), let n = planes.first?.normal else { return }
    let position = (0 ..< 3).reduce(0) { $0 + centre[$1] * n[$1] }
    guard let index = SliceSync.nearestIndex(to: position, in: SliceSync.positions(of: planes)) else { return }
    state.viewer?.display.setSlice(index, series: series.seriesInstanceUID)
}

extension AppState {
    /// Prior nodules to mark on a prior frame: the selected finding's match (labelled) and the
    /// nodules that resolved, where the frame's plane passes within half a slice of their centre.
    func priorMarks(on plane: PatientPlane, sliceSpacing: Double) -> [(x: Double, y: Double, label: String?)] {
        guard priorBeside != nil, let ai = currentEntry?.aiResult else { return [] }
        var marks: [(x: Double, y: Double, label: String?)] = []
        let n = plane.normal
        func add(_ c: [Double]?, _ label: String?) {
            guard let c, c.count == 3 else { return }
            let d = (0 ..< 3).reduce(0) { $0 + (c[$1] - plane.origin[$1]) * n[$1] }
            guard abs(d) <= max(0.5, sliceSpacing / 2) else { return }
            let p = plane.pixel(of: c)
            marks.append((p.x, p.y, label))
        }
        if let f = selectedFinding, let p = f.prior { add(p.centerMM, "prior: " + TextSanitizer.sanitize(f.label)) }
        for r in ai.resolved { add(r.centerMM, "resolved: " + TextSanitizer.sanitize(r.label)) }
        return marks
    }
}
