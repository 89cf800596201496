import Foundation

/// The review store on a shared PostgreSQL server, through libpq (`PostgresConnection`).
///
/// Why libpq rather than PostgresNIO: `ReviewDatabase` is synchronous and `ReviewStore` serialises
/// access with a lock, so libpq's blocking calls fit it with no event-loop bridging; the library is
/// a Debian package behind one shim, so it adds nothing to build time (postgres-nio and its
/// dependencies add minutes to every CI build); and it gives session-level advisory locks (the
/// "reading" claim) and LISTEN/NOTIFY directly. See docs/REVIEW_POSTGRES.md.
///
/// Statements keep the store's SQLite placeholders and are translated (`PostgresPlaceholders`).
/// A transaction takes a database-wide advisory lock first, as SQLite's `BEGIN IMMEDIATE` takes
/// the write lock, so two workstations never interleave a migration or a multi-row write. The
/// schema version lives in the one-row table `lightbox_schema` (SQLite keeps it in `user_version`).
///
/// A dropped connection (a server restart, a network blip) is reset once and the statement run
/// again, unless it was inside a transaction, which cannot be replayed: that throws
/// "connection to the review database lost". Session state the server forgot on reconnect (the
/// reading locks) is restored by `reconnectStatements`.
///
/// Not thread-safe; `ReviewStore` serialises access with its lock.
public final class PostgresReviewDatabase: ReviewDatabase {
    public var dialect: ReviewSQLDialect { .postgres }
    public let url: PostgresURL
    private let connection: PostgresConnection
    private var inTransaction = false

    /// Key of the transaction write lock (`pg_advisory_xact_lock(key, 0)`): "LBRV".
    static let writeLockKey: Int32 = 0x4C42_5256
    /// First key of the per-study reading locks (`pg_try_advisory_lock(key, hashtext(uid))`): "LBRW".
    static let readingLockKey: Int32 = 0x4C42_5257

    /// Statements run again after a reconnect, by name (the reading locks of open studies).
    var reconnectStatements: [String: (sql: String, parameters: [ReviewValue])] = [:]

    /// Connects to `url` (password from `password_file`, else libpq's `PGPASSWORD` or pass file).
    public init(url: PostgresURL) throws {
        self.url = url
        let password = try url.passwordFile.map(PasswordFile.read)
        connection = try PostgresConnection(url: url, password: password)
    }

    public convenience init(url text: String) throws {
        try self.init(url: PostgresURL(text))
    }

    public func execute(_ sql: String) throws {
        _ = try run(sql, nil)
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [ReviewValue]) throws -> [[ReviewValue]] {
        try run(PostgresPlaceholders.translate(sql, parameters: parameters), parameters)
    }

    /// Appends `RETURNING id`; 0 when the statement inserted nothing (an INSERT … SELECT that matched no row).
    public func insert(_ sql: String, _ parameters: [ReviewValue]) throws -> Int64 {
        var statement = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while statement.hasSuffix(";") { statement.removeLast() }
        return try query(statement + " RETURNING id", parameters).first?.first?.int ?? 0
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        inTransaction = true
        do {
            try execute("SELECT pg_advisory_xact_lock(\(Self.writeLockKey), 0)")
            let result = try body()
            try execute("COMMIT")
            inTransaction = false
            return result
        } catch {
            inTransaction = false
            if connection.isConnected { _ = try? connection.run("ROLLBACK", nil) }
            throw error
        }
    }

    public func schemaVersion() throws -> Int {
        guard try query("SELECT to_regclass('lightbox_schema') IS NOT NULL").first?.first?.int == 1 else { return 0 }
        return Int(try query("SELECT version FROM lightbox_schema").first?.first?.int ?? 0)
    }

    public func setSchemaVersion(_ version: Int) throws {
        try execute("""
            CREATE TABLE IF NOT EXISTS lightbox_schema (
                one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
                version INTEGER NOT NULL
            )
            """)
        try query("INSERT INTO lightbox_schema (version) VALUES (?) ON CONFLICT (one) DO UPDATE SET version = excluded.version",
                  [.int(Int64(version))])
    }

    /// Runs a statement; on a dropped connection outside a transaction, resets once and runs it again.
    ///
    /// A write the server committed just before the connection dropped could in principle be
    /// written twice by the retry; the store's writes are single INSERTs of timestamped rows, and a
    /// duplicate row is visible in the audit, where a lost decision would not be.
    private func run(_ sql: String, _ parameters: [ReviewValue]?) throws -> [[ReviewValue]] {
        if !inTransaction, !connection.isConnected { try reconnect() }
        do {
            return try connection.run(sql, parameters)
        } catch let error as PostgresError where error.kind == .connectionLost && !inTransaction {
            try reconnect()
            return try connection.run(sql, parameters)
        }
    }

    private func reconnect() throws {
        try connection.reset()
        for (_, s) in reconnectStatements.sorted(by: { $0.key < $1.key }) {
            _ = try? connection.run(PostgresPlaceholders.translate(s.sql, parameters: s.parameters), s.parameters)
        }
    }
}
