import Analysis
import Foundation

/// A first draft of a report's findings and impression, worked out from the findings the reader
/// kept: accepted and corrected AI findings (with the corrected values) and the reader's own marks.
/// Rejected findings are left out. Pure: the same findings and study give the same text.
///
/// Wording by kind of study:
/// - low-dose CT nodules: ACR Lung-RADS v2022 (baseline), category with its descriptor and the
///   ACR management; the impression gives the highest category (1 when nothing was kept). The
///   category is worked out from the nodule's type (from its label) and mean diameter whenever the
///   reader corrected the finding or the model gave none; otherwise the model's category stands (it
///   may carry 4X features the size alone cannot);
/// - mammography: ACR BI-RADS 5th edition category, assessment wording and management; from the
///   finding's category, else the band of its calibrated probability (`BreastSuspicion.birads`);
/// - brain MR infarcts: volume, estimated territory and the DWI–FLAIR mismatch call, when present;
/// - anything else: label, diameter or volume.
///
/// It is a draft: the reader edits it, and only what they sign is the report.
public enum ReportDraft {
    /// What the draft needs to know about the study.
    public struct Study: Sendable, Equatable {
        public var modality: String
        public var description: String
        public var bodyPart: String
        public init(modality: String, description: String = "", bodyPart: String = "") {
            self.modality = modality.uppercased(); self.description = description; self.bodyPart = bodyPart
        }
    }

    public static func make(_ findings: [ReviewedFinding], study: Study) -> ReportText {
        let kept = findings.filter { $0.outcome != .rejected }
        switch study.modality {
        case "MG": return mammography(kept)
        case "CT" where isLungScreening(study, kept): return lungScreening(kept)
        default: return general(kept, study: study)
        }
    }

    // MARK: Low-dose CT, Lung-RADS v2022

    static func isLungScreening(_ study: Study, _ findings: [ReviewedFinding]) -> Bool {
        let d = (study.description + " " + study.bodyPart).uppercased()
        return ["LDCT", "LOW DOSE", "LOW-DOSE", "SCREENING", "LUNG"].contains { d.contains($0) } || findings.contains(where: isNodule)
    }

    static func isNodule(_ f: ReviewedFinding) -> Bool { f.label.lowercased().contains("nodule") }

    /// Lung-RADS nodule type from the label's words.
    static func noduleType(_ label: String) -> LungRADS.NoduleType {
        let l = label.lowercased()
        if l.contains("part-solid") || l.contains("part solid") || l.contains("subsolid") { return .partSolid }
        if l.contains("ground-glass") || l.contains("ground glass") || l.contains("non-solid") || l.contains("nonsolid") { return .groundGlass }
        return .solid
    }

    /// The nodule's category: the model's, unless corrected or absent; then from type and size.
    static func lungRADS(_ f: ReviewedFinding) -> LungRADS.Category? {
        if f.outcome != .corrected, let c = f.category.flatMap({ LungRADS.Category(rawValue: $0.uppercased()) }) { return c }
        guard let d = f.diameterMM, d.isFinite, d > 0 else { return nil }
        return LungRADS.category(type: noduleType(f.label), meanDiameterMM: d)
    }

    static func descriptor(_ c: LungRADS.Category) -> String {
        switch c {
        case .two: "benign appearance or behavior"
        case .three: "probably benign"
        case .fourA: "suspicious"
        case .fourB: "very suspicious"
        case .fourX: "very suspicious, with additional features"
        }
    }

    static func lungScreening(_ findings: [ReviewedFinding]) -> ReportText {
        var lines: [String] = []
        var worst: (category: LungRADS.Category, number: Int)?
        let order = LungRADS.Category.allCases
        for (i, f) in findings.enumerated() {
            var line = "\(i + 1). \(sentence(f.label))\(size(f))\(readerNote(f))."
            if isNodule(f) {
                if let c = lungRADS(f) {
                    line += " Lung-RADS v2022 category \(c.rawValue) (\(descriptor(c)))."
                    if worst.map({ order.firstIndex(of: c)! > order.firstIndex(of: $0.category)! }) ?? true { worst = (c, i + 1) }
                } else {
                    line += " Size not measured: no Lung-RADS category assigned."
                }
            }
            lines.append(line)
        }
        if findings.isEmpty { lines.append("No pulmonary nodules.") }
        let impression: String
        if let (c, n) = worst {
            impression = "Lung-RADS v2022 category \(c.rawValue): \(descriptor(c)) (finding \(n)). Management: \(c.management)."
        } else if findings.contains(where: isNodule) {
            impression = "Lung-RADS v2022 category 0: incomplete (nodule size not measured)."
        } else {
            impression = "Lung-RADS v2022 category 1: negative. Management: continue annual screening with LDCT in 12 months."
        }
        return ReportText(findings: lines.joined(separator: "\n"), impression: impression)
    }

    // MARK: Mammography, BI-RADS

    /// BI-RADS categories in increasing order of concern (0 is asked for separately).
    static let biradsOrder = ["1", "2", "3", "4", "4A", "4B", "4C", "5", "6"]

