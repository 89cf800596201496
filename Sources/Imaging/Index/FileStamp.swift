import SystemCalls

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
        guard let st = try? SystemCall.status(path) else { return nil }
        self.init(status: st)
    }

    init(status st: FileStatus) {
        size = st.size
        modifiedNanoseconds = st.modifiedNanoseconds
        inode = st.inode
    }
}
