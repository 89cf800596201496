/// Turns the store's SQLite placeholders (`?`, `?N`) into PostgreSQL's (`$N`).
///
/// Only outside string literals, quoted identifiers and comments, so a `?` in `'why?'` stays text.
/// A bare `?` takes the number one above the largest used so far, as SQLite numbers them; `?N`
/// keeps N. Linear in the length of the statement.
///
/// A placeholder tested with `IS [NOT] NULL` gets a cast from its bound value (`$1::text`):
/// PostgreSQL infers a parameter's type from its uses, and `IS NULL` gives it none, so
/// `(?1 IS NULL OR study_uid = ?1)` bound to NULL would fail "could not determine data type".
/// A NULL is cast to text, the type of every column the store filters that way.
enum PostgresPlaceholders {
    static func translate(_ sql: String, parameters: [ReviewValue] = []) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 8)
        let chars = Array(sql.unicodeScalars)
        var i = 0
        var largest = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "'", "\"":
                // Copy through the closing quote; a doubled quote inside is an escape and
                // simply reopens the literal on the next pass.
                out.unicodeScalars.append(c)
                i += 1
                while i < chars.count {
                    out.unicodeScalars.append(chars[i])
                    i += 1
                    if chars[i - 1] == c { break }
                }
            case "-" where i + 1 < chars.count && chars[i + 1] == "-":
                while i < chars.count && chars[i] != "\n" { out.unicodeScalars.append(chars[i]); i += 1 }
            case "?":
                i += 1
                var digits = ""
                while i < chars.count, chars[i].properties.numericType != nil, chars[i].isASCII {
                    digits.unicodeScalars.append(chars[i]); i += 1
                }
                let n = Int(digits) ?? (largest + 1)
                largest = max(largest, n)
                out += "$\(n)"
                if n >= 1, n <= parameters.count, isNullTest(chars, from: i) { out += "::" + castType(parameters[n - 1]) }
            default:
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    /// Whether `IS NULL` or `IS NOT NULL` follows position `i` (after spaces).
    private static func isNullTest(_ chars: [Unicode.Scalar], from i: Int) -> Bool {
        var words: [String] = []
        var j = i, word = ""
        while j < chars.count, words.count < 3 {
            let c = chars[j]
            if c == " " || c == "\n" || c == "\t" {
                if !word.isEmpty { words.append(word.uppercased()); word = "" }
            } else if c.properties.isAlphabetic {
                word.unicodeScalars.append(c)
            } else {
                break
            }
            j += 1
        }
        if !word.isEmpty { words.append(word.uppercased()) }
        guard words.first == "IS" else { return false }
        return words.dropFirst().first == "NULL" || words.dropFirst().prefix(2) == ["NOT", "NULL"]
    }

    private static func castType(_ value: ReviewValue) -> String {
        switch value {
        case .int: "bigint"
        case .double: "double precision"
        case .text, .null: "text"
        }
    }
}
