import Foundation

/// An instance the SCP has stored: the file is complete and in its final place when this is reported.
/// Holds UIDs and paths only — never patient names or IDs — so it is safe to log.
public struct ReceivedInstance: Sendable, Equatable {
    public var fileURL: URL
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var transferSyntaxUID: String
    public var callingAETitle: String
    /// Size of the data set as received (excluding the file meta group we wrote).
    public var dataSetLength: Int
}

/// What the SCP reports as associations come and go. Each association's events arrive in order.
public enum SCPEvent: Sendable, Equatable {
    case associationAccepted(callingAE: String, peer: String, acceptedContexts: Int, rejectedContexts: Int)
    case associationRejected(callingAE: String, peer: String, reason: String)
    case echo(callingAE: String)
    case stored(ReceivedInstance)
    /// A C-STORE answered with a failure status; nothing was kept.
    case storeFailed(callingAE: String, sopInstanceUID: String, status: UInt16, reason: String)
    case released(callingAE: String, stored: Int)
    /// The peer aborted, sent something unreadable or dropped the connection; instances completed before
    /// stay stored, a partial one is discarded.
    case aborted(callingAE: String, stored: Int, partialDiscarded: Bool, reason: String)
}
