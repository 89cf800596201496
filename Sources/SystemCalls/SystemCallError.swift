/// A POSIX call failed: which call, on what, and the `errno` it left.
///
/// Thrown by every ``SystemCall`` helper, so callers handle one error type instead of reading
/// `errno` by hand (where any call in between may already have overwritten it).
public struct SystemCallError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The C function, e.g. `"open"` or `"rename"`.
    public let call: String
    /// The `errno` value (`EACCES`, `ENOENT`, …).
    public let code: Int32
    /// The path or descriptor the call worked on, for messages; empty when there is none.
    public let subject: String

    public init(call: String, code: Int32, subject: String = "") {
        self.call = call; self.code = code; self.subject = subject
    }

    /// True for `EINTR`: a signal cut the call short, and trying again is right.
    public var isInterruption: Bool { code == SystemCall.interrupted }

    /// The C library's text for ``code`` ("No such file or directory").
    public var message: String { SystemCall.describe(code) }

    public var description: String {
        subject.isEmpty ? "\(call): \(message) (errno \(code))" : "\(call) \(subject): \(message) (errno \(code))"
    }
}
