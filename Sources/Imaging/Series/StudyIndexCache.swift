import Foundation

/// A JSON file of instance headers keyed by path, valid while a file's size and mtime are unchanged.
/// Lives under `$XDG_CACHE_HOME/lightbox` (default `~/.cache/lightbox`), one file per scanned root set.
public struct StudyIndexCache: Sendable {
    public struct Stamp: Codable, Equatable, Sendable {
        let size: Int64
        let modified: Double
        init?(path: String) {
            guard let a = try? FileManager.default.attributesOfItem(atPath: path),
                  let size = (a[.size] as? NSNumber)?.int64Value,
                  let date = a[.modificationDate] as? Date else { return nil }
            self.size = size; self.modified = date.timeIntervalSince1970
        }
    }
    struct Entry: Codable, Sendable {
        let stamp: Stamp
        let header: InstanceHeader?
        let failure: String?
    }

    public let url: URL

    public init(url: URL) { self.url = url }

    /// The cache file for a set of roots, under the user's cache directory.
    public static func forRoots(_ roots: [String]) -> StudyIndexCache {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        let key = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.sorted().joined(separator: "\n")
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs, unlike Hasher.
        for b in key.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return StudyIndexCache(url: base.appendingPathComponent("lightbox/index-\(String(hash, radix: 16)).json"))
    }

    func load() -> [String: Entry] {
        guard let data = try? Data(contentsOf: url),
              let entries = try? JSONDecoder().decode([String: Entry].self, from: data) else { return [:] }
        return entries
    }

    func save(_ entries: [String: Entry]) {
        guard let data = try? JSONEncoder().encode(entries) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Write to a temporary file and rename, so a killed process never leaves a half-written cache.
        let tmp = url.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        guard (try? data.write(to: tmp)) != nil else { return }
        // rename(2) replaces the old cache atomically (FileManager.replaceItemAt needs it to exist).
        if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp) }
    }
}
