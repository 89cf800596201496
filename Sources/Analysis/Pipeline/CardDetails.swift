import Foundation
import Inference

/// The parts of a model card that `Inference.ModelCard` does not model but Analysis needs: the
/// MONOCHROME1 switch, the resampling method, the presentation intent, whether the model reads a
/// view beside the other breast's, and the candidate rule of the card's `postprocessing` text.
/// Read from the card file itself; absent keys take the documented defaults.
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
        /// Peaks below this probability are not proposed (card: "p >= 0.1").
        public var minimumPeak: Float = 0.1
        /// Neighbourhood of the local-maximum test, in model-grid pixels (card: "7x7", "3x7x7").
        public var window: Int = 7
        /// Slices of the neighbourhood for volumes (card: "3x7x7").
        public var sliceWindow: Int = 3
        /// Greedy suppression radius: millimetres, or model-grid pixels when the card states px.
        public var suppressionMM: Double? = 10
        public var suppressionPX: Double?
    }

    public init() {}

    /// Details for `card` (read from `card.path`); defaults when the file cannot be read.
    public init(card: ModelCard) {
        guard let path = card.path, let data = FileManager.default.contents(atPath: path),
              let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { self.init(); return }
        self.init(json: root)
    }

    public init(json root: [String: Any]) {
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
        if let text = post["candidates"] as? String { candidates = Self.parse(text) }
        let froc = ((root["validation"] as? [String: Any])?["in_distribution"] as? [String: Any])?["froc_thresholds"] as? [String: Any]
        if let t = (froc?["0.5"] as? NSNumber)?.floatValue, t > 0, t < 1 { operatingThreshold = t }
    }

    /// Reads "local maxima (7x7) … p >= 0.1 … suppression within 8 px" or "3x7x7 … within 10 mm".
    static func parse(_ text: String) -> CandidateRule {
        var rule = CandidateRule()
        let t = text.lowercased()
        if let m = t.firstMatch(of: #/p\s*>=\s*([0-9.]+)/#), let v = Float(m.1) { rule.minimumPeak = v }
        if let m = t.firstMatch(of: #/(\d+)x(\d+)x(\d+)/#), let z = Int(m.1), let w = Int(m.3) {
            rule.sliceWindow = z; rule.window = w
        } else if let m = t.firstMatch(of: #/(\d+)x(\d+)/#), let w = Int(m.2) {
            rule.window = w
        }
        if let m = t.firstMatch(of: #/within\s+([0-9.]+)\s*(mm|px)/#), let v = Double(m.1) {
            if m.2 == "mm" { rule.suppressionMM = v; rule.suppressionPX = nil } else { rule.suppressionPX = v; rule.suppressionMM = nil }
        }
        rule.window = max(1, rule.window | 1)
        rule.sliceWindow = max(1, rule.sliceWindow | 1)
        return rule
    }
}
