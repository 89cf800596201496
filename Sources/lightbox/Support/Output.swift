import Foundation
import TerminalGraphics

/// Everything the CLI prints goes through here: text from files is sanitised (no control characters
/// or escape sequences can reach the terminal), errors go to stderr.
enum Output {
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((TextSanitizer.sanitize(text) + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("lightbox: " + TextSanitizer.sanitize(text) + "\n").utf8))
    }

    /// JSON output. JSONSerialization escapes C0 controls; DEL, C1 controls and bidi overrides it leaves
    /// raw, so those are escaped here as `\uXXXX` — still the same JSON string, but inert on a terminal.
    static func json(_ object: Any) throws {
        json(data: try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
    }

    /// Already-encoded JSON (a `JSONEncoder`'s output), made inert on a terminal as `json(_:)` does.
    static func json(data: Data) {
        FileHandle.standardOutput.write(Data(inertJSON(Array(data)) + [0x0A]))
    }

    /// `json` made inert on a terminal, working on the UTF-8 bytes (a per-character String loop
    /// took 0.7 s for the 10,000-file `ls --json`): DEL (7F), C1 controls (C2 80–C2 9F) and the bidi
    /// controls U+202A–202E (E2 80 AA–AE) and U+2066–2069 (E2 81 A6–A9) become `\uXXXX`.
    static func inertJSON(_ json: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(json.count + 16)
        func escape(_ v: Int) {
            let hex = Array("0123456789abcdef".utf8)
            out += [0x5C, 0x75, hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15], hex[v & 15]]
        }
        var i = 0
        let n = json.count
        while i < n {
            let b = json[i]
            if b == 0x7F { escape(0x7F); i += 1; continue }
            if b == 0xC2, i + 1 < n, (0x80 ... 0x9F).contains(json[i + 1]) { escape(Int(json[i + 1])); i += 2; continue }
            if b == 0xE2, i + 2 < n {
                let b1 = json[i + 1], b2 = json[i + 2]
                if b1 == 0x80, (0xAA ... 0xAE).contains(b2) { escape(0x2000 | Int(b2 & 0x3F)); i += 3; continue }
                if b1 == 0x81, (0xA6 ... 0xA9).contains(b2) { escape(0x2040 | Int(b2 & 0x3F)); i += 3; continue }
            }
            out.append(b)
            i += 1
        }
        return out
    }
}
