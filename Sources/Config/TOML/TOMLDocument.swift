/// A TOML file as `TOMLParser` reads it: tables of string values, each remembering its line.
///
/// Values stay text (`"#ff0000"`, `0.45`, `true`): each reader converts the keys it owns and can
/// then say where a bad one is (`error(_:key:in:)`). Several readers share `config.toml`, so the
/// parser keeps going after a line it does not understand and lists it in `problems`; a reader
/// decides which problems are its own (`problems(inTables:)`).
public struct TOMLDocument: Sendable, Equatable {
    /// One `key = value` line.
    public struct Entry: Sendable, Equatable {
        /// The value with quotes removed and escapes resolved.
        public var value: String
        /// 1-based line number.
        public var line: Int
        /// Whether it was written as a string (`"…"` or `'…'`) rather than a bare token.
        public var isQuoted: Bool

        public init(value: String, line: Int, isQuoted: Bool) {
            self.value = value; self.line = line; self.isQuoted = isQuoted
        }
    }

    /// The file's name or path, used in every error.
    public var source: String
    /// Table name ("" for top-level keys; dotted headers kept whole, e.g. "archives.pacs") → key → entry.
    public internal(set) var tables: [String: [String: Entry]] = ["": [:]]
    /// The line of each table's first `[header]`.
    public internal(set) var headerLines: [String: Int] = [:]
    /// Lines that were not understood, in file order. `TOMLParser.parse` throws the first one.
    public internal(set) var problems: [ConfigError] = []

    public init(source: String) { self.source = source }

    /// The values of `table` (empty when the file has no such table).
    public subscript(table: String) -> [String: String] {
        (tables[table] ?? [:]).mapValues(\.value)
    }

    public func value(_ key: String, in table: String = "") -> String? { tables[table]?[key]?.value }

    public func entry(_ key: String, in table: String = "") -> Entry? { tables[table]?[key] }

    /// Names of the tables that start with `prefix`, sorted (e.g. "archives." → every archive).
    public func tableNames(withPrefix prefix: String) -> [String] {
        tables.keys.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Problems in the tables `owns` accepts, e.g. a reader's own `[archives.*]` tables.
    public func problems(inTables owns: (String) -> Bool) -> [ConfigError] {
        problems.filter { owns($0.table) }
    }

    /// An error about `key` of `table` (or the table itself), placed on its line in this file.
    public func error(_ message: String, key: String? = nil, in table: String = "") -> ConfigError {
        let line = key.flatMap { entry($0, in: table)?.line } ?? headerLines[table]
        return ConfigError(source: source, line: line, message: message, table: table)
    }
}
