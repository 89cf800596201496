/// What `ReviewStore.beginReading` found when a viewer opened a study.
public struct ReadingClaim: Sendable, Equatable {
    /// Whether this workstation now holds the study's reading lock (always true on SQLite,
    /// which has no other sessions to tell apart).
    public var held: Bool
    /// Readers at other workstations who have the study open now.
    public var otherReaders: [String]
    public init(held: Bool, otherReaders: [String]) { self.held = held; self.otherReaders = otherReaders }
}

/// Reading claims: on a shared PostgreSQL store, while a study is open in a viewer the process holds
/// a session-level advisory lock keyed by the study (`pg_try_advisory_lock(LBRW, hashtext(uid))`)
/// and a `reading` row names the reader and the session. A row counts only while that session
/// still holds the lock (checked against `pg_locks`), so a killed workstation's claim vanishes
/// with its connection; no clean-up job, no stale "reading" labels.
///
/// The claim informs, it does not forbid: two radiologists may open the same study (a consult),
/// and each sees that the other is in it. On SQLite these are no-ops.
extension ReviewStore {
    /// Claims `studyUID` for `reader`; returns whether the lock was taken and who else has it open.
    /// Claiming a study this store already holds is a no-op.
    @discardableResult
    public func beginReading(studyUID: String, reader: String) throws -> ReadingClaim {
        guard let pg = connection as? PostgresReviewDatabase else { return ReadingClaim(held: true, otherReaders: []) }
        let key = Self.readingKey(studyUID)
        let held: Bool = try locked {
            if pg.reconnectStatements[key] != nil { return true }
            let claim = (sql: """
                INSERT INTO reading (reader, at, study_uid, backend_pid)
                SELECT ?1, ?2, ?3, pg_backend_pid() WHERE pg_try_advisory_lock(\(PostgresReviewDatabase.readingLockKey), hashtext(?3))
                """, parameters: [ReviewValue.text(reader), .text(Self.now()), .text(studyUID)])
            guard try pg.insert(claim.sql, claim.parameters) != 0 else { return false }
            // After a reconnect the server has forgotten the lock: claim it again with the new session.
            pg.reconnectStatements[key] = claim
            return true
        }
        return ReadingClaim(held: held, otherReaders: try readingNow()[studyUID] ?? [])
    }

    /// Gives up the claim on `studyUID` (the viewer closed it). A no-op when not held.
    public func endReading(studyUID: String) throws {
        guard let pg = connection as? PostgresReviewDatabase else { return }
        let key = Self.readingKey(studyUID)
        try locked {
            guard pg.reconnectStatements.removeValue(forKey: key) != nil else { return }
            try pg.query("SELECT pg_advisory_unlock(\(PostgresReviewDatabase.readingLockKey), hashtext(?))", [.text(studyUID)])
        }
    }

    /// Whether other workstations can share this store (PostgreSQL), so reading claims mean something.
    public var isShared: Bool { connection.dialect == .postgres }

    /// Studies open at other workstations now: study UID → readers (sorted). Empty on SQLite.
    public func readingNow() throws -> [String: [String]] {
        guard connection.dialect == .postgres else { return [:] }
        let rows = try locked {
            try connection.query("""
                SELECT DISTINCT r.study_uid, r.reader FROM reading r
                JOIN pg_locks l ON l.locktype = 'advisory' AND l.granted AND l.pid = r.backend_pid
                  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                  AND l.classid = \(PostgresReviewDatabase.readingLockKey)::oid AND l.objid = hashtext(r.study_uid)::oid
                  AND l.objsubid = 2
                WHERE r.backend_pid <> pg_backend_pid()
                ORDER BY 1, 2
                """, [])
        }
        var out: [String: [String]] = [:]
        for r in rows {
            if let study = r[0].string, let reader = r[1].string { out[study, default: []].append(reader) }
        }
        return out
    }

    private static func readingKey(_ studyUID: String) -> String { "reading " + studyUID }
}
