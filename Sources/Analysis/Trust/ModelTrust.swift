import Foundation
import Inference

/// What a model card says about how far its output can be trusted, beyond `Inference.ModelCard`
/// (which knows nothing of clinical meaning): the content detector (`ood_detector`), the
/// calibration of its probabilities (`calibration`), and the reporting threshold chosen on the
/// tuning split (`operating_point`). Read once per catalog entry.
///
/// A card without these sections (an older or third-party model) still runs: its probabilities are
/// shown raw and marked uncalibrated, and only the header checks guard its input.
public struct ModelTrust: Sendable, Equatable {
    public var detector: ContentOODDetector?
    /// Finding-level calibration (heatmap peak → probability the mark is a lesion).
    public var candidateCalibration: PlattCalibration?
    /// Image-level score calibration.
    public var scoreCalibration: PlattCalibration?
    public var operatingPoint: OperatingPoint?
    /// The card's `outputs.risk_levels` thresholds apply to calibrated probabilities.
    public var riskLevelsCalibrated = false

    /// The reporting threshold of a card: a calibrated probability and the raw heatmap peak it
    /// corresponds to (the candidate rule runs on raw peaks).
    public struct OperatingPoint: Codable, Sendable, Equatable {
        public var threshold: Double
        public var rawThreshold: Double
        enum CodingKeys: String, CodingKey { case threshold; case rawThreshold = "raw_threshold" }
    }

    public init() {}

    /// Whether the card declares calibrated probabilities.
    public var isCalibrated: Bool { candidateCalibration != nil }

    /// The trust sections of the card at `path`; empty when the file has none. Throws when a
    /// section is present but malformed (a corrupt detector must not silently pass everything).
    public init(cardAt path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { self.init(); return }
        try self.init(cardJSON: data)
    }

    public init(cardJSON data: Data) throws {
        let sections: Sections
        do { sections = try JSONDecoder().decode(Sections.self, from: data) } catch {
            throw ContentOODDetector.Problem.malformed("cannot read the card's trust sections: \(error)")
        }
        self.init()
        if let d = sections.oodDetector {
            guard d.method.lowercased() == "mahalanobis" else { throw ContentOODDetector.Problem.malformed("unknown method \(d.method)") }
            guard d.aggregate?.lowercased() ?? "median" == "median" else {
                throw ContentOODDetector.Problem.malformed("unknown aggregate \(d.aggregate ?? "")")
            }
            guard d.precision.allSatisfy({ $0.count == d.mean.count }) else {
                throw ContentOODDetector.Problem.malformed("precision is not \(d.mean.count)×\(d.mean.count)")
            }
            detector = try ContentOODDetector(featureOutput: d.featureOutput, mean: d.mean, precision: d.precision.flatMap { $0 },
                                              threshold: d.threshold)
        }
        if let c = sections.calibration {
            for (name, cal) in [("candidates", c.candidates), ("image_score", c.imageScore)] {
                if let cal, !cal.isUsable { throw ContentOODDetector.Problem.malformed("calibration.\(name) needs finite a > 0 and b") }
            }
            candidateCalibration = c.candidates
            scoreCalibration = c.imageScore
        }
        if let op = sections.operatingPoint {
            guard op.threshold > 0, op.threshold < 1, op.rawThreshold > 0, op.rawThreshold < 1 else {
                throw ContentOODDetector.Problem.malformed("operating_point thresholds must be in (0, 1)")
            }
            operatingPoint = op
        }
        riskLevelsCalibrated = sections.outputs?.riskLevelsSpace?.lowercased() == "calibrated"
    }

    private struct Sections: Decodable {
        struct Detector: Decodable {
            var method: String
            var featureOutput: String
            var mean: [Double]
            var precision: [[Double]]
            var threshold: Double
            var aggregate: String?
            enum CodingKeys: String, CodingKey {
                case method, mean, precision, threshold, aggregate
                case featureOutput = "feature_output"
            }
        }
        struct Calibration: Decodable {
            var candidates: PlattCalibration?
            var imageScore: PlattCalibration?
            enum CodingKeys: String, CodingKey { case candidates; case imageScore = "image_score" }
        }
        struct Outputs: Decodable {
            var riskLevelsSpace: String?
            enum CodingKeys: String, CodingKey { case riskLevelsSpace = "risk_levels_space" }
        }
        var oodDetector: Detector?
        var calibration: Calibration?
        var operatingPoint: OperatingPoint?
        var outputs: Outputs?
        enum CodingKeys: String, CodingKey {
            case calibration, outputs
            case oodDetector = "ood_detector"
            case operatingPoint = "operating_point"
        }
    }
}
