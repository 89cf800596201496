import Foundation

/// Reads a configuration file's text, bounded and without trapping.
public enum ConfigFile {
    /// The text of `path`, or a `ConfigError` naming it when it cannot be read, is larger than
    /// `TOMLParser.maxFileBytes`, or is not UTF-8.
    public static func text(at path: String, source: String? = nil) throws -> String {
        let label = source ?? path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ConfigError(source: label, line: nil, message: "cannot read \(path)")
        }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: TOMLParser.maxFileBytes + 1)) ?? nil
        guard let data else { throw ConfigError(source: label, line: nil, message: "cannot read \(path)") }
        guard data.count <= TOMLParser.maxFileBytes else {
            throw ConfigError(source: label, line: nil, message: "larger than \(TOMLParser.maxFileBytes) bytes")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(source: label, line: nil, message: "not UTF-8 text")
        }
        return text
    }

    /// `path` parsed strictly (see `TOMLParser.parse`).
    public static func document(at path: String, source: String? = nil) throws -> TOMLDocument {
        try TOMLParser.parse(text(at: path, source: source), source: source ?? path)
    }
}
