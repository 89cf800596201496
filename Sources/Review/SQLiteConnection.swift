import CSQLite
import Foundation

/// An error from SQLite, with the statement or step that failed.
public struct ReviewStoreError: Error, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// The one place that calls the SQLite C API: a connection, prepared statements, value binding.
///
/// Every failing return code becomes a thrown `ReviewStoreError` (the swift-nio habit), so callers
/// never inspect C codes. Not thread-safe; `ReviewStore` serialises access with a lock.
final class SQLiteConnection: ReviewDatabase {
    typealias Value = ReviewValue

    var dialect: ReviewSQLDialect { .sqlite }

    private var db: OpaquePointer?

    /// `SQLITE_TRANSIENT`: SQLite copies bound text before `bind` returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String) throws {
        Self.restrictToOwner(path)
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(db)
            db = nil
            throw ReviewStoreError(code: rc, message: "\(path): \(message)")
        }
    }

    deinit { sqlite3_close_v2(db) }

    /// The review database holds reader decisions on patients' studies: only its owner may read
    /// it. A new file is created 0600 before SQLite opens it (SQLite gives the -wal and -shm files
    /// the database file's mode); an existing one readable by others is tightened to 0600, with
    /// its -wal and -shm. In-memory and temporary databases ("", ":memory:") are left alone.
    static func restrictToOwner(_ path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd >= 0 { close(fd); return }
        for file in [path, path + "-wal", path + "-shm"] {
            var st = stat()
            if stat(file, &st) == 0, st.st_mode & 0o077 != 0 { chmod(file, 0o600) }
        }
    }

    private func check(_ rc: Int32, _ context: String) throws {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw ReviewStoreError(code: rc, message: "\(context): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    /// Runs one or more statements without parameters.
    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "failed"
            sqlite3_free(err)
            throw ReviewStoreError(code: rc, message: "\(sql.prefix(60)): \(message)")
        }
    }

    /// Runs one statement with `parameters` and returns every row.
    @discardableResult
    func query(_ sql: String, _ parameters: [Value]) throws -> [[Value]] {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v2(db, sql, -1, &stmt, nil), "prepare \(sql.prefix(60))")
        defer { sqlite3_finalize(stmt) }
        for (i, p) in parameters.enumerated() {
            let k = Int32(i + 1)
            switch p {
            case .null: try check(sqlite3_bind_null(stmt, k), "bind")
            case .int(let v): try check(sqlite3_bind_int64(stmt, k, v), "bind")
            case .double(let v): try check(sqlite3_bind_double(stmt, k, v), "bind")
            case .text(let v): try check(sqlite3_bind_text(stmt, k, v, -1, Self.transient), "bind")
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { try check(rc, "step \(sql.prefix(60))"); break }
            let n = sqlite3_column_count(stmt)
            rows.append((0 ..< n).map { c in
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: return .int(sqlite3_column_int64(stmt, c))
                case SQLITE_FLOAT: return .double(sqlite3_column_double(stmt, c))
                case SQLITE_NULL: return .null
                default:
                    guard let p = sqlite3_column_text(stmt, c) else { return .null }
                    return .text(String(cString: p))
                }
            })
        }
        return rows
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(db) }

    func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(db, milliseconds) }
}

extension SQLiteConnection {
    func insert(_ sql: String, _ parameters: [Value]) throws -> Int64 {
        try query(sql, parameters)
        return lastInsertRowID
    }

    /// `BEGIN IMMEDIATE` takes the write lock first, so two processes do not both start writing.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    func schemaVersion() throws -> Int { Int(try query("PRAGMA user_version").first?.first?.int ?? 0) }

    func setSchemaVersion(_ version: Int) throws { try execute("PRAGMA user_version = \(version)") }
}
