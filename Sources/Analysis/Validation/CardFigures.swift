import Foundation

/// What a model card claims, in the names `SiteValidation.Figures.named` uses, with the card's 95 %
/// intervals where it gives them; and the plain-language verdict when a site's figures fall short.
public struct CardFigures: Sendable {
    public var values: [String: Double] = [:]
    public var intervals: [String: [Double]] = [:]

    public init() {}

    /// Reads the card at `path`. `validation.workstation` (figures and ci95), when the card has it,
    /// is what `lightbox validate` measured on the held-out set with this same pipeline, so a site's
    /// figures are compared with it; otherwise `validation.in_distribution` (evaluate.py's figures)
    /// and `operating_point.held_out`.
    public init(cardAt path: String) {
        self.init()
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let validation = root["validation"] as? [String: Any] ?? [:]
        if let workstation = validation["workstation"] as? [String: Any], readWorkstation(workstation) { return }
        let ind = validation["in_distribution"] as? [String: Any] ?? [:]
        let figures = ind["figures"] as? [String: Any] ?? [:]
        values["auc"] = Self.number(figures["image_auc"]) ?? Self.number(figures["study_auc"])
        for k in ["froc_sensitivity_at_0.5_fp", "froc_sensitivity_at_1_fp", "froc_sensitivity_at_2_fp", "ece"] {
            values[k] = Self.number(figures[k])
        }
        readIntervals(ind["ci95"] as? [String: Any] ?? [:])
        let held = (root["operating_point"] as? [String: Any])?["held_out"] as? [String: Any] ?? [:]
        values["sensitivity"] = Self.number(held["sensitivity"])
        values["false_marks_per_unit"] = Self.number(held["false_marks_per_image"]) ?? Self.number(held["false_marks_per_scan"])
            ?? Self.number(held["false_marks_per_unit"])
    }

    /// `validation.workstation`: figures already under `SiteValidation.Figures.named`'s names.
    /// False when it has no figures (then the caller falls back to evaluate.py's).
    private mutating func readWorkstation(_ section: [String: Any]) -> Bool {
        guard let figures = section["figures"] as? [String: Any], !figures.isEmpty else { return false }
        for (k, v) in figures { if let x = Self.number(v) { values[k] = x } }
        readIntervals(section["ci95"] as? [String: Any] ?? [:])
        return true
    }

    private mutating func readIntervals(_ ci: [String: Any]) {
        for (k, v) in ci {
            guard let pair = v as? [Any], pair.count == 2, let lo = Self.number(pair[0]), let hi = Self.number(pair[1]) else { continue }
            let name = k == "image_auc" || k == "study_auc" ? "auc" : k
            intervals[name] = [lo, hi]
        }
    }

    private static func number(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }

    /// What the site's figures say against the card's: `verdicts`, where the site does worse
    /// beyond its own sampling error (the site's 95 % interval lies wholly on the bad side of the
    /// card's value, or of the card's interval when it gives one), and `notes`, where only the point
    /// estimate does (below the card's interval, or 0.05 below its value without one) and more
    /// cases would tell. Without site intervals (`--bootstrap 0`) the point estimates decide.
    public func assess(site: SiteValidation.Figures, siteCI: [String: [Double]] = [:]) -> (verdicts: [String], notes: [String]) {
        var verdicts: [String] = [], notes: [String] = []
        let named = site.named
        let higherIsBetter = ["auc", "sensitivity", "froc_sensitivity_at_0.5_fp", "froc_sensitivity_at_1_fp", "froc_sensitivity_at_2_fp"]
        for k in higherIsBetter {
            guard let s = named[k], let c = values[k] else { continue }
            let floor = intervals[k]?[0] ?? c - 0.05
            guard s < floor else { continue }
            let text = String(format: "%@ is %.3f here, below the card's %.3f%@", k, s, c,
                              intervals[k].map { String(format: " (95%% interval %.3f–%.3f)", $0[0], $0[1]) } ?? "")
            if let upper = siteCI[k]?[1], upper >= (intervals[k]?[0] ?? c) {
                notes.append(text + String(format: ", but this site's interval reaches %.3f: more cases would tell", upper))
            } else {
                verdicts.append(text + ": the model finds less on this site's cases")
            }
        }
        if let s = named["ece"], let c = values["ece"], s > c + 0.05 {
            let text = String(format: "ECE is %.3f here against the card's %.3f", s, c)
            if let lower = siteCI["ece"]?[0], lower <= c + 0.05 {
                notes.append(text + String(format: ", but this site's interval starts at %.3f", lower))
            } else {
                verdicts.append(text + ": its probabilities overstate or understate on this site's cases")
            }
        }
        if let s = named["false_marks_per_unit"], let c = values["false_marks_per_unit"], s > c * 1.5 + 0.05 {
            let text = String(format: "%.2f false marks per unit here against the card's %.2f at the same operating point", s, c)
            if let lower = siteCI["false_marks_per_unit"]?[0], lower <= c * 1.5 + 0.05 { notes.append(text + " (within this site's interval)") }
            else { verdicts.append(text) }
        }
        if site.abstentionRate > 0.05 {
            verdicts.append(String(format: "the model abstained on %.0f%% of the cases: they are outside what it was validated on", site.abstentionRate * 100))
        }
        return (verdicts, notes)
    }

    /// `assess(site:)`'s verdicts on point estimates alone.
    public func verdicts(site: SiteValidation.Figures) -> [String] { assess(site: site).verdicts }
}
