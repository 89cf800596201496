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

    public init(name: String, kind: Kind) { self.name = name; self.kind = kind }
}
