/// Copies one review store into another (`lightbox review migrate --from sqlite:PATH --to postgresql://…`):
/// a workstation's local history moved onto the department's server.
///
/// Every table, every row, ids preserved: decisions name the decisions they undo (`undoes`), key
/// images and teaching marks the rows they remove (`removes`), so keeping the ids keeps those links
/// without remapping. The target must be empty (a merge of two histories would have to renumber
/// ids and is a different operation); after the copy each identity sequence continues above the
/// largest id copied. All in one transaction on the target: it holds the whole history or nothing.
public enum ReviewStoreTransfer {
    /// Rows copied per table, in copy order.
    public typealias Counts = [(table: String, rows: Int)]

    public static func copy(from source: ReviewStore, to target: ReviewStore) throws -> Counts {
        guard source.schemaVersion == target.schemaVersion else {
            throw PostgresError(.configuration, "schema versions differ (source \(source.schemaVersion), target \(target.schemaVersion)); open both with the same lightbox")
        }
        let sourceTables = try source.locked { try Self.tables(source.connection) }
        let into = target.connection
        return try target.locked {
            // Referenced tables first (reports name their sign-off), so each row's references exist.
            let tables = Self.ordered(sourceTables, references: try Self.references(into))
            return try into.transaction {
                let present = Set(try Self.tables(into))
                for t in tables where !present.contains(t) {
                    throw PostgresError(.configuration, "the target has no table \(t)")
                }
                for t in tables {
                    let n = try into.query("SELECT count(*) FROM \(t)").first?.first?.int ?? 0
                    if n > 0 { throw PostgresError(.configuration, "the target is not empty (\(t) has \(n) rows); migrate only into a new database") }
                }
                var counts: Counts = []
                for t in tables {
                    let columns = try source.locked { try Self.columns(t, source.connection) }
                    let hasID = columns.contains("id")
                    let rows = try source.locked {
                        try source.connection.query("SELECT \(columns.joined(separator: ", ")) FROM \(t)" + (hasID ? " ORDER BY id" : ""))
                    }
                    let marks = Array(repeating: "?", count: columns.count).joined(separator: ",")
                    let overriding = into.dialect == .postgres && hasID ? " OVERRIDING SYSTEM VALUE" : ""
                    let insert = "INSERT INTO \(t) (\(columns.joined(separator: ", ")))\(overriding) VALUES (\(marks))"
                    for r in rows { try into.query(insert, r) }
                    if hasID, into.dialect == .postgres, !rows.isEmpty {
                        try into.query("SELECT setval(pg_get_serial_sequence('\(t)', 'id'), (SELECT max(id) FROM \(t)))")
                    }
                    counts.append((t, rows.count))
                }
                return counts
            }
        }
    }

    /// `tables` with every table after the tables it references (self-references ignored); ties
    /// keep their order.
    static func ordered(_ tables: [String], references: [String: Set<String>]) -> [String] {
        var done: [String] = [], left = tables
        while !left.isEmpty {
            let ready = left.firstIndex { t in (references[t] ?? []).subtracting([t]).allSatisfy { done.contains($0) || !tables.contains($0) } }
            done.append(left.remove(at: ready ?? 0))  // a cycle (none in the schema) copies in name order
        }
        return done
    }

    /// Table → the tables its foreign keys reference, as the database declares them.
    static func references(_ db: any ReviewDatabase) throws -> [String: Set<String>] {
        var out: [String: Set<String>] = [:]
        switch db.dialect {
        case .postgres:
            for r in try db.query("""
                SELECT tc.table_name, ccu.table_name FROM information_schema.table_constraints tc
                JOIN information_schema.constraint_column_usage ccu
                  ON ccu.constraint_name = tc.constraint_name AND ccu.constraint_schema = tc.constraint_schema
                WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
                """) {
                if let t = r.first?.string, let ref = r.last?.string { out[t, default: []].insert(ref) }
            }
        case .sqlite:
            for t in try tables(db) {
                for r in try db.query("SELECT \"table\" FROM pragma_foreign_key_list('\(t)')") {
                    if let ref = r.first?.string { out[t, default: []].insert(ref) }
                }
            }
        }
        return out
    }

    /// The store's tables (not the schema bookkeeping), sorted.
    static func tables(_ db: any ReviewDatabase) throws -> [String] {
        let sql = switch db.dialect {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        case .postgres: "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'lightbox_schema' ORDER BY 1"
        }
        return try db.query(sql).compactMap { $0.first?.string }
    }

    /// `table`'s columns in their declared order.
    static func columns(_ table: String, _ db: any ReviewDatabase) throws -> [String] {
        let sql = switch db.dialect {
        case .sqlite: "SELECT name FROM pragma_table_info(?) ORDER BY cid"
        case .postgres: "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
        }
        return try db.query(sql, [.text(table)]).compactMap { $0.first?.string }
    }
}
