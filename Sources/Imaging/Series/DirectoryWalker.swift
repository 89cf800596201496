import Foundation
import SystemCalls

/// Lists regular files under a folder with opendir/readdir (through ``SystemCall``): several times
/// faster than FileManager's enumerator on large trees, which matters when indexing thousands of files.
///
/// Files in the folders walked in parallel come with their `stat` (size, mtime, inode: what says
/// whether a stored header is still valid), taken relative to the open folder as it is listed.
/// Stat'ing every file again by its full path afterwards walked every component of every path a
/// second time.
enum DirectoryWalker {
    /// A regular file found by the walk. `status` is nil when the walk did not stat it (a file in
    /// a folder listed before the parallel walk began: the caller stats those, on all cores) or
    /// when that `stat` failed (removed since the listing, or unreadable).
    struct Found {
        let path: String
        let name: String
        let status: FileStatus?
    }

    /// Regular files below `root` (recursively) whose names `keep` accepts, skipping names that
    /// start with a dot, each with its `stat`, in the byte order of their paths (`walkOrder`; for
    /// names that are valid UTF-8). Folders that cannot be read are skipped; links are followed.
    static func regularFiles(under root: String, keeping keep: (String) -> Bool = { _ in true }, visit: (Found) -> Void) {
        // Depth-first with an explicit stack (a link cycle makes the walk as deep as the kernel's
        // limit on links in a path allows; a worker thread's stack is small). Each level holds its
        // folder's entries, listed and sorted, and the next one to visit.
        var stack: [(folder: String, entries: [Entry], next: Int)] = [(root, listing(root, statFiles: true, keep), 0)]
        while !stack.isEmpty {
            let top = stack.count - 1
            guard stack[top].next < stack[top].entries.count else {
                stack.removeLast()
                continue
            }
            let entry = stack[top].entries[stack[top].next]
            stack[top].next += 1
            let path = join(stack[top].folder, entry.name)
            if entry.isDirectory {
                stack.append((path, listing(path, statFiles: true, keep), 0))
            } else {
                visit(Found(path: path, name: entry.name, status: entry.status))
            }
        }
    }

    /// `regularFiles(under:keeping:visit:)` on all cores, each file passed through `transform` (on
    /// any thread; nil drops it), in the same order. The tree is opened breadth-first until at
    /// least `parallelFrom` folders wait (default: eight per core), each of those is then walked
    /// whole by one core, and the parts are joined in order: in an archive of study folders the
    /// walk was a third of a warm reopen on one core. Files in the folders opened breadth-first
    /// are not stat'ed (`Found.status` nil): one large flat folder would otherwise be stat'ed on
    /// one thread.
    static func regularFiles<T>(under root: String, parallelFrom: Int = ProcessInfo.processInfo.activeProcessorCount * 8,
                                keeping keep: (String) -> Bool = { _ in true }, transform: (Found) -> T?) -> [T] {
        var items: [WalkItem<T>] = [.folder(root)]
        var folders = 1
        while folders > 0, folders < parallelFrom {
            var next: [WalkItem<T>] = []
            folders = 0
            for item in items {
                guard case .folder(let dir) = item else { next.append(item); continue }
                for entry in listing(dir, statFiles: false, keep) {
                    let path = join(dir, entry.name)
                    if entry.isDirectory {
                        next.append(.folder(path))
                        folders += 1
                    } else if let t = transform(Found(path: path, name: entry.name, status: entry.status)) {
                        next.append(.found(t))
                    }
                }
            }
            items = next
        }
        let waiting = items.compactMap { item -> String? in if case .folder(let dir) = item { dir } else { nil } }
        var walked = ParallelMap.map(waiting.count) { k -> [T] in
            var found: [T] = []
            regularFiles(under: waiting[k], keeping: keep) { if let t = transform($0) { found.append(t) } }
            return found
        }
        var out: [T] = []
        out.reserveCapacity(walked.reduce(items.count) { $0 + $1.count })
        var k = 0
        for item in items {
            switch item {
            case .found(let t): out.append(t)
            case .folder:
                out += walked[k]
                walked[k] = []
                k += 1
            }
        }
        return out
    }