    static func birads(_ f: ReviewedFinding) -> String? {
        if let c = f.category?.uppercased(), biradsOrder.contains(c) || c == "0" { return c }
        guard f.origin == .ai, let p = f.probability, p.isFinite else { return nil }
        return BreastSuspicion.birads(p).rawValue
    }

    static func biradsWording(_ c: String) -> (assessment: String, management: String) {
        switch c {
        case "0": ("incomplete: need additional imaging evaluation", "recall for additional imaging and/or comparison with prior examinations")
        case "1": ("negative", "routine mammography screening")
        case "2": ("benign", "routine mammography screening")
        case "3": ("probably benign", "short-interval (6-month) follow-up or continued surveillance mammography")
        case "4": ("suspicious", "tissue diagnosis")
        case "4A": ("low suspicion for malignancy", "tissue diagnosis")
        case "4B": ("moderate suspicion for malignancy", "tissue diagnosis")
        case "4C": ("high suspicion for malignancy", "tissue diagnosis")
        case "5": ("highly suggestive of malignancy", "tissue diagnosis")
        default: ("known biopsy-proven malignancy", "surgical excision when clinically appropriate")
        }
    }

    static func mammography(_ findings: [ReviewedFinding]) -> ReportText {
        var lines: [String] = []
        var worst: (category: String, number: Int)?
        var incomplete = false
        for (i, f) in findings.enumerated() {
            var line = "\(i + 1). \(sentence(f.label))\(size(f))\(readerNote(f))."
            if let c = birads(f) {
                line += " BI-RADS \(c): \(biradsWording(c).assessment)."
                if c == "0" { incomplete = true } else if worst.map({ biradsOrder.firstIndex(of: c)! > biradsOrder.firstIndex(of: $0.category)! }) ?? true {
                    worst = (c, i + 1)
                }
            }
            lines.append(line)
        }
        if findings.isEmpty { lines.append("No suspicious mass, calcification or architectural distortion.") }
        let overall = incomplete && (worst.map { ["1", "2", "3"].contains($0.category) } ?? true) ? "0" : worst?.category ?? "1"
        let w = biradsWording(overall)
        let which = worst.map { overall == $0.category ? " (finding \($0.number))" : "" } ?? ""
        return ReportText(findings: lines.joined(separator: "\n"),
                          impression: "BI-RADS \(overall): \(w.assessment)\(which). Management: \(w.management).")
    }

    // MARK: Everything else (brain MR infarcts included)

    static func general(_ findings: [ReviewedFinding], study: Study) -> ReportText {
        var lines: [String] = []
        var impressions: [String] = []
        for (i, f) in findings.enumerated() {
            var line = "\(i + 1). \(sentence(f.label))\(size(f))"
            if let t = f.territory, !t.isEmpty { line += ", \(t) territory" }
            line += "\(readerNote(f))."
            if let m = f.dwiFlairMismatch {
                let rsi = f.flairRelativeSignal.map { String(format: " (FLAIR relative signal %.2f)", $0) } ?? ""
                line += m ? " DWI–FLAIR mismatch present\(rsi)." : " No DWI–FLAIR mismatch\(rsi)."
            }
            lines.append(line)
            var impression = sentence(f.label)
            if let t = f.territory, !t.isEmpty { impression += " in the \(t) territory" }
            if let v = f.volumeML, v.isFinite { impression += String(format: ", %.1f mL", v) }
            else if let d = f.diameterMM, d.isFinite { impression += String(format: ", %.1f mm", d) }
            if let m = f.dwiFlairMismatch {
                impression += m ? "; DWI–FLAIR mismatch, which suggests onset within about 4.5 hours"
                    : "; no DWI–FLAIR mismatch (visible on FLAIR), which suggests onset more than about 4.5 hours ago"
            }
            impressions.append("\(impressions.count + 1). \(impression).")
        }
        if findings.isEmpty {
            lines.append("No findings kept on review.")
            impressions.append("No abnormality among the reviewed findings.")
        }
        return ReportText(findings: lines.joined(separator: "\n"), impression: impressions.joined(separator: "\n"))
    }

    // MARK: Pieces

    /// The label as the start of a sentence (first letter upper-case), or "Finding" when empty.
    static func sentence(_ label: String) -> String {
        let t = label.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = t.first else { return "Finding" }
        return first.uppercased() + t.dropFirst()
    }

    /// ", volume 12.4 mL" for findings sized by volume (infarcts, haemorrhage), ", 7.5 mm" otherwise.
    static func size(_ f: ReviewedFinding) -> String {
        if let v = f.volumeML, v.isFinite, v > 0, f.diameterMM == nil || f.strokeSummary != nil {
            return String(format: ", volume %.1f mL", v)
        }
        if let d = f.diameterMM, d.isFinite, d > 0 { return String(format: ", %.1f mm", d) }
        if let v = f.volumeML, v.isFinite, v > 0 { return String(format: ", volume %.1f mL", v) }
        return ""
    }

    static func readerNote(_ f: ReviewedFinding) -> String {
        f.outcome == .addedByReader ? " (marked by the reader)" : ""
    }
}
