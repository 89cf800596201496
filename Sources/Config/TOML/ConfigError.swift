/// A configuration file that cannot be used: where (file and 1-based line, when known) and why.
///
/// Every reader in this module reports malformed input with this type and never traps on it, so
/// a typo in a theme or `config.toml` becomes a message the reader sees, not a crash.
public struct ConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's name or path as the caller gave it (e.g. "config.toml"), or a short label.
    public var source: String
    /// 1-based line number, nil when the problem is not on one line (an unreadable file).
    public var line: Int?
    public var message: String
    /// The table the line belongs to ("" for top-level keys). Readers that share a file use it
    /// to tell their own problems from other readers' (see `TOMLDocument.problems`).
    public var table: String

    public init(source: String, line: Int?, message: String, table: String = "") {
        self.source = source; self.line = line; self.message = message; self.table = table
    }

    public var description: String {
        line.map { "\(source) line \($0): \(message)" } ?? "\(source): \(message)"
    }
}
