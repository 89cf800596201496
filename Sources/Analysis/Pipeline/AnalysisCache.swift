import Foundation
import Imaging
import Inference

/// Results of (series, model) runs kept on disk, so reopening a study is instant.
///
/// Key: SHA-256 over the analysis version, the model's sha256, the options that change results,
/// and every instance's SOP Instance UID, file size and modification time (a changed, added or
/// removed file gives a new key). Each entry is `KEY.json` (the run's findings, scores and heatmap
/// shapes) plus `KEY.f32` (the model-grid heatmaps, little-endian float32, in order). An entry that
/// cannot be read, does not decode, or whose sizes disagree is ignored (and removed); the run is
/// recomputed and written again. Writes go to a temporary file first and are renamed into place.
public struct AnalysisCache: Sendable {
    public let folder: URL
    /// Bumped whenever findings for the same input would change.
    public static let formatVersion = "analysis-cache-4"

    public init(folder: URL) { self.folder = folder }

    /// `$XDG_CACHE_HOME/lightbox/analysis`, else `~/.cache/lightbox/analysis`.
    public static func standard() -> AnalysisCache {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return AnalysisCache(folder: base.appendingPathComponent("lightbox/analysis"))
    }

    public func key(series: StudyIndex.Series, modelSHA256: String, options: StudyAnalysis.Options) -> String {
        key(instances: series.instances, modelSHA256: modelSHA256, options: options)
    }

    /// The key of a run over `instances` (several series, for a multi-sequence model).
    public func key(instances: [InstanceHeader], modelSHA256: String, options: StudyAnalysis.Options) -> String {
        var text = "\(Self.formatVersion)\n\(AnalysisModule.version)\n\(modelSHA256.lowercased())\n\(options.threshold ?? -1)\n"
        for h in instances.sorted(by: { ($0.sopInstanceUID, $0.path) < ($1.sopInstanceUID, $1.path) }) {
            let attrs = try? FileManager.default.attributesOfItem(atPath: h.path)
            let size = (attrs?[.size] as? NSNumber)?.int64Value ?? -1
            let mtime = (attrs?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            text += "\(h.sopInstanceUID)\t\(size)\t\(mtime)\n"
        }
        return ModelCard.sha256(of: Array(text.utf8))
    }

    /// The run without its heatmaps' values (those go to the `.f32` file beside it, in `maps` order).
    private struct Entry: Codable {
        var version: String
        var output: StudyAnalysis.RunOutput
        var maps: [MapShape]
    }

    private struct MapShape: Codable {
        var sopInstanceUID: String
        var width: Int, height: Int, sourceColumns: Int, sourceRows: Int
        var frameNumber: Int?
    }

    /// The cached run for `key`, or nil (absent or unusable; an unusable entry is removed).
    public func load(_ key: String) -> StudyAnalysis.RunOutput? {
        let json = folder.appendingPathComponent(key + ".json"), bin = folder.appendingPathComponent(key + ".f32")
        guard let data = FileManager.default.contents(atPath: json.path) else { return nil }
        guard let entry = try? JSONDecoder().decode(Entry.self, from: data), entry.version == Self.formatVersion,
              let floats = FileManager.default.contents(atPath: bin.path) else { discard(key); return nil }
        var output = entry.output
        // Everything read back is checked: a damaged entry must not reach code that indexes it.
        guard output.findings.allSatisfy({ $0.centerPX.count == 2 && $0.bboxPX.count == 4 && ($0.centerMM.isEmpty || $0.centerMM.count == 3) }) else {
            discard(key); return nil
        }
        var offset = 0
        output.heatmaps = []
        for h in entry.maps {
            guard (1 ... 8192).contains(h.width), (1 ... 8192).contains(h.height),
                  (1 ... 65536).contains(h.sourceColumns), (1 ... 65536).contains(h.sourceRows) else { discard(key); return nil }
            let n = h.width * h.height
            guard floats.count - offset >= n * 4 else { discard(key); return nil }
            var values = [Float](repeating: 0, count: n)
            _ = values.withUnsafeMutableBytes { floats.copyBytes(to: $0, from: offset ..< offset + n * 4) }
            output.heatmaps.append(ModelGridHeatmap(sopInstanceUID: h.sopInstanceUID, width: h.width, height: h.height,
                                                    values: values.map { Float(bitPattern: UInt32(littleEndian: $0.bitPattern)) },
                                                    sourceColumns: h.sourceColumns, sourceRows: h.sourceRows,
                                                    frameNumber: h.frameNumber.flatMap { $0 >= 1 ? $0 : nil }))
            offset += n * 4
        }
        guard offset == floats.count else { discard(key); return nil }
        return output
    }

    /// Writes a run (best effort: a cache that cannot be written only costs time).
    public func store(_ output: StudyAnalysis.RunOutput, key: String) {
        var meta = output
        var floats = Data()
        for map in meta.heatmaps {
            map.values.withUnsafeBufferPointer { buf in
                for v in buf { var le = v.bitPattern.littleEndian; withUnsafeBytes(of: &le) { floats.append(contentsOf: $0) } }
            }
        }
        let maps = meta.heatmaps.map { MapShape(sopInstanceUID: $0.sopInstanceUID, width: $0.width, height: $0.height,
                                                sourceColumns: $0.sourceColumns, sourceRows: $0.sourceRows, frameNumber: $0.frameNumber) }
        meta.heatmaps = []
        guard let data = try? JSONEncoder().encode(Entry(version: Self.formatVersion, output: meta, maps: maps)) else { return }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let tag = "\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
            let tmpJSON = folder.appendingPathComponent(".\(key).\(tag).json"), tmpBin = folder.appendingPathComponent(".\(key).\(tag).f32")
            try floats.write(to: tmpBin)
            try data.write(to: tmpJSON)
            // The heatmaps first: a reader that finds the .json finds its .f32.
            _ = try? FileManager.default.removeItem(at: folder.appendingPathComponent(key + ".f32"))
            try FileManager.default.moveItem(at: tmpBin, to: folder.appendingPathComponent(key + ".f32"))
            _ = try? FileManager.default.removeItem(at: folder.appendingPathComponent(key + ".json"))
            try FileManager.default.moveItem(at: tmpJSON, to: folder.appendingPathComponent(key + ".json"))
        } catch {
            return
        }
    }

    private func discard(_ key: String) {
        for ext in ["json", "f32"] { try? FileManager.default.removeItem(at: folder.appendingPathComponent(key + "." + ext)) }
    }
}
