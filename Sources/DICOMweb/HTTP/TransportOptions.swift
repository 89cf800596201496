/// Timeouts and retry policy for archive requests.
public struct TransportOptions: Sendable, Equatable {
    /// Longest wait for the next bytes of a response (connect included), in seconds.
    public var idleTimeout: Double
    /// Longest a whole request may take, in seconds.
    public var totalTimeout: Double
    /// Attempts for a request that fails transiently (connection refused, 502/503/504/429, timeout)
    /// before any of its response was delivered.
    public var maximumAttempts: Int
    /// Delay before the second attempt; doubled for each further one (with ±25 % jitter).
    public var initialBackoff: Double

    public init(idleTimeout: Double = 30, totalTimeout: Double = 3600, maximumAttempts: Int = 3, initialBackoff: Double = 0.5) {
        self.idleTimeout = idleTimeout
        self.totalTimeout = totalTimeout
        self.maximumAttempts = maximumAttempts
        self.initialBackoff = initialBackoff
    }
}
