import Imaging
import Review
import TerminalGraphics

/// Derived facts about the open study that `update` and the views share.
extension AppState {
    public var currentEntry: StudyEntry? { viewer.flatMap { entry(uid: $0.studyUID) } }

    public var currentSeries: StudyIndex.Series? {
        guard let v = viewer, let e = currentEntry, !e.study.series.isEmpty else { return nil }
        // In 1×2 and 2×2 viewport k shows its own series (`seriesIndex(viewport:)`), and the active
        // one is keys' series.
        let comparison = !v.display.hanging && (v.display.layout == .sideBySide || v.display.layout == .grid)
        if v.display.showsPriorBeside, v.display.activeViewport == 1, let prior = priorBesideSeries { return prior }
        let index = comparison ? v.display.seriesIndex(viewport: v.display.activeViewport) : v.display.seriesIndex
        return e.study.series[min(max(0, index), e.study.series.count - 1)]
    }

    public var currentStack: ImageStack? { currentSeries.flatMap { stacks[$0.seriesInstanceUID] } }

    /// Current slice of the current series, clamped to the stack.
    public var currentSlice: Int {
        guard let v = viewer, let s = currentSeries else { return 0 }
        let n = currentSliceCount
        // The MPR layout starts a plane not visited yet in the middle, as its viewports do.
        return min(max(0, v.display.slices[sliceKey(s.seriesInstanceUID, v.display.orientation)] ?? (v.display.layout == .mpr ? n / 2 : 0)), max(0, n - 1))
    }

    /// Slices (or reformatted planes) in the current series.
    public var currentSliceCount: Int {
        guard let v = viewer, let s = currentSeries else { return 0 }
        return currentStack.map { Reformat.count($0, v.display.orientation) } ?? s.instanceCount
    }

    /// The frame keys act on: the active viewport's.
    public var currentFrame: StackFrame? {
        guard let v = viewer else { return nil }
        if v.display.hanging {
            let vps = viewports
            return vps.isEmpty ? nil : vps[min(v.display.activeViewport, vps.count - 1)].frame
        }
        return currentStack.flatMap { Reformat.frame($0, v.display.orientation, currentSlice, slab: v.display.slab) }
    }

    /// AI findings first (as the source ordered them), then the reader's own. A blinded read
    /// (second reader before the reveal, quiz before the answer) has no AI findings at all; an
    /// arbitrator also sees the first reader's marks the AI did not flag.
    public var findings: [ReviewFinding] {
        guard let v = viewer, let e = currentEntry else { return [] }
        var out = isBlinded(e.uid) ? [] : (v.overlay.showWithheld ? e.aiResult?.findings : e.aiResult?.trustedFindings) ?? []
        if !v.review.priorLinks.isEmpty { out = out.map(applyingPriorLink) }
        for r in v.review.readerFindings where !r.removed {
            out.append(ReviewFinding(key: r.key, origin: .reader, label: r.label, seriesUID: r.seriesUID, sopUID: r.sopUID,
                               centerX: r.x, centerY: r.y, width: r.width, height: r.height))
        }
        if workflow == .arbitration, let s = v.screening {
            for d in s.discordances where d.kind == .readerOnly && !out.contains(where: { $0.key == d.findingKey }) {
                out.append(ReviewFinding(key: d.findingKey, origin: .reader, label: "\(d.reader): \(d.label)", seriesUID: d.seriesUID, sopUID: d.sopUID,
                                   centerX: d.x, centerY: d.y, width: d.width, height: d.height))
            }
        }
        return out
    }

    public var selectedFinding: ReviewFinding? {
        let f = findings
        guard let v = viewer, !f.isEmpty else { return nil }
        return f[min(max(0, v.review.selection), f.count - 1)]
    }

    /// AI findings the reader has not yet accepted, rejected or corrected.
    public var undecidedCount: Int {
        guard let v = viewer else { return 0 }
        if workflow != .standard { return pendingDiscordances.count }
        return findings.filter { $0.origin == .ai && v.review.decisions[$0.key] == nil }.count
    }

    /// Where a finding lives: series index and frame index, when its image is loaded or known.
    func location(of f: ReviewFinding) -> (series: Int, slice: Int?)? {
        guard let e = currentEntry else { return nil }
        for (si, s) in e.study.series.enumerated() {
            let inSeries = s.seriesInstanceUID == f.seriesUID || s.instances.contains { $0.sopInstanceUID == f.sopUID }
            guard inSeries else { continue }
            if let stack = stacks[s.seriesInstanceUID], let k = stack.frames.firstIndex(where: { $0.shows(f) }) {
                return (si, k)
            }
            let sorted = SeriesLoader.sortedForVolume(s.instances.filter(\.hasPixelData)).sorted
            return (si, sorted.firstIndex { $0.sopInstanceUID == f.sopUID })
        }
        return nil
    }

    /// The window in force for `frame`: the reader's, else the file's, else the frame's value range.
    func effectiveWindow(_ frame: StackFrame?) -> VOITransform.Window {
        if let w = viewer?.display.window { return w }
        // A window from the file is used only when it is finite and positive ("NaN" parses as a DS
        // value, and the corner label's Int(...) would trap on it).
        if let w = frame?.fileWindow, w.center.isFinite, w.width.isFinite, w.width > 0, abs(w.center) < 1e9, w.width < 1e9 {
            return w
        }
        guard let values = frame?.values, var lo = values.first(where: \.isFinite) else { return VOITransform.Window(center: 128, width: 256) }
        var hi = lo
        for v in values where v.isFinite { if v < lo { lo = v }; if v > hi { hi = v } }
        return VOITransform.Window(center: Double(lo + hi) / 2, width: max(1, Double(hi - lo)))
    }
}
