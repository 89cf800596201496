import Analysis
import Foundation

/// A finding under review, the one shape the panel shows, the store records a decision about and
/// every export starts from: proposed by a model (`origin == .ai`, made from an Analysis `Finding`
/// by the workstation) or marked by the reader, placed on one image in its pixels.
public struct ReviewFinding: Sendable, Equatable {
    /// Stable key within the study (AI: the model's finding id; reader: made when marked).
    public var key: String
    public var origin: FindingOrigin
    public var label: String
    public var probability: Double?
    public var risk: RiskLevel?
    public var seriesUID: String
    public var sopUID: String
    /// Centre in image pixels (column, row) on the instance `sopUID`; nil when the source gave no
    /// place (an SR finding without coordinates).
    public var centerX: Double?
    public var centerY: Double?
    /// Slice index within the series where it was decided, when the store recorded one.
    public var slice: Int?
    /// Box size in pixels (0 × 0 for a point).
    public var width: Double
    public var height: Double
    public var diameterMM: Double?
    public var volumeML: Double?
    /// Lung-RADS or BI-RADS category, when the model assigns one.
    public var category: String?
    /// The model flagged this input as out of distribution.
    public var outOfDistribution: Bool
    public var model: ModelIdentity?
    /// The 1-based frame of `sopUID` for a finding on a frame of a multi-frame image.
    public var frameNumber: Int?
    /// Brain MR infarcts: estimated arterial territory ("left MCA").
    public var territory: String?
    /// Brain MR infarcts: the DWI–FLAIR mismatch call and the FLAIR relative signal behind it.
    public var dwiFlairMismatch: Bool?
    public var flairRelativeSignal: Double?
    /// Lung nodules read against a prior: the matched prior nodule and how it changed (the
    /// analysis's match, or the reader's re-link).
    public var prior: PriorComparison?
    /// The analysis's own comparison, kept when the reader's re-link or unlink replaced `prior`.
    public var analysisPrior: PriorComparison?
    /// From the AI's analysis (not kept in the review store; `ReviewedFinding.withMeasurements`):
    /// the longest in-plane diameter and the one perpendicular to it (mm), the Brock model 2b
    /// malignancy probability (0…1) of a lung nodule, and a haemorrhage's ABC/2 volume (mL).
    public var longAxisMM: Double?
    public var shortAxisMM: Double?
    public var malignancyProbability: Double?
    public var volumeABC2ML: Double?

    public init(key: String, origin: FindingOrigin, label: String, probability: Double? = nil, risk: RiskLevel? = nil,
                seriesUID: String = "", sopUID: String = "", centerX: Double? = nil, centerY: Double? = nil, slice: Int? = nil,
                width: Double = 0, height: Double = 0, diameterMM: Double? = nil, volumeML: Double? = nil,
                category: String? = nil, outOfDistribution: Bool = false, model: ModelIdentity? = nil) {
        self.key = key; self.origin = origin; self.label = label; self.probability = probability; self.risk = risk
        self.seriesUID = seriesUID; self.sopUID = sopUID; self.centerX = centerX; self.centerY = centerY; self.slice = slice
        self.width = width; self.height = height; self.diameterMM = diameterMM; self.volumeML = volumeML
        self.category = category; self.outOfDistribution = outOfDistribution; self.model = model
    }

    /// "left MCA · DWI–FLAIR mismatch (FLAIR rSI 1.04)" for an infarct, nil for other findings.
    public var strokeSummary: String? {
        var parts: [String] = []
        if let t = territory, !t.isEmpty { parts.append(t) }
        if let m = dwiFlairMismatch {
            let rsi = flairRelativeSignal.map { String(format: " (FLAIR rSI %.2f)", $0) } ?? ""
            parts.append((m ? "DWI–FLAIR mismatch" : "no DWI–FLAIR mismatch") + rsi)
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// "+3.1 mm, VDT 210 d, growing, Lung-RADS 4B" for a nodule compared with its prior ("new,
    /// Lung-RADS 3" when it had none), nil for findings read without a prior.
    public var priorSummary: String? {
        guard let p = prior else { return nil }
        var parts: [String] = []
        if p.status != .new, let d = p.meanDiameterChangeMM ?? p.diameterChangeMM, d.isFinite {
            parts.append(String(format: "%@%.1f mm", d >= 0 ? "+" : "−", abs(d)))
        }
        if let vdt = p.volumeDoublingDays, vdt.isFinite, vdt > 0, p.status == .growing || p.status == .stable {
            parts.append(vdt >= 10_000 ? "VDT > 10000 d" : String(format: "VDT %.0f d", vdt))
        }
        // Mammography says whether the finding was on the prior (its suspicion lowered when stable).
        if let present = p.presentOnPrior { parts.append(present ? "on the prior" : "not on the prior") }
        parts.append(p.status.rawValue)
        if let c = category, !c.isEmpty { parts.append("\(p.presentOnPrior == nil ? "Lung-RADS" : "BI-RADS") \(c)") }
        return parts.joined(separator: ", ")
    }

    /// A box (non-zero size) rather than a point.
    public var isRegion: Bool { width > 0 && height > 0 }

    /// The same finding, seen on slice `slice` (what the store records with a decision).
    public func on(slice: Int?) -> ReviewFinding {
        var f = self
        f.slice = slice
        return f
    }
}
