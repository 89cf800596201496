import DICOM
import Foundation

/// The instances of one series that a paged scan (`StudyIndex.scan(_:cache:paging:)`) left in the
/// study index store: the count and the first instance are in memory (what a worklist shows); the
/// others are read from the store the first time `instances` is asked for, and kept.
///
/// Why: a warm reopen of an archive decoded every stored row into a header (about 1.3 KB of
/// memory each, and most of the reopen's time), though a worklist shows one line per study and a
/// reader opens a few of them. Reading one series back is one indexed query (`files_series`) of
/// its rows; each file is stat'ed again, so a file changed since the scan is read afresh and one
/// gone is left out. When the store cannot give the rows (deleted, or rebuilt since), the folders
/// the series was found in are read instead: slower, never less.
///
/// Shared by every copy of its `StudyIndex.Series`; the lock makes the first read happen once.
final class StoredInstances: @unchecked Sendable {
    /// A folder the series has files directly in, with a trailing "/": its key (absolute, as the
    /// store is keyed) and the caller's name for it (what headers' paths show).
    struct Folder: Hashable, Sendable {
        let key: String
        let path: String

        /// The folder `file` is directly in.
        init(of file: ScanPlan.File) {
            key = Self.folderPrefix(file.key)
            path = Self.folderPrefix(file.path)
        }

        /// Whether `key` names a file directly in this folder (not in a subfolder).
        func holds(_ key: String) -> Bool {
            Self.isDirectChild(key, of: self.key)
        }

        private static func folderPrefix(_ path: String) -> String {
            guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
            return String(path[...slash])
        }

        /// Compared as bytes (the keys are UTF-8 paths; `hasPrefix` would compare characters).
        static func isDirectChild(_ key: String, of prefix: String) -> Bool {
            let slash = UInt8(ascii: "/")
            let k = key.utf8.count, p = prefix.utf8.count
            guard k > p else { return false }
            let result = key.utf8.withContiguousStorageIfAvailable { kb in
                prefix.utf8.withContiguousStorageIfAvailable { pb in
                    memcmp(kb.baseAddress!, pb.baseAddress!, p) == 0 && !kb[p...].contains(slash)
                }
            }
            if let inner = result, let answer = inner { return answer }
            return key.utf8.starts(with: prefix.utf8) && !key.utf8.dropFirst(p).contains(slash)
        }
    }

    let first: InstanceHeader
    let count: Int
    let folders: [Folder]
    let store: StudyIndexStore
    private let lock = NSLock()
    private var loaded: [InstanceHeader]?

    init(first: InstanceHeader, count: Int, folders: [Folder], store: StudyIndexStore) {
        self.first = first
        self.count = count
        self.folders = folders
        self.store = store
    }

    /// Whether `instances` has been read.
    var isLoaded: Bool { lock.withLock { loaded != nil } }

    /// Every instance, in `StudyIndex.group`'s order; read on first use.
    var instances: [InstanceHeader] {
        lock.withLock {
            if let loaded { return loaded }
            let read = StudyIndex.sortedInstances(readFromStore() ?? readFromFolders())
            loaded = read
            return read
        }
    }

    /// The series' rows in the store, in the scan's folders, each checked against its file's stamp.
    /// Nil when the store cannot be read or holds none of them (rebuilt or deleted since the scan).
    private func readFromStore() -> [InstanceHeader]? {
        guard let database = store.open(), let rows = try? database.headers(seriesUID: first.seriesInstanceUID) else { return nil }
        var out: [InstanceHeader] = []
        var seen = Set<String>()
        for row in rows where row.header.studyInstanceUID == first.studyInstanceUID {
            guard let folder = folders.first(where: { $0.holds(row.key) }), seen.insert(row.key).inserted else { continue }
            let path = folder.path + String(Substring(row.key.utf8.dropFirst(folder.key.utf8.count)))
            guard let now = FileStamp(path: row.key) else { continue }  // gone since
            if now == row.stamp {
                var header = row.header
                header.path = path
                out.append(header)
            } else if let header = try? StudyIndex.readHeader(path: path), belongs(header) {
                out.append(header)
            }
        }
        return out.isEmpty ? nil : out
    }

    /// Every readable file directly in the series' folders that belongs to it.
    private func readFromFolders() -> [InstanceHeader] {
        var out: [InstanceHeader] = []
        for folder in folders {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.key)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                if let header = try? StudyIndex.readHeader(path: folder.path + name), belongs(header) { out.append(header) }
            }
        }
        return out
    }

    private func belongs(_ header: InstanceHeader) -> Bool {
        header.seriesInstanceUID == first.seriesInstanceUID && header.studyInstanceUID == first.studyInstanceUID
    }
}
