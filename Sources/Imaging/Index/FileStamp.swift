#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What says a file is unchanged since its header was read: size, modification time in
/// nanoseconds and inode (a file replaced by rename with the same size and mtime, as `rsync -t`
/// or a PACS re-send can do, gets a new inode). One `stat(2)`, following symlinks as the walk does.
struct FileStamp: Equatable, Sendable {
    let size: Int64
    let modifiedNanoseconds: Int64
    let inode: Int64

    init(size: Int64, modifiedNanoseconds: Int64, inode: Int64) {
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.inode = inode
    }

    init?(path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        size = Int64(st.st_size)
        modifiedNanoseconds = Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec)
        inode = Int64(bitPattern: UInt64(st.st_ino))
    }
}
