import CSQLite
import Foundation

/// A prepared statement: bind by 1-based index, step, read columns by 0-based index, reset to
/// reuse. Text is bound `SQLITE_TRANSIENT` (copied before `bind` returns), so Swift strings need
/// not outlive the call. Finalised on deinit.
final class SQLiteStatement {
    private let stmt: OpaquePointer
    private let database: SQLiteDatabase  // keeps the connection open while the statement lives
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ stmt: OpaquePointer, database: SQLiteDatabase) {
        self.stmt = stmt
        self.database = database
    }

    deinit { sqlite3_finalize(stmt) }

    /// Clears bindings and rewinds, ready for the next row's values.
    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    func bind(_ i: Int32, _ v: String) throws {
        try database.check(sqlite3_bind_text(stmt, i, v, -1, Self.transient), "bind text")
    }
    func bind(_ i: Int32, _ v: String?) throws {
        if let v { try bind(i, v) } else { try bindNull(i) }
    }
    func bind(_ i: Int32, _ v: Int64) throws {
        try database.check(sqlite3_bind_int64(stmt, i, v), "bind int")
    }
    func bind(_ i: Int32, _ v: Int?) throws {
        if let v { try bind(i, Int64(v)) } else { try bindNull(i) }
    }
    func bind(_ i: Int32, _ v: Double?) throws {
        if let v { try database.check(sqlite3_bind_double(stmt, i, v), "bind double") } else { try bindNull(i) }
    }
    /// Doubles as a blob of little-endian IEEE 754 values (exact, and cheaper than text).
    func bind(_ i: Int32, _ v: [Double]) throws {
        let bytes = v.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        try database.check(bytes.withUnsafeBytes { sqlite3_bind_blob(stmt, i, $0.baseAddress, Int32($0.count), Self.transient) },
                           "bind blob")
    }
    func bindNull(_ i: Int32) throws { try database.check(sqlite3_bind_null(stmt, i), "bind null") }

    /// Advances: true on a row, false when done; any other result throws.
    func step() throws -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw SQLiteError(code: rc, context: "step")
    }

    /// Steps a statement that returns no rows, then resets it.
    func run() throws {
        defer { reset() }
        _ = try step()
    }

    func isNull(_ c: Int32) -> Bool { sqlite3_column_type(stmt, c) == SQLITE_NULL }
    func int64(_ c: Int32) -> Int64 { sqlite3_column_int64(stmt, c) }
    func int(_ c: Int32) -> Int? { isNull(c) ? nil : Int(sqlite3_column_int64(stmt, c)) }
    func double(_ c: Int32) -> Double? { isNull(c) ? nil : sqlite3_column_double(stmt, c) }
    func text(_ c: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, c) else { return "" }
        let n = Int(sqlite3_column_bytes(stmt, c))
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }
    /// The column's text, as `previous` itself when the bytes are the same: rows in key order
    /// repeat their study's and series' values, and sharing one string's storage keeps the memory
    /// of a large index closer to its number of series than to its number of files.
    func text(_ c: Int32, reusing previous: String?) -> String {
        guard let previous, let p = sqlite3_column_text(stmt, c) else { return text(c) }
        let n = Int(sqlite3_column_bytes(stmt, c))
        return ByteOrder.compare(UnsafeRawBufferPointer(start: p, count: n), previous) == 0 ? previous : text(c)
    }
    /// The column's text, as `cached` itself when the bytes are the same, else a new string that
    /// also replaces `cached`: rows in key order repeat their study's and series' values, so one
    /// string per column kept from row to row shares their storage without copying whole headers.
    func text(_ c: Int32, cached: inout String) -> String {
        guard let p = sqlite3_column_text(stmt, c) else {
            if !cached.isEmpty { cached = "" }
            return cached
        }
        let raw = UnsafeRawBufferPointer(start: p, count: Int(sqlite3_column_bytes(stmt, c)))
        if ByteOrder.compare(raw, cached) != 0 { cached = String(decoding: raw, as: UTF8.self) }
        return cached
    }
    func optionalText(_ c: Int32) -> String? { isNull(c) ? nil : text(c) }
    /// `doubles(c)`, as `cached` itself when the blob holds the same values (bit for bit).
    func doubles(_ c: Int32, cached: inout [Double]) -> [Double] {
        let n = Int(sqlite3_column_bytes(stmt, c)) / 8
        guard n > 0, let p = sqlite3_column_blob(stmt, c) else {
            if !cached.isEmpty { cached = [] }
            return cached
        }
        let same = n == cached.count && cached.withUnsafeBufferPointer { b in
            (0 ..< n).allSatisfy { b[$0].bitPattern == UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
        }
        if !same { cached = doubles(c) }
        return cached
    }
    func doubles(_ c: Int32) -> [Double] {
        let n = Int(sqlite3_column_bytes(stmt, c)) / 8
        guard n > 0, let p = sqlite3_column_blob(stmt, c) else { return [] }
        let raw = UnsafeRawBufferPointer(start: p, count: n * 8)
        return (0 ..< n).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
    }
    /// The column's bytes compared with `key`'s UTF-8, as SQLite's BINARY collation orders them.
    func compareText(_ c: Int32, with key: String) -> Int {
        let p = sqlite3_column_text(stmt, c)
        let n = Int(sqlite3_column_bytes(stmt, c))
        return ByteOrder.compare(UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : n), key)
    }
}
