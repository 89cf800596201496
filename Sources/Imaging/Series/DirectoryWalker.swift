import Foundation
import SystemCalls

/// Lists regular files under a folder with opendir/readdir (through ``SystemCall``): several times
/// faster than FileManager's enumerator on large trees, which matters when indexing thousands of files.
enum DirectoryWalker {
    /// Regular files below `root` (recursively), skipping names that start with a dot. Folders
    /// that cannot be read are skipped; links are followed.
    static func regularFiles(under root: String, visit: (_ path: String, _ name: String) -> Void) {
        var stack = [root]
        while let dir = stack.popLast() {
            guard let entries = try? SystemCall.directoryEntries(dir) else { continue }
            for entry in entries {
                let name = entry.name
                if name.hasPrefix(".") { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                switch kind(of: entry, at: path) {
                case .directory: stack.append(path)
                case .regularFile: visit(path, name)
                default: break
                }
            }
        }
    }

    /// `regularFiles(under:)` on all cores, each file passed through `transform` (on any thread;
    /// nil drops it), in no particular order. The tree is opened breadth-first until enough
    /// folders wait to keep every core busy, and each of those is then walked whole by one core:
    /// in an archive of study folders the walk was a third of a warm reopen on one core.
    static func regularFiles<T>(under root: String, transform: (_ path: String, _ name: String) -> T?) -> [T] {
        var out: [T] = []
        var frontier = [root]
        let enough = ProcessInfo.processInfo.activeProcessorCount * 8
        while !frontier.isEmpty, frontier.count < enough {
            var next: [String] = []
            for dir in frontier {
                guard let entries = try? SystemCall.directoryEntries(dir) else { continue }
                for entry in entries where !entry.name.hasPrefix(".") {
                    let path = dir.hasSuffix("/") ? dir + entry.name : dir + "/" + entry.name
                    switch kind(of: entry, at: path) {
                    case .directory: next.append(path)
                    case .regularFile: if let t = transform(path, entry.name) { out.append(t) }
                    default: break
                    }
                }
            }
            frontier = next
        }
        let walked = ParallelMap.map(frontier.count) { k -> [T] in
            var found: [T] = []
            regularFiles(under: frontier[k]) { path, name in if let t = transform(path, name) { found.append(t) } }
            return found
        }
        for part in walked { out += part }
        return out
    }

    /// The entry's kind, following a link (or asking the file system when readdir did not say).
    private static func kind(of entry: DirectoryEntry, at path: String) -> DirectoryEntry.Kind {
        guard entry.kind == .unknown || entry.kind == .symbolicLink else { return entry.kind }
        guard let st = try? SystemCall.status(path) else { return .other }
        return st.isDirectory ? .directory : st.isRegularFile ? .regularFile : .other
    }
}
