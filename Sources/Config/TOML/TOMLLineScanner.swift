/// Reads one trimmed, non-blank, non-comment line for `TOMLParser`: a `[header]` or a
/// `key = value` pair. Works on `Substring` indices only, so no input can index out of range.
enum TOMLLineScanner {
    /// Why a line was not understood, and the table it seems to belong to.
    struct Failure: Error {
        var message: String
        var table: String = ""
    }

    static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }

    static func isBareKeyCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "_" || c == "-")
    }

    static func trimmed(_ s: Substring) -> Substring {
        var t = s
        while let f = t.first, isBlank(f) || f == "\r" { t.removeFirst() }
        while let l = t.last, isBlank(l) || l == "\r" { t.removeLast() }
        return t
    }

    /// Whether what follows a header or value is only blanks and an optional comment.
    static func isEndOfLine(_ rest: Substring) -> Bool {
        let t = trimmed(rest)
        return t.isEmpty || t.first == "#"
    }

    /// `[name]` or `[name.sub]` → "name" / "name.sub".
    static func header(_ line: Substring) -> Result<String, Failure> {
        // The text a malformed header seems to name, so its table's reader still hears of it.
        let guess = String(trimmed(Substring(line.drop { $0 == "[" }.prefix { $0 != "]" && $0 != "#" })))
        if line.hasPrefix("[[") {
            return .failure(Failure(message: "arrays of tables ([[…]]) are not supported", table: guess))
        }
        guard let close = line.firstIndex(of: "]") else {
            return .failure(Failure(message: "malformed table header (no closing ])", table: guess))
        }
        guard isEndOfLine(line[line.index(after: close)...]) else {
            return .failure(Failure(message: "unexpected text after the table header", table: guess))
        }
        let name = trimmed(line[line.index(after: line.startIndex) ..< close])
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isBareKeyCharacter) }) else {
            return .failure(Failure(message: "bad table name \"\(name)\" (letters, digits, _ and -, dotted for a sub-table)",
                                    table: guess))
        }
        return .success(String(name))
    }

    /// `key = value` → (key, value without quotes, whether it was quoted).
    static func keyValue(_ line: Substring) -> Result<(String, String, Bool), Failure> {
        guard let eq = line.firstIndex(of: "=") else { return .failure(Failure(message: "expected key = value")) }
        let key = trimmed(line[..<eq])
        guard !key.isEmpty, key.allSatisfy(isBareKeyCharacter) else {
            return .failure(Failure(message: "bad key \"\(key)\" (bare keys only: letters, digits, _ and -)"))
        }
        let raw = trimmed(line[line.index(after: eq)...])
        let parsed: Result<(String, Bool), Failure>
        switch raw.first {
        case nil, "#": parsed = .failure(Failure(message: "\(key) has no value"))
        case "[": parsed = .failure(Failure(message: "\(key): arrays are not supported"))
        case "{": parsed = .failure(Failure(message: "\(key): inline tables are not supported"))
        case "\"" where raw.hasPrefix("\"\"\""), "'" where raw.hasPrefix("'''"):
            parsed = .failure(Failure(message: "\(key): multi-line strings are not supported"))
        case "\"": parsed = basicString(raw).map { ($0, true) }
        case "'": parsed = literalString(raw).map { ($0, true) }
        default:
            parsed = .success((String(trimmed(raw.prefix { $0 != "#" })), false))
        }
        return parsed.map { (String(key), $0.0, $0.1) }
    }

    /// `"…"` with escapes, followed only by blanks or a comment.
    static func basicString(_ raw: Substring) -> Result<String, Failure> {
        var out = ""
        var i = raw.index(after: raw.startIndex)
        while i < raw.endIndex {
            let c = raw[i]
            i = raw.index(after: i)
            switch c {
            case "\"":
                return isEndOfLine(raw[i...]) ? .success(out) : .failure(Failure(message: "unexpected text after the string"))
            case "\\":
                guard i < raw.endIndex else { return .failure(Failure(message: "unterminated string")) }
                let e = raw[i]
                i = raw.index(after: i)
                switch e {
                case "\"": out.append("\"")
                case "\\": out.append("\\")
                case "t": out.append("\t")
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "b": out.append("\u{08}")
                case "f": out.append("\u{0C}")
                case "u", "U":
                    let digits = e == "u" ? 4 : 8
                    let hex = raw[i...].prefix(digits)
                    guard hex.count == digits, let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) else {
                        return .failure(Failure(message: "bad \\\(e) escape (\(digits) hex digits of a Unicode scalar)"))
                    }
                    out.unicodeScalars.append(scalar)
                    i = hex.endIndex
                default: return .failure(Failure(message: "unknown escape \\\(e)"))
                }
            default: out.append(c)
            }
        }
        return .failure(Failure(message: "unterminated string"))
    }

    /// `'…'`: no escapes, followed only by blanks or a comment.
    static func literalString(_ raw: Substring) -> Result<String, Failure> {
        let body = raw.dropFirst()
        guard let close = body.firstIndex(of: "'") else { return .failure(Failure(message: "unterminated string")) }
        guard isEndOfLine(body[body.index(after: close)...]) else {
            return .failure(Failure(message: "unexpected text after the string"))
        }
        return .success(String(body[..<close]))
    }
}
