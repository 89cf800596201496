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
                var kind = entry.kind
                if kind == .unknown || kind == .symbolicLink {
                    guard let st = try? SystemCall.status(path) else { continue }
                    kind = st.isDirectory ? .directory : st.isRegularFile ? .regularFile : .other
                }
                if kind == .directory { stack.append(path) } else if kind == .regularFile { visit(path, name) }
            }
        }
    }
}