    /// A file already transformed, or a folder still to walk, in the parallel walk's ordered list.
    private enum WalkItem<T> {
        case found(T)
        case folder(String)
    }

    /// A listed name the walk keeps: a folder to descend into, or a regular file with its `stat`.
    private struct Entry {
        let name: String
        let isDirectory: Bool
        let status: FileStatus?
    }

    /// The folder's entries that the walk visits (no hidden names; files only where `keep` accepts
    /// the name; links followed; devices, sockets and dangling links left out), in walk order. An
    /// unreadable folder lists nothing. Links and entries of unknown kind are always stat'ed (to
    /// learn whether they are folders), regular files only with `statFiles`.
    private static func listing(_ dir: String, statFiles: Bool, _ keep: (String) -> Bool) -> [Entry] {
        let listed = try? SystemCall.directoryEntries(dir) { name, kind in
            guard !name.hasPrefix(".") else { return false }
            switch kind {
            case .regularFile: return statFiles && keep(name)
            case .symbolicLink, .unknown: return true
            case .directory, .other: return false
            }
        }
        guard let entries = listed else { return [] }
        var kept: [Entry] = []
        kept.reserveCapacity(entries.count)
        for entry in entries where !entry.name.hasPrefix(".") {
            switch entry.kind {
            case .directory: kept.append(Entry(name: entry.name, isDirectory: true, status: nil))
            case .regularFile:
                if keep(entry.name) { kept.append(Entry(name: entry.name, isDirectory: false, status: entry.status)) }
            case .symbolicLink, .unknown:
                guard let status = entry.status else { continue }
                if status.isDirectory { kept.append(Entry(name: entry.name, isDirectory: true, status: nil)) }
                if status.isRegularFile, keep(entry.name) { kept.append(Entry(name: entry.name, isDirectory: false, status: status)) }
            case .other: continue
            }
        }
        guard kept.count > 64 else {
            kept.sort { walkOrder($0, before: $1) }
            return kept
        }
        // A large folder (a series of thousands of files in one folder) sorts by ranked keys
        // instead: the same order, with the names' bytes read once.
        return ScanPlan.byteOrder(kept.map { $0.isDirectory ? $0.name + "/" : $0.name }).map { kept[$0] }
    }

    /// Whether `a` comes before `b` among one folder's entries so that a depth-first walk yields
    /// paths in UTF-8 byte order: a folder sorts as its name followed by "/", the byte every path
    /// below it continues with ("A-1" before the files of folder "A", since "-" is below "/"; the
    /// file "A0" after them).
    static func walkOrder(_ a: (name: String, isDirectory: Bool), before b: (name: String, isDirectory: Bool)) -> Bool {
        var x = a.name, y = b.name
        return x.withUTF8 { p in
            y.withUTF8 { q in
                let n = min(p.count, q.count)
                if n > 0 {
                    let c = memcmp(p.baseAddress!, q.baseAddress!, n)
                    if c != 0 { return c < 0 }
                }
                // One name begins the other (or they are equal). The longer one continues with a
                // byte; the shorter one with "/" if it is a folder, else with nothing at all.
                let slash = UInt8(ascii: "/")
                if p.count < q.count { return !a.isDirectory || slash < q[n] }
                if q.count < p.count { return b.isDirectory && p[n] < slash }
                return false
            }
        }
    }

    private static func walkOrder(_ a: Entry, before b: Entry) -> Bool {
        walkOrder((a.name, a.isDirectory), before: (b.name, b.isDirectory))
    }

    private static func join(_ dir: String, _ name: String) -> String {
        dir.hasSuffix("/") ? dir + name : dir + "/" + name
    }
}
