import Foundation

/// Where the review store lives: a SQLite file (one workstation, or a few sharing a file) or a
/// PostgreSQL server (a department). Given as one string everywhere (`--db`, `[review] url`,
/// `$LIGHTBOX_REVIEW_DB`): a `postgresql://` URL, `sqlite:PATH`, or a plain path.
public enum ReviewLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(PostgresURL)

    public init(_ text: String) throws {
        if PostgresURL.isPostgres(text) {
            self = .postgres(try PostgresURL(text))
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// What may be shown on screen and written to logs: the path, or the URL without credentials
    /// or query options.
    public var display: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url): url.display
        }
    }

    /// A local folder for files kept beside the store (`lightbox.log`): the SQLite file's folder;
    /// for a server, the folder of the default SQLite path.
    public func localFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        switch self {
        case .sqlite(let path): (path as NSString).deletingLastPathComponent
        case .postgres: (ReviewStore.defaultPath(environment: environment) as NSString).deletingLastPathComponent
        }
    }

    /// `display` for any location string, without throwing: a malformed URL is shown as its scheme only.
    public static func display(_ text: String) -> String {
        (try? ReviewLocation(text).display) ?? (PostgresURL.isPostgres(text) ? "postgresql://(invalid URL)" : text)
    }
}

extension ReviewStore {
    /// Opens the store at `location` (see `ReviewLocation`) and brings its schema up to date.
    public static func open(_ location: ReviewLocation) throws -> ReviewStore {
        switch location {
        case .sqlite(let path): try ReviewStore(path: path)
        case .postgres(let url): try ReviewStore(database: PostgresReviewDatabase(url: url), location: url.display)
        }
    }

    /// Opens the store named by `text`: a `postgresql://` URL, `sqlite:PATH` or a path.
    public static func open(_ text: String) throws -> ReviewStore {
        try open(ReviewLocation(text))
    }
}
