/// The fields of `stat(2)` that Lightbox uses, so callers need not name the C `stat` struct.
public struct FileStatus: Equatable, Sendable {
    /// Size in bytes.
    public let size: Int64
    /// Last modification, in nanoseconds since the epoch.
    public let modifiedNanoseconds: Int64
    /// Inode number (a file replaced by rename gets a new one).
    public let inode: Int64
    /// Permission and type bits (`st_mode`).
    public let mode: UInt32
    /// Owner's user id.
    public let owner: UInt32
    /// True for a regular file.
    public let isRegularFile: Bool
    /// True for a directory.
    public let isDirectory: Bool

    public init(size: Int64, modifiedNanoseconds: Int64, inode: Int64, mode: UInt32, owner: UInt32,
                isRegularFile: Bool, isDirectory: Bool) {
        self.size = size; self.modifiedNanoseconds = modifiedNanoseconds; self.inode = inode
        self.mode = mode; self.owner = owner; self.isRegularFile = isRegularFile; self.isDirectory = isDirectory
    }
}
