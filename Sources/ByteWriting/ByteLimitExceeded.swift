/// A ``ByteWriter`` was asked to write past its limit. The write was refused, so the bytes before
/// it are intact; this error reports how far the output would have gone.
public struct ByteLimitExceeded: Error, Equatable, Sendable, CustomStringConvertible {
    /// The writer's limit in bytes.
    public let limit: Int
    /// The length the first refused write would have reached.
    public let attemptedLength: Int
    /// Bytes kept (everything before the refused write).
    public let written: Int

    public init(limit: Int, attemptedLength: Int, written: Int) {
        self.limit = limit; self.attemptedLength = attemptedLength; self.written = written
    }

    public var description: String {
        "byte limit of \(limit) exceeded: a write would have reached \(attemptedLength) bytes (\(written) kept)"
    }
}
