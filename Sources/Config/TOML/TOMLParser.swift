/// The one TOML reader for Lightbox's files: themes and `config.toml` (settings, keys, archives).
///
/// Supported: `[table]` and dotted `[table.sub]` headers (kept as the name "table.sub"),
/// `key = value` with bare keys; values as basic strings `"…"` (escapes `\" \\ \t \n \r \b \f
/// \uXXXX \UXXXXXXXX`), literal strings `'…'`, or a bare token up to a comment (`0.45`, `true`,
/// `inferno`); `#` comments, blank lines, CRLF line ends and a leading byte-order mark.
/// Not supported, and reported rather than guessed at: arrays, inline tables, arrays of tables,
/// multi-line strings, quoted or dotted keys. A key set twice in one table is an error.
///
/// Parsing never traps: every malformed line becomes a `ConfigError` naming its line.
public enum TOMLParser {
    /// Files larger than this are refused (`read(path:)`); configuration is small.
    public static let maxFileBytes = 1 << 20

    /// Parses `text`, throwing the first malformed line.
    public static func parse(_ text: String, source: String = "config") throws -> TOMLDocument {
        let document = parseLeniently(text, source: source)
        if let first = document.problems.first { throw first }
        return document
    }

    /// Parses `text`, keeping every line it understands and listing the others in `problems`.
    /// For files shared between readers: each one then judges only the problems in its own tables.
    public static func parseLeniently(_ text: String, source: String = "config") -> TOMLDocument {
        var document = TOMLDocument(source: source)
        // nil while inside a malformed header: its keys are checked but stored nowhere.
        var current: String? = ""
        var owner = ""   // the table problems are attributed to (for a malformed header, its text)
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            var line = TOMLLineScanner.trimmed(raw)
            if number == 1, line.first == "\u{FEFF}" { line = TOMLLineScanner.trimmed(line.dropFirst()) }
            if line.isEmpty || line.first == "#" { continue }
            func problem(_ message: String, table: String) {
                document.problems.append(ConfigError(source: source, line: number, message: message, table: table))
            }
            if line.first == "[" {
                switch TOMLLineScanner.header(line) {
                case .success(let name):
                    current = name; owner = name
                    if document.tables[name] == nil { document.tables[name] = [:] }
                    if document.headerLines[name] == nil { document.headerLines[name] = number }
                case .failure(let failure):
                    current = nil; owner = failure.table
                    problem(failure.message, table: failure.table)
                }
                continue
            }
            switch TOMLLineScanner.keyValue(line) {
            case .failure(let failure):
                problem(failure.message, table: owner)
            case .success(let (key, value, quoted)):
                guard let table = current else { continue }
                if let earlier = document.tables[table]?[key] {
                    problem("\(key) is already set on line \(earlier.line)", table: table)
                    continue
                }
                document.tables[table, default: [:]][key] = TOMLDocument.Entry(value: value, line: number, isQuoted: quoted)
            }
        }
        return document
    }
}
