import CLibPQ
import Foundation

/// The one place that calls libpq: connect, run a statement (with text parameters), read rows,
/// reset. Every failure becomes a thrown `PostgresError` (the swift-nio habit), scrubbed of the
/// password; nothing else in the module sees a `PGconn` or a `PGresult`.
///
/// Blocking and not thread-safe: `PostgresReviewDatabase` is used under `ReviewStore`'s lock.
final class PostgresConnection {
    private var conn: OpaquePointer?
    /// The server as shown in messages (no credentials).
    let display: String
    /// Strings that must never appear in an error (the password, however it was given).
    private let secrets: [String]

    /// Connects to `url`. `password`, when given (a `password_file`), goes to libpq as a keyword,
    /// never into a URL; otherwise libpq reads `PGPASSWORD` or the pass file itself.
    init(url: PostgresURL, password: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        display = url.display
        secrets = [password, environment["PGPASSWORD"]].compactMap { $0 }.filter { !$0.isEmpty }
        // Earlier keywords are defaults: the URL (expanded from `dbname`) overrides them.
        var keywords = ["connect_timeout", "application_name", "dbname"]
        var values = ["10", "lightbox", url.connectionURL]
        if let password { keywords.append("password"); values.append(password) }
        conn = Self.withCStrings(keywords) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let conn else { throw PostgresError(.connect, "\(display): out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = errorMessage
            PQfinish(conn)
            self.conn = nil
            throw PostgresError(.connect, "\(display): \(message)")
        }
        Self.silenceNotices(conn)
    }

    deinit { PQfinish(conn) }

    /// NOTICEs ("relation already exists, skipping") would go to stderr, in the middle of a screen.
    private static func silenceNotices(_ conn: OpaquePointer) {
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    var isConnected: Bool { conn.map { PQstatus($0) == CONNECTION_OK } ?? false }

    /// libpq's last error for the connection, one line, scrubbed.
    private var errorMessage: String {
        let raw = conn.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "no connection"
        return PostgresError.scrub(raw.trimmingCharacters(in: .whitespacesAndNewlines), secrets: secrets)
    }

    /// Re-opens the connection with the same parameters (libpq's `PQreset`).
    func reset() throws {
        guard let conn else { throw PostgresError(.connectionLost, "\(display): no connection") }
        PQreset(conn)
        guard PQstatus(conn) == CONNECTION_OK else {
            throw PostgresError(.connectionLost, "\(display): reconnecting failed: \(errorMessage)")
        }
    }

    /// Runs `sql`: with `parameters` nil, as one or more statements (`PQexec`); otherwise as one
    /// statement whose `$N` are bound, as text, to `parameters` (`PQexecParams`). Integers and
    /// doubles are sent typed (int8, float8), text and NULL untyped so the server infers the
    /// column's type, as it would for a quoted literal.
    func run(_ sql: String, _ parameters: [ReviewValue]?) throws -> [[ReviewValue]] {
        guard let conn else { throw PostgresError(.connectionLost, "\(display): no connection") }
        let result: OpaquePointer?
        if let parameters {
            guard parameters.count <= Int(Int32.max) else { throw PostgresError(.statement, "too many parameters") }
            let types: [Oid] = parameters.map { p in
                switch p {
                case .int: 20        // int8
                case .double: 701    // float8
                case .text, .null: 0 // inferred
                }
            }
            let texts: [String?] = parameters.map { p in
                switch p {
                case .null: nil
                case .int(let v): String(v)
                case .double(let v): v.isNaN ? "NaN" : v.isInfinite ? (v < 0 ? "-Infinity" : "Infinity") : "\(v)"
                case .text(let s): s
                }
            }
            result = Self.withOptionalCStrings(texts) { values in
                PQexecParams(conn, sql, Int32(parameters.count), types, values, nil, nil, 0)
            }
        } else {
            result = PQexec(conn, sql)
        }
        defer { PQclear(result) }
        guard let result else {
            throw PostgresError(isConnected ? .statement : .connectionLost, "\(display): \(errorMessage)")
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY: return []
        case PGRES_TUPLES_OK: return Self.rows(result)
        default:
            let message = PQresultErrorMessage(result).map { String(cString: $0) } ?? ""
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }   // PG_DIAG_SQLSTATE
            let text = PostgresError.scrub(message.trimmingCharacters(in: .whitespacesAndNewlines), secrets: secrets)
            guard isConnected else { throw PostgresError(.connectionLost, "\(display): \(text)", sqlState: state) }
            throw PostgresError(.statement, "\(text) (in: \(sql.prefix(60)))", sqlState: state)
        }
    }

    /// Rows of a result, each value typed by its column: integers (int2/4/8, oid) → .int,
    /// float4/float8/numeric → .double, boolean → .int 1/0, NULL → .null, anything else → .text.
    private static func rows(_ result: OpaquePointer) -> [[ReviewValue]] {
        let n = PQntuples(result), fields = PQnfields(result)
        let types = (0 ..< fields).map { PQftype(result, $0) }
        return (0 ..< n).map { r in
            (0 ..< fields).map { c in
                guard PQgetisnull(result, r, c) == 0, let p = PQgetvalue(result, r, c) else { return .null }
                let s = String(cString: p)
                switch types[Int(c)] {
                case 20, 21, 23, 26: return Int64(s).map { .int($0) } ?? .text(s)
                case 700, 701, 1700: return Double(s).map { .double($0) } ?? .text(s)
                case 16: return .int(s == "t" ? 1 : 0)
                default: return .text(s)
                }
            }
        }
    }

    /// NUL-terminated copies of `strings`, valid during `body`, as a NULL-ended array.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        withOptionalCStrings(strings.map { Optional($0) }) { body($0 + [nil]) }
    }

    /// NUL-terminated copies of `strings` (nil stays NULL: an SQL NULL parameter), valid during `body`.
    private static func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let copies = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
