/// What ``SystemCall/waitForInput(_:timeoutMilliseconds:)`` saw on a descriptor.
public enum PollOutcome: Equatable, Sendable {
    /// Bytes can be read without blocking.
    case readable
    /// The timeout passed with nothing to read.
    case timedOut
    /// The descriptor reports hang-up or an error instead of data.
    case closed
}
