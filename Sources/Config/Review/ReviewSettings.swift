import Foundation

/// The `[review]` table of `config.toml`: where the review store lives.
///
///     [review]
///     url = "postgresql://alice@pacs-db.example:5432/lightbox?password_file=/home/alice/.lightbox-pw"
///
/// `url` takes what `--db` takes: a `postgresql://` URL, `sqlite:PATH` or a path. Read leniently:
/// other readers own the rest of the file and report its problems.
public struct ReviewSettings: Sendable, Equatable {
    public var url: String?

    public init(url: String? = nil) { self.url = url }

    public init(document: TOMLDocument) {
        url = document.value("url", in: "review").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The settings in the file at `path`; empty when it is missing or unreadable.
    public static func load(path: String) -> ReviewSettings {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return ReviewSettings() }
        return ReviewSettings(document: TOMLParser.parseLeniently(text, source: path))
    }
}
