/// A value bound to or read from a review-database statement.
public enum ReviewValue: Equatable, Sendable {
    case null, int(Int64), double(Double), text(String)
}

/// The SQL dialect a `ReviewDatabase` speaks. Migrations are written once and ask the dialect for
/// the few spellings that differ (identity keys, trigger bodies, where the schema version lives).
public enum ReviewSQLDialect: Sendable {
    case sqlite, postgres
}

/// What `ReviewStore` needs from a database: statements with bound parameters, rows back, a
/// transaction, the id of an inserted row, and the schema version. SQLite (embedded, one file) and
/// PostgreSQL (shared by a department) implement it; the store talks to nothing else.
///
/// SQL handed to it uses SQLite's `?` and `?N` placeholders; a connection whose server spells them
/// otherwise (PostgreSQL's `$N`) translates them itself, so no statement is written twice.
/// Implementations need not be thread-safe: `ReviewStore` serialises access with its lock.
public protocol ReviewDatabase: AnyObject {
    var dialect: ReviewSQLDialect { get }
    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws
    /// Runs one statement with `parameters` and returns every row.
    @discardableResult
    func query(_ sql: String, _ parameters: [ReviewValue]) throws -> [[ReviewValue]]
    /// Runs one INSERT into a table with an `id` identity key and returns the new row's id
    /// (SQLite: last_insert_rowid; PostgreSQL: `RETURNING id`).
    func insert(_ sql: String, _ parameters: [ReviewValue]) throws -> Int64
    /// Runs `body` in one transaction that takes the write lock first; commits, or rolls back and rethrows.
    func transaction<T>(_ body: () throws -> T) throws -> T
    /// How many of `Migrations.all` have run (0 for a new database).
    func schemaVersion() throws -> Int
    /// Records that `version` migrations have run (inside the migration's transaction).
    func setSchemaVersion(_ version: Int) throws
}

extension ReviewDatabase {
    @discardableResult
    public func query(_ sql: String) throws -> [[ReviewValue]] { try query(sql, []) }
}

extension ReviewValue {
    var string: String? { if case .text(let s) = self { return s }; return nil }
    var int: Int64? {
        switch self {
        case .int(let v): return v
        case .double(let v): return Int64(exactly: v.rounded())
        default: return nil
        }
    }
    var double: Double? {
        switch self {
        case .int(let v): return Double(v)
        case .double(let v): return v
        default: return nil
        }
    }
    static func optional(_ s: String?) -> Self { s.map { .text($0) } ?? .null }
    static func optional(_ d: Double?) -> Self { d.map { .double($0) } ?? .null }
    static func optional(_ i: Int?) -> Self { i.map { .int(Int64($0)) } ?? .null }
}
