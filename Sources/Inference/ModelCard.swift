import Foundation

/// The card that ships beside each model (`MODEL.json`, same stem as `MODEL.onnx`): what the
/// model is for, how to prepare its input, what its outputs mean, and how it was validated.
/// Keys are snake_case in the file. Analysis reads the card; Inference only verifies that the
/// card belongs to the model (sha256) and exposes it.
public struct ModelCard: Codable, Sendable, Equatable {
    public enum Task: String, Codable, Sendable { case classification, heatmap, segmentation, detection }

    public struct IntendedUse: Codable, Sendable, Equatable {
        public var modality: String
        public var bodyPart: String
        public var views: [String]?
        /// [min, max] in millimetres per pixel.
        public var pixelSpacingRange: [Double]?
        public var photometricInterpretation: String?
    }

    public struct Window: Codable, Sendable, Equatable { public var center: Double; public var width: Double }

    public struct Preprocessing: Codable, Sendable, Equatable {
        /// [height, width] the image is resampled to.
        public var resampleSize: [Int]
        /// Window in HU (CT), or nil when `percentileNormalization` is used.
        public var windowHu: Window?
        /// [low, high] percentiles mapped to [0, 1].
        public var percentileNormalization: [Double]?
        public var mean: [Float]?
        public var std: [Float]?
        /// e.g. "NCHW", with `channels` input channels.
        public var channelLayout: String
        public var channels: Int?
    }

    /// A named probability cut-off of the card's `outputs.risk_levels` (the level a finding reaches
    /// when its probability is at least `threshold`).
    public struct RiskThreshold: Codable, Sendable, Equatable { public var name: String; public var threshold: Float }

    public struct Outputs: Codable, Sendable, Equatable {
        /// Output tensor holding class scores.
        public var scores: String?
        public var labels: [String]?
        /// Output tensor that already is a heatmap (used as is for explanations).
        public var heatmap: String?
        /// Whether scores are logits (apply sigmoid/softmax) or probabilities.
        public var activation: String?
        /// Risk levels per label, ascending thresholds.
        public var riskLevels: [String: [RiskThreshold]]?
    }

    public struct Validation: Codable, Sendable, Equatable {
        public var dataset: String?
        public var metrics: [String: Double]?
    }

    public var id: String
    public var version: String
    public var sha256: String
    public var task: Task
    public var intendedUse: IntendedUse
    public var preprocessing: Preprocessing
    public var outputs: Outputs
    public var validation: Validation?
    public var notForClinicalUse: Bool
    /// `false` for a model whose pre- and post-processing the analysis pipeline does not implement
    /// (deepbet's 3-D brain mask): it is listed and can be run with `lightbox onnx run`, but is
    /// never matched to a series. Absent (every synthetic demo model): true.
    public var runsInAnalysis: Bool?
    /// Path of the card file (not stored in the card).
    public var path: String?

    private enum CodingKeys: String, CodingKey {
        case id, version, sha256, task, intendedUse, preprocessing, outputs, validation, notForClinicalUse, runsInAnalysis
    }

    /// Parses a card from JSON.
    public static func decode(_ data: Data) throws -> ModelCard {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        do { return try d.decode(ModelCard.self, from: data) }
        catch let e as DecodingError { throw ONNXError.card("cannot parse card: \(Self.describe(e))") }
    }

    public func encodedJSON() throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }

    /// Finds `NAME.json` beside `NAME.onnx`; nil when there is none.
    public static func find(beside model: URL) throws -> ModelCard? {
        let url = model.deletingPathExtension().appendingPathExtension("json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        var card = try decode(data)
        card.path = url.path
        return card
    }

    /// Throws unless `sha256` matches the model file's bytes.
    public func verify(modelBytes: [UInt8]) throws {
        let actual = SHA256.hex(modelBytes)
        guard actual == sha256.lowercased() else {
            throw ONNXError.card("sha256 mismatch for '\(id)': card says \(sha256), file is \(actual)")
        }
    }

    /// SHA-256 hex digest, for writing cards.
    public static func sha256(of bytes: [UInt8]) -> String { SHA256.hex(bytes) }

    /// All cards in a folder, each with its model file checked against the card's sha256.
    public static func list(in folder: URL) throws -> [(card: ModelCard, model: URL, verified: Bool)] {
        try cards(in: folder).map { card, url in
            let bytes = FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } ?? []
            return (card, url, (try? card.verify(modelBytes: bytes)) != nil)
        }
    }

    /// All cards in a folder, with the model file each belongs to, not yet hashed.
    public static func cards(in folder: URL) throws -> [(card: ModelCard, model: URL)] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var out: [(ModelCard, URL)] = []
        for f in files.sorted() where f.hasSuffix(".onnx") {
            let url = folder.appendingPathComponent(f)
            guard let card = try find(beside: url) else { continue }
            out.append((card, url))
        }
        return out
    }

    private static func describe(_ e: DecodingError) -> String {
        switch e {
        case .keyNotFound(let k, let c): return "missing key '\(k.stringValue)' at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            return "\(c.debugDescription) at \(c.codingPath.map(\.stringValue).joined(separator: "."))"
        @unknown default: return "\(e)"
        }
    }
}
