import Foundation

/// The durable record of reading: every decision, reader mark, sign-off and audit event, written
/// to SQLite the moment it happens.
///
/// Each write is its own committed transaction, so `kill -9` loses at most the write in flight.
/// The database runs in WAL mode with a busy timeout, so several readers' processes can share one
/// file. Decisions and audit rows are append-only (triggers refuse UPDATE and DELETE); an undo is a
/// new `undo` row that names the decision it reverts. All methods are thread-safe.
public final class ReviewStore: @unchecked Sendable {
    public let path: String
    /// The database behind the store; every statement goes through the `ReviewDatabase` protocol.
    let connection: any ReviewDatabase
    private let lock = NSLock()

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// `synchronous=NORMAL` in WAL mode: a commit is in the OS before the call returns, so a killed
    /// process loses nothing; only a power cut can lose the last commits (FULL would fsync every
    /// keystroke's session update).
    ///
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        // A new folder is private (0700): it holds the database, its WAL and the log.
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let sqlite = try SQLiteConnection(path: path)
        sqlite.setBusyTimeout(milliseconds: 10_000)
        try sqlite.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
        connection = sqlite
        try migrate()
    }

    /// Opens a store on any `ReviewDatabase` (e.g. a shared PostgreSQL server) and brings its schema
    /// up to date. `location` is what the store reports as its path (a redacted URL for a server).
    public init(database: any ReviewDatabase, location: String) throws {
        self.path = location
        connection = database
        try migrate()
    }

    /// The default location: `$LIGHTBOX_REVIEW_DB`, else `$XDG_DATA_HOME/lightbox/review.sqlite`,
    /// else `~/.local/share/lightbox/review.sqlite`.
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let p = env["LIGHTBOX_REVIEW_DB"], !p.isEmpty { return p }
        let base = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".local/share")
        return (base as NSString).appendingPathComponent("lightbox/review.sqlite")
    }

    /// Schema version after migration.
    public var schemaVersion: Int {
        (try? locked { try connection.schemaVersion() }) ?? 0
    }

    /// Applies the migrations this database lacks, in one transaction that takes the write lock
    /// first, so two processes opening a new database do not both migrate.
    private func migrate() throws {
        try locked {
            try connection.transaction {
                let version = try connection.schemaVersion()
                for (i, sql) in Migrations.all(for: connection.dialect).enumerated() where i >= version {
                    try connection.execute(sql)
                    try connection.setSchemaVersion(i + 1)
                }
            }
        }
    }

    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    // MARK: - Writes (each one committed before returning)

    /// Records a decision about `finding`; returns the new row id.
    @discardableResult
    public func recordDecision(reader: String, studyUID: String, finding f: ReviewFinding, decision: DecisionKind,
                               reason: String? = nil, correction: Correction = Correction()) throws -> Int64 {
        try locked {
            return try connection.insert("""
                INSERT INTO decisions (reader, at, study_uid, series_uid, sop_uid, finding_key, source, label, probability,
                    risk, center_x, center_y, slice, width, height, diameter_mm, model_id, model_version, model_sha256,
                    decision, reason, corrected_label, corrected_risk, corrected_diameter_mm,
                    volume_ml, territory, dwi_flair_mismatch, flair_rsi, \(PriorComparisonColumns.names.joined(separator: ", ")))
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,\(PriorComparisonColumns.placeholders))
                """, [.text(reader), .text(Self.now()), .text(studyUID), .text(f.seriesUID), .text(f.sopUID), .text(f.key),
                      .text(f.origin.rawValue), .text(f.label), .optional(f.probability), .optional(f.risk?.rawValue),
                      .optional(f.centerX), .optional(f.centerY), .optional(f.slice), .optional(f.width), .optional(f.height),
                      .optional(f.diameterMM), .optional(f.model?.id), .optional(f.model?.version), .optional(f.model?.sha256),
                      .text(decision.rawValue), .optional(reason), .optional(correction.label), .optional(correction.risk),
                      .optional(correction.diameterMM), .optional(f.volumeML), .optional(f.territory),
                      .optional(f.dwiFlairMismatch.map { $0 ? 1 : 0 }), .optional(f.flairRelativeSignal)]
                    + PriorComparisonColumns.values(f.prior))
        }
    }

    /// Appends an `undo` row reverting decision `id`.
    @discardableResult
    public func undoDecision(id: Int64, reader: String) throws -> Int64 {
        try locked {
            return try connection.insert("""
                INSERT INTO decisions (reader, at, study_uid, series_uid, sop_uid, finding_key, source, label, decision, undoes)
                SELECT ?, ?, study_uid, series_uid, sop_uid, finding_key, source, label, 'undo', id FROM decisions WHERE id = ?
                """, [.text(reader), .text(Self.now()), .int(id)])
        }
    }

    /// Stores a reader-marked finding.
    public func addReaderFinding(_ f: ReaderFindingRecord, reader: String) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO reader_findings (finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind, x, y, width, height, slice)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(f.key), .text(reader), .text(Self.now()), .text(f.studyUID), .text(f.seriesUID), .text(f.sopUID),
                      .text(f.label), .text(f.kind.rawValue), .double(f.x), .double(f.y), .double(f.width), .double(f.height),
                      .int(Int64(f.slice))])
        }
    }

    /// Marks a reader finding removed (undo of "add"); the row stays, with the time it was removed.
    public func removeReaderFinding(key: String) throws {
        try locked {
            _ = try connection.query("UPDATE reader_findings SET removed_at = ? WHERE finding_key = ? AND removed_at IS NULL",
                                 [.text(Self.now()), .text(key)])
        }
    }

    /// Signs off a study. `undecided` findings are allowed only with `forced` (the caller asked the reader).
    @discardableResult
    public func signOff(reader: String, studyUID: String, assessment: String, undecided: Int, forced: Bool) throws -> Int64 {
        try locked {
            return try connection.insert("INSERT INTO signoffs (reader, at, study_uid, assessment, undecided, forced) VALUES (?,?,?,?,?,?)",
                                 [.text(reader), .text(Self.now()), .text(studyUID), .text(assessment),
                                  .int(Int64(undecided)), .int(forced ? 1 : 0)])
        }
    }

    /// Appends an audit event (e.g. `open`, `close`, `sign`).
    public func audit(reader: String, action: String, studyUID: String = "", detail: String = "") throws {
        try locked {
            _ = try connection.query("INSERT INTO audit (at, reader, action, study_uid, detail) VALUES (?,?,?,?,?)",
                                 [.text(Self.now()), .text(reader), .text(action), .text(studyUID), .text(detail)])
        }
    }

    /// Remembers where `reader` is.
    public func saveSession(reader: String, _ s: SessionState) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO session (reader, at, study_uid, series_uid, slice, screen) VALUES (?,?,?,?,?,?)
                ON CONFLICT(reader) DO UPDATE SET at = excluded.at, study_uid = excluded.study_uid,
                    series_uid = excluded.series_uid, slice = excluded.slice, screen = excluded.screen
                """, [.text(reader), .text(Self.now()), .text(s.studyUID), .text(s.seriesUID), .int(Int64(s.slice)), .text(s.screen)])
        }
    }

    // MARK: - Reads

    public func session(reader: String) throws -> SessionState? {
        try locked {
            try connection.query("SELECT study_uid, series_uid, slice, screen FROM session WHERE reader = ?", [.text(reader)])
                .first.map { SessionState(studyUID: $0[0].string ?? "", seriesUID: $0[1].string ?? "",
                                          slice: Int($0[2].int ?? 0), screen: $0[3].string ?? "worklist") }
        }
    }

    /// Every decision row (undo rows included), oldest first; filtered by study and reader when given.
    public func decisions(studyUID: String? = nil, reader: String? = nil) throws -> [DecisionRecord] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, finding_key, source, label, decision, reason, corrected_label,
                       corrected_risk, corrected_diameter_mm, undoes, model_id, sop_uid
                FROM decisions WHERE (?1 IS NULL OR study_uid = ?1) AND (?2 IS NULL OR reader = ?2) ORDER BY id
                """, [.optional(studyUID), .optional(reader)]).map { r in
                DecisionRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                               findingKey: r[4].string ?? "", source: FindingOrigin(rawValue: r[5].string ?? "") ?? .ai,
                               label: r[6].string ?? "", decision: r[7].string ?? "", reason: r[8].string,
                               correction: Correction(label: r[9].string, risk: r[10].string, diameterMM: r[11].double),
                               undoes: r[12].int, modelID: r[13].string, sopUID: r[14].string ?? "")
            }
        }
    }

    /// The decision in force for each finding: the latest row that is not an undo and was not undone.
    public func effectiveDecisions(studyUID: String, reader: String) throws -> [String: DecisionRecord] {
        Self.effective(try decisions(studyUID: studyUID, reader: reader))
    }

    static func effective(_ rows: [DecisionRecord]) -> [String: DecisionRecord] {
        let undone = Set(rows.compactMap(\.undoes))
        var out: [String: DecisionRecord] = [:]
        var history: [String: [DecisionRecord]] = [:]
        for r in rows where r.decision != "undo" && !undone.contains(r.id) { history[r.findingKey, default: []].append(r) }
        for (k, v) in history { out[k] = v.last }
        return out
    }

    public func readerFindings(studyUID: String? = nil, reader: String? = nil, includeRemoved: Bool = false) throws -> [ReaderFindingRecord] {
        try locked {
            try connection.query("""
                SELECT finding_key, reader, at, study_uid, series_uid, sop_uid, label, kind, x, y, width, height, slice, removed_at
                FROM reader_findings WHERE (?1 IS NULL OR study_uid = ?1) AND (?2 IS NULL OR reader = ?2)
                  AND (?3 = 1 OR removed_at IS NULL) ORDER BY id
                """, [.optional(studyUID), .optional(reader), .int(includeRemoved ? 1 : 0)]).map { r in
                ReaderFindingRecord(key: r[0].string ?? "", reader: r[1].string ?? "", at: r[2].string ?? "",
                                    studyUID: r[3].string ?? "", seriesUID: r[4].string ?? "", sopUID: r[5].string ?? "",
                                    label: r[6].string ?? "", kind: .init(rawValue: r[7].string ?? "") ?? .point,
                                    x: r[8].double ?? 0, y: r[9].double ?? 0, width: r[10].double ?? 0, height: r[11].double ?? 0,
                                    slice: Int(r[12].int ?? 0), removed: r[13] != .null)
            }
        }
    }

    public func signoffs(studyUID: String? = nil, reader: String? = nil) throws -> [SignoffRecord] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, assessment, undecided, forced FROM signoffs
                WHERE (?1 IS NULL OR study_uid = ?1) AND (?2 IS NULL OR reader = ?2) ORDER BY id
                """, [.optional(studyUID), .optional(reader)]).map { r in
                SignoffRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                              assessment: r[4].string ?? "", undecided: Int(r[5].int ?? 0), forced: r[6].int == 1)
            }
        }
    }

    public func auditTrail(studyUID: String? = nil) throws -> [AuditRecord] {
        try locked {
            try connection.query("SELECT id, at, reader, action, study_uid, detail FROM audit WHERE (?1 IS NULL OR study_uid = ?1) ORDER BY id",
                                 [.optional(studyUID)]).map { r in
                AuditRecord(id: r[0].int ?? 0, at: r[1].string ?? "", reader: r[2].string ?? "", action: r[3].string ?? "",
                            studyUID: r[4].string ?? "", detail: r[5].string ?? "")
            }
        }
    }

    /// Review status of every study `reader` has touched: signed, or in progress (any decision or mark).
    public func statuses(reader: String) throws -> [String: ReviewStatus] {
        try locked {
            var out: [String: ReviewStatus] = [:]
            for r in try connection.query("""
                SELECT study_uid FROM decisions WHERE reader = ?1 UNION SELECT study_uid FROM reader_findings WHERE reader = ?1
                """, [.text(reader)]) {
                if let s = r[0].string { out[s] = .inProgress }
            }
            for r in try connection.query("SELECT DISTINCT study_uid FROM signoffs WHERE reader = ?", [.text(reader)]) {
                if let s = r[0].string { out[s] = .signed }
            }
            return out
        }
    }

    /// Runs raw SQL (tests and `lightbox review` diagnostics); returns rows as strings.
    @_spi(Testing) public func rawQuery(_ sql: String) throws -> [[String]] {
        try locked {
            try connection.query(sql).map { $0.map { v in
                switch v {
                case .null: return "NULL"
                case .int(let i): return String(i)
                case .double(let d): return String(d)
                case .text(let s): return s
                }
            } }
        }
    }
}
