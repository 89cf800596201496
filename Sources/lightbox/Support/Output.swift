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
        var text = ""
        text.reserveCapacity(data.count)
        for scalar in String(decoding: data, as: UTF8.self).unicodeScalars {
            let v = scalar.value
            if (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                let hex = String(v, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
