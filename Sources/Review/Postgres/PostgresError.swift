/// An error from the PostgreSQL review store. Its text never holds a password: messages come from
/// libpq (which does not echo passwords) and are scrubbed of the known secret anyway, and the
/// server is named by its redacted URL (`PostgresURL.display`).
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The URL or a `password_file` is not usable (found before any connection is tried).
        case configuration
        /// The server could not be reached or refused the login.
        case connect
        /// The connection dropped and one reconnect did not bring it back, or it dropped inside a
        /// transaction (which cannot be replayed).
        case connectionLost
        /// A statement failed (constraint, trigger, syntax); `sqlState` says which.
        case statement
    }

    public let kind: Kind
    public let message: String
    /// The five-character SQLSTATE (`42501` for the append-only triggers), when the server sent one.
    public let sqlState: String?

    public init(_ kind: Kind, _ message: String, sqlState: String? = nil) {
        self.kind = kind; self.message = message; self.sqlState = sqlState
    }

    public var description: String {
        switch kind {
        case .configuration: "review database: \(message)"
        case .connect: "cannot connect to the review database: \(message)"
        case .connectionLost: "connection to the review database lost: \(message)"
        case .statement: "PostgreSQL error" + (sqlState.map { " \($0)" } ?? "") + ": \(message)"
        }
    }

    /// `text` with every occurrence of each secret replaced by `***` (libpq does not quote passwords,
    /// but a server's or a proxy's message is not ours to trust).
    static func scrub(_ text: String, secrets: [String]) -> String {
        secrets.filter { $0.count >= 1 }.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
