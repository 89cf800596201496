import Foundation
import Inference

/// The parts of a model card that `Inference.ModelCard` does not model but Analysis needs: the
/// MONOCHROME1 switch, the resampling method, the presentation intent, whether the model reads a
/// view beside the other breast's, and the candidate rule (`postprocessing.candidate_rule`).
/// Read from the card file once per model (`ModelCatalog.Entry.details`); the optional keys take
/// the documented defaults, the candidate rule is required.
public struct CardDetails: Sendable, Equatable {
    /// Invert MONOCHROME1 images before normalising (card `preprocessing.invert_monochrome1`).
    public var invertMonochrome1: Bool = true
    /// "area" (torch adaptive average pooling) or "bilinear" (card `preprocessing.resample`).
    public var areaResample: Bool = true
    /// The model's second input channel is the same view of the other breast (card
    /// `preprocessing.contralateral_channel`; see `ContralateralPairing`).
    public var contralateralChannel: Bool = false
    /// Card `intended_use.presentation_intent` (e.g. "FOR PRESENTATION").
    public var presentationIntent: String?
    public var candidates = CandidateRule()
    /// The heatmap peak at which the card's in-distribution FROC reached 0.5 false positives per
    /// image or volume (`validation.in_distribution.froc_thresholds["0.5"]`): the validated
    /// operating point, used as the default reporting threshold.
    public var operatingThreshold: Float?

    /// Local maxima of the heatmap become candidates (docs/ANALYSIS_JSON.md, "Candidates").
    public struct CandidateRule: Sendable, Equatable {
        /// Peaks below this probability are not proposed (card: `minimum_peak`).
        public var minimumPeak: Float = 0.1
        /// Neighbourhood of the local-maximum test, in model-grid pixels (card: `window`).
        public var window: Int = 7
        /// Slices of the neighbourhood for volumes (card: `slice_window`).
        public var sliceWindow: Int = 3
        /// Greedy suppression radius: millimetres (`suppression_mm`), or model-grid pixels (`suppression_px`).
        public var suppressionMM: Double? = 10
        public var suppressionPX: Double?
    }

    public init() {}

    /// Why a card cannot be used: its `postprocessing.candidate_rule` is missing or malformed.
    /// (Before, the rule was read from the card's prose and fell back to defaults without a word.)
    public struct Problem: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Details for `card`, read once from `card.path`.
    public init(card: ModelCard) throws {
        guard let path = card.path, let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Problem(description: "the card file of \(card.id) cannot be read")
        }
        try self.init(json: root)
    }

    public init(json root: [String: Any]) throws {
        let pre = root["preprocessing"] as? [String: Any] ?? [:]
        if let invert = pre["invert_monochrome1"] as? Bool { invertMonochrome1 = invert }
        if let pair = pre["contralateral_channel"] as? [String: Any] {
            contralateralChannel = (pair["channel"] as? NSNumber)?.intValue == 1
        }
        if let method = (pre["resample"] as? String)?.lowercased() {
            areaResample = method.contains("area") || method.contains("box") || !method.contains("bilinear")
        }
        presentationIntent = (root["intended_use"] as? [String: Any])?["presentation_intent"] as? String
        let post = root["postprocessing"] as? [String: Any] ?? [:]
        guard let rule = post["candidate_rule"] as? [String: Any] else {
            throw Problem(description: "the card has no postprocessing.candidate_rule {minimum_peak, window, suppression_mm or suppression_px}")
        }
        candidates = try Self.candidateRule(rule)
        let froc = ((root["validation"] as? [String: Any])?["in_distribution"] as? [String: Any])?["froc_thresholds"] as? [String: Any]
        if let t = (froc?["0.5"] as? NSNumber)?.floatValue, t > 0, t < 1 { operatingThreshold = t }
    }

    /// `postprocessing.candidate_rule`: `minimum_peak` (0…1), `window` (odd, model-grid pixels),
    /// `slice_window` (odd; volumes only, default 1), and exactly one of `suppression_mm` or
    /// `suppression_px` (> 0).
    static func candidateRule(_ json: [String: Any]) throws -> CandidateRule {
        func number(_ key: String) -> Double? { (json[key] as? NSNumber)?.doubleValue.nilIfNotFinite }
        func odd(_ key: String, default value: Int?) throws -> Int {
            guard let v = number(key) ?? value.map(Double.init) else { throw Problem(description: "candidate_rule.\(key) is missing") }
            guard v >= 1, v <= 63, v == v.rounded(), Int(v) % 2 == 1 else {
                throw Problem(description: "candidate_rule.\(key) must be an odd whole number of pixels (1…63), not \(v)")
            }
            return Int(v)
        }
        var rule = CandidateRule()
        guard let peak = number("minimum_peak"), peak > 0, peak < 1 else {
            throw Problem(description: "candidate_rule.minimum_peak must be a probability between 0 and 1")
        }
        rule.minimumPeak = Float(peak)
        rule.window = try odd("window", default: nil)
        rule.sliceWindow = try odd("slice_window", default: 1)
        switch (number("suppression_mm"), number("suppression_px")) {
        case let (mm?, nil) where mm > 0: rule.suppressionMM = mm; rule.suppressionPX = nil
        case let (nil, px?) where px > 0: rule.suppressionPX = px; rule.suppressionMM = nil
        default: throw Problem(description: "candidate_rule needs one positive suppression_mm or suppression_px")
        }
        return rule
    }
}

private extension Double {
    var nilIfNotFinite: Double? { isFinite ? self : nil }
}
