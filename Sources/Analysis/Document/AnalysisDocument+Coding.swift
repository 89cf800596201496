import Foundation
import Inference

extension AnalysisDocument {
    enum CodingKeys: String, CodingKey {
        case model, models, findings, runs, breasts, heatmaps, abstained, disclaimer, seconds
        case studyInstanceUID = "study_instance_uid"
        case imageScores = "image_scores"
    }

    /// A heatmap stored beside the document as a 2-D `.npy` (float32, float64 or uint8 scaled to 0…1)
    /// that spans the whole image.
    struct HeatmapFile: Decodable {
        var sopInstanceUID: String
        var npy: String
        enum CodingKeys: String, CodingKey {
            case npy
            case sopInstanceUID = "sop_instance_uid"
        }
    }

    /// One element of a list, or why it could not be read: a bad element costs only itself.
    struct Lossy<Element: Decodable>: Decodable {
        var value: Element?
        var problem: String?
        init(from decoder: Decoder) throws {
            do { value = try Element(from: decoder) } catch { problem = AnalysisDocument.describe(error) }
        }
    }

    /// Pretty-printed JSON with sorted keys. `heatmaps: false` leaves the maps out (they are large).
    public func encoded(heatmaps includeHeatmaps: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Written(document: self, heatmaps: includeHeatmaps))
    }

    private struct Written: Encodable {
        var document: AnalysisDocument
        var heatmaps: Bool
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(document.studyInstanceUID, forKey: .studyInstanceUID)
            try c.encode(document.models, forKey: .models)
            try c.encode(document.findings, forKey: .findings)
            try c.encode(document.runs, forKey: .runs)
            try c.encode(document.imageScores, forKey: .imageScores)
            try c.encode(document.breasts, forKey: .breasts)
            if heatmaps { try c.encode(document.heatmaps, forKey: .heatmaps) }
            try c.encode(document.abstained, forKey: .abstained)
            try c.encodeIfPresent(document.disclaimer, forKey: .disclaimer)
            try c.encodeIfPresent(document.seconds, forKey: .seconds)
        }
    }

    /// Reads a document. Accepted beside the current shape: a bare array of findings, and one
    /// file-level `model` instead of `models` (its findings inherit it). A heatmap entry is either
    /// inline (`width`, `height`, `values`, `source_columns`, `source_rows`) or names an `.npy`
    /// file in `directory` (a plain name: no folders, not hidden). Findings, runs, scores and maps
    /// that cannot be read are left out and listed in `problems`; only a file that is not a JSON
    /// object or array throws.
    public static func decode(_ data: Data, directory: URL? = nil) throws -> AnalysisDocument {
        let decoder = JSONDecoder()
        if let bare = try? decoder.decode([Lossy<Finding>].self, from: data) {
            var document = AnalysisDocument(findings: bare.compactMap(\.value))
            document.problems = bare.compactMap(\.problem).map { "finding left out: \($0)" }
            return document
        }
        let header: Header
        do { header = try decoder.decode(Header.self, from: data) } catch {
            throw ReadError(description: "not an analysis document: \(describe(error))")
        }
        let models = header.models?.compactMap(\.value) ?? header.model.map { [$0] } ?? []
        if let file = header.model { decoder.userInfo[Finding.documentModelKey] = file.reference }
        let body = try decoder.decode(Body.self, from: data)
        var document = AnalysisDocument(studyInstanceUID: header.studyInstanceUID, models: models,
                                        findings: body.findings?.compactMap(\.value) ?? [],
                                        runs: body.runs?.compactMap(\.value) ?? [],
                                        imageScores: body.imageScores?.compactMap(\.value) ?? [],
                                        breasts: body.breasts?.compactMap(\.value) ?? [],
                                        abstained: body.abstained ?? false, disclaimer: body.disclaimer, seconds: body.seconds)
        var problems = (body.findings ?? []).compactMap(\.problem).map { "finding left out: \($0)" }
        problems += (body.runs ?? []).compactMap(\.problem).map { "run left out: \($0)" }
        for entry in body.heatmaps ?? [] {
            if let inline = entry.inline.value {
                document.heatmaps.append(inline)
            } else if let file = entry.file {
                do { document.heatmaps.append(try readHeatmap(file, directory: directory)) } catch {
                    problems.append("heatmap \(file.npy) left out: \(describe(error))")
                }
            } else {
                problems.append("heatmap left out: \(entry.inline.problem ?? "unreadable")")
            }
        }
        document.problems = problems
        return document
    }

    /// The document at `url`; `.npy` heatmaps are read from its folder.
    public static func read(contentsOf url: URL) throws -> AnalysisDocument {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw ReadError(description: "\(url.lastPathComponent): \(error.localizedDescription)") }
        return try decode(data, directory: url.deletingLastPathComponent())
    }

    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    private struct Header: Decodable {
        var studyInstanceUID: String?
        var model: ModelStamp?
        var models: [Lossy<ModelStamp>]?
        enum CodingKeys: String, CodingKey { case model, models; case studyInstanceUID = "study_instance_uid" }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            studyInstanceUID = try? c.decodeIfPresent(String.self, forKey: .studyInstanceUID)
            model = try? c.decodeIfPresent(ModelStamp.self, forKey: .model)
            models = try? c.decodeIfPresent([Lossy<ModelStamp>].self, forKey: .models)
        }
    }

    private struct Body: Decodable {
        var findings: [Lossy<Finding>]?
        var runs: [Lossy<StudyAnalysis.Run>]?
        var imageScores: [Lossy<ImageScore>]?
        var breasts: [Lossy<BreastAssessment>]?
        var heatmaps: [HeatmapEntry]?
        var abstained: Bool?
        var disclaimer: String?
        var seconds: Double?
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: AnalysisDocument.CodingKeys.self)
            findings = try? c.decodeIfPresent([Lossy<Finding>].self, forKey: .findings)
            runs = try? c.decodeIfPresent([Lossy<StudyAnalysis.Run>].self, forKey: .runs)
            imageScores = try? c.decodeIfPresent([Lossy<ImageScore>].self, forKey: .imageScores)
            breasts = try? c.decodeIfPresent([Lossy<BreastAssessment>].self, forKey: .breasts)
            heatmaps = try? c.decodeIfPresent([HeatmapEntry].self, forKey: .heatmaps)
            abstained = try? c.decodeIfPresent(Bool.self, forKey: .abstained)
            disclaimer = try? c.decodeIfPresent(String.self, forKey: .disclaimer)
            seconds = try? c.decodeIfPresent(Double.self, forKey: .seconds)
        }
    }

    private struct HeatmapEntry: Decodable {
        var inline: Lossy<ModelGridHeatmap>
        var file: HeatmapFile?
        init(from decoder: Decoder) throws {
            inline = try Lossy<ModelGridHeatmap>(from: decoder)
            file = inline.value == nil ? try? HeatmapFile(from: decoder) : nil
        }
    }

    private static func readHeatmap(_ file: HeatmapFile, directory: URL?) throws -> ModelGridHeatmap {
        // Only files beside the document: a findings file must not make the reader open others.
        guard let directory else { throw ReadError(description: "no folder to read it from") }
        guard !file.npy.isEmpty, !file.npy.contains("/"), !file.npy.hasPrefix(".") else {
            throw ReadError(description: "not a plain file name beside the document")
        }
        let data = try Data(contentsOf: directory.appendingPathComponent(file.npy))
        let tensor = try NPY.read([UInt8](data))
        let side = 1 ... ModelGridHeatmap.maximumSide
        guard tensor.shape.count == 2, side.contains(tensor.shape[0]), side.contains(tensor.shape[1]) else {
            throw ReadError(description: "not a 2-D array of 1…\(ModelGridHeatmap.maximumSide) on a side")
        }
        let values: [Float]
        switch tensor.dataType {
        case .float: values = tensor.floats.map { $0.isFinite ? $0 : 0 }
        case .uint8: values = tensor.ints.map { Float($0) / 255 }
        default: throw ReadError(description: "values are not float or uint8")
        }
        let (rows, columns) = (tensor.shape[0], tensor.shape[1])
        return ModelGridHeatmap(sopInstanceUID: file.sopInstanceUID, width: columns, height: rows, values: values,
                                sourceColumns: columns, sourceRows: rows)
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no \(key.stringValue)"
        case DecodingError.dataCorrupted(let context): return context.debugDescription
        case DecodingError.typeMismatch(_, let context):
            return "\(context.codingPath.map(\.stringValue).last ?? "value") has the wrong type"
        case DecodingError.valueNotFound(_, let context): return "\(context.codingPath.map(\.stringValue).last ?? "value") is null"
        default: return "\(error)"
        }
    }
}
