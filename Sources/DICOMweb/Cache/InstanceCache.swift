import Foundation
import SystemCalls

/// An on-disk cache of retrieved instances, keyed by SOP Instance UID, kept under a size limit by
/// evicting the least recently used files. Files are written to a temporary name and renamed, so a
/// crash never leaves a partial entry.
///
/// `@unchecked Sendable`: every read and write of the index goes through `lock`.
public final class InstanceCache: @unchecked Sendable {
    public let root: URL
    public let limitBytes: Int
    private let lock = NSLock()

    public init(root: URL, limitBytes: Int) throws {
        guard limitBytes > 0 else { throw DICOMwebError.configuration("cache size limit must be positive") }
        self.root = root
        self.limitBytes = limitBytes
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    /// The default location: `$XDG_CACHE_HOME/lightbox/dicomweb` (else `~/.cache/lightbox/dicomweb`).
    public static func defaultRoot(environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".cache")
        return URL(fileURLWithPath: base).appendingPathComponent("lightbox/dicomweb", isDirectory: true)
    }

    func path(_ sopInstanceUID: String) -> URL? {
        guard !sopInstanceUID.isEmpty, sopInstanceUID.count <= 64,
              sopInstanceUID.allSatisfy({ $0 == "." || $0.isASCII && $0.isNumber }) else { return nil }
        return root.appendingPathComponent(sopInstanceUID + ".dcm")
    }

    /// The cached bytes, marking the entry as recently used.
    public func load(_ sopInstanceUID: String) -> Data? {
        guard let url = path(sopInstanceUID), let data = try? Data(contentsOf: url) else { return nil }
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: url.path)
        return data
    }

    public func insert(_ instance: RetrievedInstance) throws {
        try insert(instance.data, sopInstanceUID: instance.sopInstanceUID)
    }

    public func insert(_ data: Data, sopInstanceUID: String) throws {
        guard data.count <= limitBytes, let url = path(sopInstanceUID) else { return }
        let temp = root.appendingPathComponent(".\(UUID().uuidString).part")
        do {
            try data.write(to: temp)
            do { try SystemCall.rename(temp.path, to: url.path) } catch {
                throw DICOMwebError.configuration("cache: cannot rename into \(root.path)")
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
        trim()
    }

    /// Total bytes of the cached entries.
    public var size: Int { entries().reduce(0) { $0 + $1.size } }

    /// Deletes least recently used entries until the cache fits its limit.
    public func trim() {
        lock.lock()
        defer { lock.unlock() }
        var list = entries()
        var total = list.reduce(0) { $0 + $1.size }
        guard total > limitBytes else { return }
        list.sort { $0.date < $1.date }
        for e in list where total > limitBytes {
            if (try? FileManager.default.removeItem(at: e.url)) != nil { total -= e.size }
        }
    }

    private func entries() -> [(url: URL, size: Int, date: Date)] {
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        let urls = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: keys)) ?? []
        return urls.filter { $0.pathExtension == "dcm" }.compactMap { u in
            guard let v = try? u.resourceValues(forKeys: Set(keys)) else { return nil }
            return (u, v.fileSize ?? 0, v.contentModificationDate ?? .distantPast)
        }
    }
}
