import Foundation

/// Second-reader screening rows: events, discordance items, the arbitration queue and a reader's
/// statistics. Every write is one committed transaction, like the rest of the store.
extension ReviewStore {
    @discardableResult
    public func recordScreeningEvent(_ e: ScreeningEvent) throws -> Int64 {
        try locked {
            return try connection.insert("""
                INSERT INTO screening_events (reader, at, study_uid, event, right_birads, left_birads, detail) VALUES (?,?,?,?,?,?,?)
                """, [.text(e.reader), .text(Self.now()), .text(e.studyUID), .text(e.kind.rawValue), .optional(e.rightBIRADS),
                      .optional(e.leftBIRADS), .text(e.detail)])
        }
    }

    /// Records the reveal and its discordance items in one transaction: either all are stored or none.
    public func recordReveal(reader: String, studyUID: String, discordances: [DiscordanceRecord]) throws {
        try locked {
            try connection.transaction {
                let at = Self.now()
                _ = try connection.query("INSERT INTO screening_events (reader, at, study_uid, event, detail) VALUES (?,?,?,'reveal',?)",
                                         [.text(reader), .text(at), .text(studyUID), .text("\(discordances.count) discordance(s)")])
                for d in discordances {
                    _ = try connection.query("""
                        INSERT INTO discordances (reader, at, study_uid, finding_key, kind, label, series_uid, sop_uid, x, y, width, height,
                            laterality, probability) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                        """, [.text(reader), .text(at), .text(studyUID), .text(d.findingKey), .text(d.kind.rawValue), .text(d.label),
                              .text(d.seriesUID), .text(d.sopUID), .double(d.x), .double(d.y), .double(d.width), .double(d.height),
                              .text(d.laterality), .optional(d.probability)])
                }
            }
        }
    }

    public func screeningEvents(studyUID: String? = nil, reader: String? = nil) throws -> [ScreeningEvent] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, event, right_birads, left_birads, detail FROM screening_events
                WHERE (?1 IS NULL OR study_uid = ?1) AND (?2 IS NULL OR reader = ?2) ORDER BY id
                """, [.optional(studyUID), .optional(reader)]).map { r in
                ScreeningEvent(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                               kind: ScreeningEvent.Kind(rawValue: r[4].string ?? "") ?? .start,
                               rightBIRADS: r[5].int.map(Int.init), leftBIRADS: r[6].int.map(Int.init), detail: r[7].string ?? "")
            }
        }
    }

    public func discordances(studyUID: String? = nil, reader: String? = nil) throws -> [DiscordanceRecord] {
        try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, finding_key, kind, label, series_uid, sop_uid, x, y, width, height, laterality, probability
                FROM discordances WHERE (?1 IS NULL OR study_uid = ?1) AND (?2 IS NULL OR reader = ?2) ORDER BY id
                """, [.optional(studyUID), .optional(reader)]).map { r in
                DiscordanceRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                                  findingKey: r[4].string ?? "", kind: .init(rawValue: r[5].string ?? "") ?? .aiOnly,
                                  label: r[6].string ?? "", seriesUID: r[7].string ?? "", sopUID: r[8].string ?? "",
                                  x: r[9].double ?? 0, y: r[10].double ?? 0, width: r[11].double ?? 0, height: r[12].double ?? 0,
                                  laterality: r[13].string ?? "", probability: r[14].double)
            }
        }
    }

    /// Studies with discordance items and no arbitration yet, oldest reveal first.
    public func discordanceQueue() throws -> [DiscordanceQueueItem] {
        let rows = try discordances()
        let arbitrated = Set(try screeningEvents().filter { $0.kind == .arbitrate }.map(\.studyUID))
        var order: [String] = []
        var byStudy: [String: [DiscordanceRecord]] = [:]
        for d in rows where !arbitrated.contains(d.studyUID) {
            if byStudy[d.studyUID] == nil { order.append(d.studyUID) }
            byStudy[d.studyUID, default: []].append(d)
        }
        return order.map { uid in
            let items = byStudy[uid] ?? []
            var readers: [String] = []
            for d in items where !readers.contains(d.reader) { readers.append(d.reader) }
            return DiscordanceQueueItem(studyUID: uid, readers: readers, aiOnly: items.filter { $0.kind == .aiOnly }.count,
                                        readerOnly: items.filter { $0.kind == .readerOnly }.count, revealedAt: items.first?.at ?? "")
        }
    }

    /// Figures over the studies `reader` signed in second-reader mode (the latest `sign` per study).
    public func screeningStats(reader: String) throws -> ScreeningStats {
        let events = try screeningEvents(reader: reader)
        let discordant = Set(try discordances(reader: reader).map(\.studyUID))
        var lastSign: [String: ScreeningEvent] = [:]
        var order: [String] = []
        var firstStart: [String: String] = [:]
        for e in events {
            if e.kind == .start, firstStart[e.studyUID] == nil { firstStart[e.studyUID] = e.at }
            if e.kind == .sign {
                if lastSign[e.studyUID] == nil { order.append(e.studyUID) }
                lastSign[e.studyUID] = e
            }
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var stats = ScreeningStats(reader: reader, studiesRead: order.count, recalls: 0, discordant: 0, secondsPerStudy: [])
        for uid in order {
            guard let s = lastSign[uid] else { continue }
            if [s.rightBIRADS, s.leftBIRADS].contains(where: { $0.map(BIRADS.isRecall) ?? false }) { stats.recalls += 1 }
            if discordant.contains(uid) { stats.discordant += 1 }
            if let a = firstStart[uid].flatMap(f.date(from:)), let b = f.date(from: s.at) { stats.secondsPerStudy.append(max(0, b.timeIntervalSince(a))) }
        }
        return stats
    }
}
