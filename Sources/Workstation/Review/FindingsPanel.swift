import Review
import TerminalGraphics

/// The right-hand panel: AI status (and the not-for-clinical-use banner), the findings with
/// label, probability, risk colour, size and the reader's decision, then the sign-off.
enum FindingsPanel {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let width = ScreenLayout.panelWidth(state)
        guard width > 0, let v = state.viewer, let e = state.currentEntry else { return }
        let x = screen.columns - width
        let top = ScreenLayout.bodyTop, bottom = screen.rows - 1
        var row = top
        func line(_ text: String, _ style: Style = .normal) {
            guard row < bottom else { return }
            screen.put(Text.fit(text, width - 2), row: row, column: x + 1, style: style)
            row += 1
        }
        for r in top ..< bottom { screen.put("│", row: r, column: x, style: .dim) }
        line("FINDINGS", .header)
        let blinded = state.isBlinded(e.uid)
        if blinded {
            line("AI: hidden — blinded first read", .dim)
        } else if let model = e.aiResult?.model {
            line("AI: \(TextSanitizer.sanitize(model.id)) \(TextSanitizer.sanitize(model.version))", .accent)
            if e.aiResult?.notForClinicalUse == true { line("synthetic-data model, not for clinical use", .warning) }
            if let ai = e.aiResult, ai.abstained {
                // Wrapped, not cut: the reason is what the reader needs. It comes from the card and
                // the headers, so it is sanitised like any DICOM text.
                for l in Text.wrap("AI abstained: outside the model's validated range", width - 2) { line(l, .warning) }
                for r in ai.abstention { for l in Text.wrap("(\(TextSanitizer.sanitize(r)))", width - 4) { line("  " + l, .warning) } }
                let n = ai.findings.count - ai.trustedFindings.count
                line(v.overlay.showWithheld ? "showing \(n) withheld, OOD — W hides" : "\(n) finding(s) withheld — W shows them", .dim)
            }
            for s in e.aiResult?.summary ?? [] { line(TextSanitizer.sanitize(s), .normal) }
        } else {
            line("AI: \(e.ai.text)", .dim)
        }
        if v.overlay.ai == false, !blinded { line("AI overlay hidden (a)", .dim) }
        if state.workflow != .standard { drawScreening(state, blinded: blinded, line: line) }
        let findings = state.findings
        if findings.isEmpty { line("No findings. F adds one at the cursor.", .dim) }
        let selected = min(v.review.selection, max(0, findings.count - 1))
        for (i, f) in findings.enumerated() {
            let mark = i == selected ? "▶" : " "
            let decision = v.review.decisions[f.key].map { d -> String in
                switch d.kind {
                case .accept: return "✓ accepted"
                // Reason and corrected label are reader-typed text read back from the database.
                case .reject: return "✗ rejected" + (d.reason.map { ": \(TextSanitizer.sanitize($0))" } ?? "")
                case .correct: return "✎ corrected" + (d.correction.label.map { ": \(TextSanitizer.sanitize($0))" } ?? "")
                }
            } ?? (f.origin == .reader ? "reader's own" : "undecided")
            let discordance = v.screening?.discordances.first { $0.findingKey == f.key }
                .map { $0.kind == .aiOnly ? "DISCORDANT: AI only" : "DISCORDANT: reader only" }
            let stroke = f.strokeSummary
            // An infarct is sized by its volume (what decides treatment), other findings by diameter.
            let size = f.origin != .ai ? "" : stroke != nil && f.volumeML != nil ? String(format: " %.1f mL", f.volumeML!)
                : f.diameterMM.map { String(format: " %.0f mm", $0) } ?? " size unknown (no pixel spacing)"
            let style: Style = i == selected ? .selected : (f.risk.map { .risk($0) } ?? (f.origin == .reader ? .accent : .normal))
            line("\(mark)\(i + 1). \(TextSanitizer.sanitize(f.label))", style)
            let category = f.category.map { " cat \($0)" } ?? ""
            let source = f.origin == .ai ? "AI \(Text.percent(f.probability)) \(f.risk?.rawValue ?? "")\(category)\(size)" + (f.outOfDistribution ? " OOD, withheld" : "")
                : "reader \(f.width > 0 ? "box" : "point")"
            line("   \(source)", i == selected ? .selected : .dim)
            if let stroke { line("   \(stroke)", i == selected ? .selected : .normal) }
            // Wrapped, not cut: the change, doubling time and category are what the follow-up is read for.
            if let change = f.priorSummary {
                for l in Text.wrap(TextSanitizer.sanitize(change), width - 5) { line("   " + l, i == selected ? .selected : .normal) }
            }
            if let discordance { line("   \(discordance)", i == selected ? .selected : .warning) }
            line("   \(decision)", i == selected ? .selected : .normal)
        }
        if !blinded {
            let resolved = state.resolvedPriorNodules
            if !resolved.isEmpty { line("Resolved since the prior:", .accent) }
            for r in resolved { line("   \(AppState.describe(r))", .dim) }
            if state.findings.contains(where: { $0.prior != nil }) { line("U re-links or unlinks a prior match", .dim) }
        }
        row += 1
        let keys = v.keyImages.count
        line(keys == 0 ? "Key images: none (* marks)" : "Key images: \(keys) (* marks / unmarks)", keys == 0 ? .dim : .accent)
        if state.workflow == .standard, state.teaching == nil { line(v.report.status, v.report.current == nil ? .dim : .accent) }
        if let s = v.review.signoff {
            line("SIGNED: \(TextSanitizer.sanitize(s.assessment))", .accent)
            if s.forced { line("with \(s.undecided) undecided (confirmed)", .warning) }
        } else if state.workflow != .standard {
            let n = state.pendingDiscordances.count
            if v.screening?.revealed != true { line("b BI-RADS per breast, then R reveals the AI", .accent) }
            else { line(n == 0 ? "Ready to sign (S)" : "\(n) discordance(s) to decide before S", n == 0 ? .accent : .warning) }
        } else {
            let n = state.undecidedCount
            line(n == 0 ? "Ready to sign (S)" : "\(n) undecided — S signs", n == 0 ? .accent : .dim)
        }
        line("A accept X reject C correct", .dim)
        line("F point B box u undo n/N next", .dim)
    }

    /// Second reader / arbitration: the per-breast assessment, the AI's per-breast scores once
    /// revealed, and how many discordances are left.
    static func drawScreening(_ state: AppState, blinded: Bool, line: (String, Style) -> Void) {
        guard let v = state.viewer else { return }
        let s = v.screening ?? ScreeningRead()
        line(s.assessed ? "Reader: \(s.assessmentText)" : "Reader: no BI-RADS yet (b)", s.assessed ? .accent : .warning)
        for r in s.firstReads { line("First read \(TextSanitizer.sanitize(r.reader)): R \(r.rightBIRADS.map(String.init) ?? "?") L \(r.leftBIRADS.map(String.init) ?? "?")", .normal) }
        guard !blinded else { return }
        let scores = state.breastScores().map { "\($0.side) \(Text.percent($0.score)) (\($0.count))" }
        line("AI per breast: " + scores.joined(separator: "  "), .normal)
        let pending = state.pendingDiscordances.count
        line("Discordances: \(s.discordances.count), \(pending) undecided", pending > 0 ? .warning : .dim)
    }
}
