import Foundation

/// A teaching session: who, in which mode and order, over how many cases.
public struct TeachingSessionRecord: Sendable, Equatable {
    public var key: String
    public var trainee: String
    public var at: String
    /// `known` (answers visible) or `unknown` (quiz).
    public var mode: String
    public var order: String
    public var seed: Int?
    public var cases: Int
    public init(key: String, trainee: String, at: String = "", mode: String, order: String, seed: Int?, cases: Int) {
        self.key = key; self.trainee = trainee; self.at = at; self.mode = mode; self.order = order; self.seed = seed; self.cases = cases
    }
}

/// A trainee's result on one case, written when the answer is revealed.
public struct TeachingResultRecord: Sendable, Equatable {
    public var sessionKey: String
    public var trainee: String
    public var at: String
    public var studyUID: String
    /// 1-based position of the case in the session.
    public var caseNumber: Int
    public var mode: String
    public var assessment: String
    public var lesions: Int
    public var hits: Int
    public var misses: Int
    public var falsePositives: Int
    public init(sessionKey: String, trainee: String, at: String = "", studyUID: String, caseNumber: Int, mode: String,
                assessment: String, lesions: Int, hits: Int, misses: Int, falsePositives: Int) {
        self.sessionKey = sessionKey; self.trainee = trainee; self.at = at; self.studyUID = studyUID; self.caseNumber = caseNumber
        self.mode = mode; self.assessment = assessment; self.lesions = lesions; self.hits = hits; self.misses = misses
        self.falsePositives = falsePositives
    }
}

/// Teaching rows: sessions, the trainee's marks (removal is a new row naming the mark) and results.
extension ReviewStore {
    public func startTeachingSession(_ s: TeachingSessionRecord) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO teaching_sessions (session_key, trainee, at, mode, case_order, seed, cases) VALUES (?,?,?,?,?,?,?)
                """, [.text(s.key), .text(s.trainee), .text(Self.now()), .text(s.mode), .text(s.order), .optional(s.seed), .int(Int64(s.cases))])
        }
    }

    public func addTeachingMark(session: String, _ m: ReaderFindingRecord) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO teaching_marks (session_key, trainee, at, study_uid, mark_key, label, series_uid, sop_uid, kind, x, y, width, height, slice)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(session), .text(m.reader), .text(Self.now()), .text(m.studyUID), .text(m.key), .text(m.label), .text(m.seriesUID),
                      .text(m.sopUID), .text(m.kind.rawValue), .double(m.x), .double(m.y), .double(m.width), .double(m.height), .int(Int64(m.slice))])
        }
    }

    /// Removes a mark by appending a row that names it (the table is append-only).
    public func removeTeachingMark(session: String, key: String) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO teaching_marks (session_key, trainee, at, study_uid, mark_key, label, series_uid, sop_uid, kind, x, y, width, height, slice, removes)
                SELECT session_key, trainee, ?, study_uid, mark_key, label, series_uid, sop_uid, kind, x, y, width, height, slice, id
                FROM teaching_marks WHERE session_key = ? AND mark_key = ? AND removes IS NULL
                """, [.text(Self.now()), .text(session), .text(key)])
        }
    }

    /// The session's marks on a study still in force, oldest first.
    public func teachingMarks(session: String, studyUID: String) throws -> [ReaderFindingRecord] {
        try locked {
            try connection.query("""
                SELECT mark_key, trainee, at, study_uid, series_uid, sop_uid, label, kind, x, y, width, height, slice FROM teaching_marks m
                WHERE session_key = ?1 AND study_uid = ?2 AND removes IS NULL
                  AND NOT EXISTS (SELECT 1 FROM teaching_marks r WHERE r.removes = m.id) ORDER BY id
                """, [.text(session), .text(studyUID)]).map { r in
                ReaderFindingRecord(key: r[0].string ?? "", reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                                    seriesUID: r[4].string ?? "", sopUID: r[5].string ?? "", label: r[6].string ?? "",
                                    kind: .init(rawValue: r[7].string ?? "") ?? .point, x: r[8].double ?? 0, y: r[9].double ?? 0,
                                    width: r[10].double ?? 0, height: r[11].double ?? 0, slice: Int(r[12].int ?? 0))
            }
        }
    }

    public func recordTeachingResult(_ r: TeachingResultRecord) throws {
        try locked {
            _ = try connection.query("""
                INSERT INTO teaching_results (session_key, trainee, at, study_uid, case_number, mode, assessment, lesions, hits, misses, false_positives)
                VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(r.sessionKey), .text(r.trainee), .text(Self.now()), .text(r.studyUID), .int(Int64(r.caseNumber)), .text(r.mode),
                      .text(r.assessment), .int(Int64(r.lesions)), .int(Int64(r.hits)), .int(Int64(r.misses)), .int(Int64(r.falsePositives))])
        }
    }

    /// Results, oldest first; filtered by trainee and session when given.
    public func teachingResults(trainee: String? = nil, session: String? = nil) throws -> [TeachingResultRecord] {
        try locked {
            try connection.query("""
                SELECT session_key, trainee, at, study_uid, case_number, mode, assessment, lesions, hits, misses, false_positives
                FROM teaching_results WHERE (?1 IS NULL OR trainee = ?1) AND (?2 IS NULL OR session_key = ?2) ORDER BY id
                """, [.optional(trainee), .optional(session)]).map { r in
                TeachingResultRecord(sessionKey: r[0].string ?? "", trainee: r[1].string ?? "", at: r[2].string ?? "",
                                     studyUID: r[3].string ?? "", caseNumber: Int(r[4].int ?? 0), mode: r[5].string ?? "",
                                     assessment: r[6].string ?? "", lesions: Int(r[7].int ?? 0), hits: Int(r[8].int ?? 0),
                                     misses: Int(r[9].int ?? 0), falsePositives: Int(r[10].int ?? 0))
            }
        }
    }
}
