/// One name in a folder listing from ``SystemCall/directoryEntries(_:)``.
public struct DirectoryEntry: Equatable, Sendable {
    /// What `readdir` says the entry is, without a `stat`.
    public enum Kind: Equatable, Sendable {
        case regularFile
        case directory
        /// A symbolic link: follow it with ``SystemCall/status(_:)`` to learn what it names.
        case symbolicLink
        /// The file system did not say (some network and FUSE file systems): ask `status`.
        case unknown
        /// A device, socket or pipe.
        case other
    }

    public let name: String
    public let kind: Kind
    /// What `stat` says of the entry, following links: filled only by
    /// ``SystemCall/directoryEntries(_:statusWhere:)``, for the entries it was asked to stat that
    /// readdir did not call a directory (nil otherwise, and nil when the `stat` failed: a dangling
    /// link, or a file removed since the listing).
    public let status: FileStatus?

    public init(name: String, kind: Kind, status: FileStatus? = nil) {
        self.name = name; self.kind = kind; self.status = status
    }
}
