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

    /// JSON output: JSONSerialization escapes control characters itself (as \u00XX), so the bytes that
    /// reach a terminal are safe.
    static func json(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
