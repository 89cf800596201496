/// Parses the small TOML subset the themes and config.toml use: `[table]` and dotted
/// `[table.sub]` headers (kept as the name "table.sub", e.g. `[archives.pacs]`), `key = "string"`
/// or `key = bare-token` pairs, `#` comments and blank lines. No arrays, inline tables, dotted
/// keys or multi-line strings; those lines are reported as errors, not guessed at.
public enum TOMLSubsetParser {
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// Table name ("" for top-level keys) → key → value (quotes removed).
    public static func parse(_ text: String) throws -> [String: [String: String]] {
        var tables: [String: [String: String]] = ["": [:]]
        var current = ""
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(rawLine)).trimmingSpaces
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw ParseError(line: number + 1, message: "malformed table header")
                }
                current = String(line.dropFirst().dropLast()).trimmingSpaces
                let parts = current.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isBareKeyChar) }) else {
                    throw ParseError(line: number + 1, message: "bad table name")
                }
                tables[current, default: [:]] = tables[current] ?? [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw ParseError(line: number + 1, message: "expected key = value") }
            let key = String(line[..<eq]).trimmingSpaces
            var value = String(line[line.index(after: eq)...]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy(isBareKeyChar) else { throw ParseError(line: number + 1, message: "bad key") }
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else { throw ParseError(line: number + 1, message: "unterminated string") }
                value = String(value.dropFirst().dropLast())
                if value.contains("\"") || value.contains("\\") { throw ParseError(line: number + 1, message: "escapes are not supported") }
            } else if value.isEmpty || value.hasPrefix("[") || value.hasPrefix("{") {
                throw ParseError(line: number + 1, message: "unsupported value")
            }
            tables[current, default: [:]][key] = value
        }
        return tables
    }

    static func isBareKeyChar(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    static func stripComment(_ line: String) -> String {
        var inString = false
        for (i, c) in line.enumerated() {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(line.prefix(i)) }
        }
        return line
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
