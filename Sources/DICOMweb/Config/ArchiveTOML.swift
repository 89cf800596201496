/// Reads the subset of TOML that config.toml uses — `[table]` and dotted `[archives.NAME]` headers,
/// `key = "string"` / `key = bare` pairs, `#` comments — mirroring the workstation's
/// TOMLSubsetParser (TerminalGraphics), which does not accept dotted table names.
enum ArchiveTOML {
    struct ParseError: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "config.toml line \(line): \(message)" }
    }

    /// Table name ("" for top-level) → key → value. Lines this reader does not understand are errors only
    /// inside `[archives.*]` tables; elsewhere they belong to other parts of the program and are skipped.
    static func parse(_ text: String) throws -> [String: [String: String]] {
        var tables: [String: [String: String]] = ["": [:]]
        var current = ""
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = trim(stripComment(String(raw)))
            if line.isEmpty { continue }
            let ours = current.hasPrefix("archives.")
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    if ours { throw ParseError(line: number + 1, message: "malformed table header") }
                    current = "?"
                    continue
                }
                current = trim(String(line.dropFirst().dropLast()))
                if current.hasPrefix("archives.") {
                    let name = current.dropFirst("archives.".count)
                    guard !name.isEmpty, name.allSatisfy(isBareKeyChar) else {
                        throw ParseError(line: number + 1, message: "archive names use letters, digits, _ and -")
                    }
                }
                tables[current, default: [:]] = tables[current] ?? [:]
                continue
            }
            guard let eq = line.firstIndex(of: "=") else {
                if ours { throw ParseError(line: number + 1, message: "expected key = value") }
                continue
            }
            let key = trim(String(line[..<eq]))
            var value = trim(String(line[line.index(after: eq)...]))
            if value.hasPrefix("\"") {
                guard value.count >= 2, value.hasSuffix("\"") else {
                    if ours { throw ParseError(line: number + 1, message: "unterminated string") }
                    continue
                }
                value = String(value.dropFirst().dropLast())
                if ours, value.contains("\\") { throw ParseError(line: number + 1, message: "escapes are not supported") }
            }
            tables[current, default: [:]][key] = value
        }
        return tables
    }

    static func isBareKeyChar(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-") }

    static func stripComment(_ line: String) -> String {
        var inString = false
        for (i, c) in line.enumerated() {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(line.prefix(i)) }
        }
        return line
    }

    static func trim(_ s: String) -> String {
        var t = Substring(s)
        while let f = t.first, f == " " || f == "\t" || f == "\r" { t.removeFirst() }
        while let l = t.last, l == " " || l == "\t" || l == "\r" { t.removeLast() }
        return String(t)
    }
}
