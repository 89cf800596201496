#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists regular files under a folder with opendir/readdir: several times faster than
/// FileManager's enumerator on large trees, which matters when indexing thousands of files.
enum DirectoryWalker {
    /// Regular files below `root` (recursively), skipping names that start with a dot.
    static func regularFiles(under root: String, visit: (_ path: String, _ name: String) -> Void) {
        var stack = [root]
        while let dir = stack.popLast() {
            guard let handle = opendir(dir) else { continue }
            defer { closedir(handle) }
            while let entry = readdir(handle) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                if name.hasPrefix(".") { continue }
                let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
                var type = Int32(entry.pointee.d_type)
                if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                    var st = stat()
                    guard stat(path, &st) == 0 else { continue }
                    type = (st.st_mode & S_IFMT) == S_IFDIR ? Int32(DT_DIR) : (st.st_mode & S_IFMT) == S_IFREG ? Int32(DT_REG) : 0
                }
                if type == Int32(DT_DIR) { stack.append(path) } else if type == Int32(DT_REG) { visit(path, name) }
            }
        }
    }
}
