import CSQLite
import Foundation
import SystemCalls

/// An error from SQLite: the result code and what was being done. The description names the
/// operation and SQLite's own text for the code, never a bound value (paths can name patients).
struct SQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let context: String
    var description: String { "\(context): \(String(cString: sqlite3_errstr(code))) (SQLite \(code))" }
    /// The file is not a database, or its pages do not hold together: delete and start again.
    var isCorruption: Bool {
        let primary = code & 0xFF
        return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB
    }
    /// Another connection holds the lock for longer than the busy timeout.
    var isBusy: Bool { code & 0xFF == SQLITE_BUSY || code & 0xFF == SQLITE_LOCKED }
}

/// Imaging's one door to the SQLite C API (the swift-nio habit: every failing code becomes a
/// thrown `SQLiteError`). Review has its own connection type with its own error; Imaging sits
/// below Review, so the pattern is shared, not the code. Not thread-safe: one per scan.
final class SQLiteDatabase {
    private(set) var handle: OpaquePointer?

    /// Opens (creating if needed) the database at `path`. A new file is created 0600 before SQLite
    /// opens it, so its -wal and -shm (which SQLite creates with the database file's mode) are
    /// 0600 too; an existing file readable by others is tightened, with its -wal and -shm.
    init(path: String) throws {
        Self.restrictToOwner(path)
        // NOMUTEX: each connection is used by one thread at a time (one scan).
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteError(code: rc, context: "open")
        }
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit { sqlite3_close_v2(handle) }

    static func restrictToOwner(_ path: String) {
        if let fd = try? SystemCall.createExclusively(path, mode: 0o600) {
            try? SystemCall.chmod(fd, mode: 0o600)  // in case the umask was odd
            try? SystemCall.close(fd)
            return
        }
        for file in [path, path + "-wal", path + "-shm"] {
            if let st = try? SystemCall.status(file), st.mode & 0o077 != 0 { try? SystemCall.chmod(file, mode: 0o600) }
        }
    }

    func check(_ rc: Int32, _ context: @autoclosure () -> String) throws {
        guard rc == SQLITE_OK || rc == SQLITE_DONE || rc == SQLITE_ROW else {
            throw SQLiteError(code: rc, context: context())
        }
    }

    /// Runs statements without parameters.
    func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), sql.prefix(40).description)
    }

    /// Compiles one statement, to be bound and stepped many times.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var stmt: OpaquePointer?
        try check(sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil), "prepare \(sql.prefix(40))")
        return SQLiteStatement(stmt!, database: self)
    }

    /// The first column of the first row of a parameterless query, as an integer.
    func integer(_ sql: String) throws -> Int64 {
        let s = try prepare(sql)
        return try s.step() ? s.int64(0) : 0
    }

    func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }
}
