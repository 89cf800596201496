import Foundation

/// A `postgresql://user@host:port/db?...` URL as the review store accepts it.
///
/// The password never travels in the URL: a URL is shown on screen, written to the log and the
/// audit trail, and sits in shell history and `ps`. One written with a password (`user:pw@` or
/// `?password=`) is refused. The password comes from `PGPASSWORD` or `PGPASSFILE`/`~/.pgpass`
/// (libpq reads those itself) or from the Lightbox option `password_file=PATH` (see `PasswordFile`),
/// which is taken out of the URL before libpq sees it. Every other query option (`sslmode`,
/// `connect_timeout`, `options`, …) goes to libpq unchanged.
public struct PostgresURL: Sendable, Equatable {
    /// The URL handed to libpq: without `password_file`.
    public let connectionURL: String
    /// What is shown and logged: scheme, user, host, port and database, no query options.
    public let display: String
    /// `password_file=PATH`, when given.
    public let passwordFile: String?

    /// Whether `text` names a PostgreSQL server rather than a SQLite file.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgresql://") || text.hasPrefix("postgres://")
    }

    public init(_ text: String) throws {
        guard Self.isPostgres(text), var parts = URLComponents(string: text) else {
            throw PostgresError(.configuration, "not a postgresql:// URL (expected postgresql://USER@HOST:PORT/DATABASE)")
        }
        if parts.password != nil {
            throw PostgresError(.configuration, "the URL holds a password; remove it and use PGPASSWORD, ~/.pgpass or ?password_file=PATH")
        }
        var items = parts.queryItems ?? []
        if items.contains(where: { $0.name == "password" }) {
            throw PostgresError(.configuration, "the URL holds a password= option; use PGPASSWORD, ~/.pgpass or ?password_file=PATH")
        }
        let file = items.first { $0.name == "password_file" }
        if let file, (file.value ?? "").isEmpty {
            throw PostgresError(.configuration, "password_file= needs a path")
        }
        passwordFile = file?.value
        items.removeAll { $0.name == "password_file" }
        parts.queryItems = items.isEmpty ? nil : items
        connectionURL = parts.string ?? text
        var shown = URLComponents()
        shown.scheme = "postgresql"
        shown.user = parts.user
        shown.host = parts.host ?? ""   // "" keeps the // of a socket URL (postgresql:///db?host=/run/postgresql)
        shown.port = parts.port
        shown.path = parts.path
        display = shown.string ?? "postgresql://"
    }
}
