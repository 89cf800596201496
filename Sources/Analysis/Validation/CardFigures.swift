import Foundation

/// What a model card claims, in the names `SiteValidation.Figures.named` uses, with the card's 95 %
/// intervals where it gives them; and the plain-language verdict when a site's figures fall short.
public struct CardFigures: Sendable {
    public var values: [String: Double] = [:]
    public var intervals: [String: [Double]] = [:]

    public init() {}

    /// Reads `validation.in_distribution` (figures, ci95) and `operating_point.held_out` of the card at `path`.
    public init(cardAt path: String) {
        self.init()
        guard let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return }
        let ind = (root["validation"] as? [String: Any])?["in_distribution"] as? [String: Any] ?? [:]
        let figures = ind["figures"] as? [String: Any] ?? [:]
        func num(_ v: Any?) -> Double? { (v as? NSNumber)?.doubleValue }
        values["auc"] = num(figures["image_auc"]) ?? num(figures["study_auc"])
        for k in ["froc_sensitivity_at_0.5_fp", "froc_sensitivity_at_1_fp", "froc_sensitivity_at_2_fp", "ece"] {
            values[k] = num(figures[k])
        }
        let ci = ind["ci95"] as? [String: Any] ?? [:]
        for (k, v) in ci {
            guard let pair = v as? [Any], pair.count == 2, let lo = num(pair[0]), let hi = num(pair[1]) else { continue }
            let name = k == "image_auc" || k == "study_auc" ? "auc" : k
            intervals[name] = [lo, hi]
        }
        let held = (root["operating_point"] as? [String: Any])?["held_out"] as? [String: Any] ?? [:]
        values["sensitivity"] = num(held["sensitivity"])
        values["false_marks_per_unit"] = num(held["false_marks_per_image"]) ?? num(held["false_marks_per_scan"])
            ?? num(held["false_marks_per_unit"])
    }

    /// One sentence per figure where the site does worse than the card: below the card's interval
    /// (or, without one, more than 0.05 below its value); for ECE and false marks, above. Empty
    /// when the site's figures hold up.
    public func verdicts(site: SiteValidation.Figures) -> [String] {
        var out: [String] = []
        let named = site.named
        let higherIsBetter = ["auc", "sensitivity", "froc_sensitivity_at_0.5_fp", "froc_sensitivity_at_1_fp", "froc_sensitivity_at_2_fp"]
        for k in higherIsBetter {
            guard let s = named[k], let c = values[k] else { continue }
            let floor = intervals[k]?[0] ?? c - 0.05
            if s < floor {
                out.append(String(format: "%@ is %.3f here, below the card's %.3f%@: the model finds less on this site's cases",
                                  k, s, c, intervals[k].map { String(format: " (95%% interval %.3f–%.3f)", $0[0], $0[1]) } ?? ""))
            }
        }
        if let s = named["ece"], let c = values["ece"], s > c + 0.05 {
            out.append(String(format: "ECE is %.3f here against the card's %.3f: its probabilities overstate or understate on this site's cases", s, c))
        }
        if let s = named["false_marks_per_unit"], let c = values["false_marks_per_unit"], s > c * 1.5 + 0.05 {
            out.append(String(format: "%.2f false marks per unit here against the card's %.2f at the same operating point", s, c))
        }
        if site.abstentionRate > 0.05 {
            out.append(String(format: "the model abstained on %.0f%% of the cases: they are outside what it was validated on", site.abstentionRate * 100))
        }
        return out
    }
}
