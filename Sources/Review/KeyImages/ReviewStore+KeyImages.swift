import Foundation

/// Key images in the review store. The `key_images` table is append-only (triggers refuse UPDATE
/// and DELETE): marking adds a row, unmarking adds a row naming the marks it removes, so the record
/// of what was marked when survives. Marking an image again adds a newer row, whose view wins.
extension ReviewStore {
    /// Marks an image key for `record.reader`; returns the new row id.
    @discardableResult
    public func addKeyImage(_ k: KeyImageRecord) throws -> Int64 {
        try locked {
            let area = k.displayedArea
            return try connection.insert("""
                INSERT INTO key_images (reader, at, study_uid, series_uid, sop_uid, frame, note, window_center, window_width,
                    inverted, area_left, area_top, area_right, area_bottom)
                VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(k.reader), .text(Self.now()), .text(k.studyUID), .text(k.seriesUID), .text(k.sopUID),
                      .int(Int64(k.frame ?? 0)), .text(k.note), .optional(k.windowCenter.flatMap(Self.finite)),
                      .optional(k.windowWidth.flatMap(Self.finite)), .int(k.inverted ? 1 : 0),
                      .optional(area.map(\.left)), .optional(area.map(\.top)),
                      .optional(area.map(\.right)), .optional(area.map(\.bottom))])
        }
    }

    /// Unmarks an image: appends one removal row for each of `reader`'s marks on it still in force.
    /// Returns how many marks were removed (0 when the image was not key).
    @discardableResult
    public func removeKeyImage(reader: String, studyUID: String, sopUID: String, frame: Int? = nil) throws -> Int {
        let live = try keyImages(studyUID: studyUID, reader: reader, latestOnly: false)
            .filter { $0.sopUID == sopUID && $0.frame == frame }
        try locked {
            try connection.transaction {
                for k in live {
                    _ = try connection.insert("""
                        INSERT INTO key_images (reader, at, study_uid, series_uid, sop_uid, frame, note, inverted, removes)
                        VALUES (?,?,?,?,?,?,'',0,?)
                        """, [.text(reader), .text(Self.now()), .text(studyUID), .text(k.seriesUID), .text(sopUID),
                              .int(Int64(frame ?? 0)), .int(k.id)])
                }
            }
        }
        return live.count
    }

    /// `reader`'s key images of a study in force, in the order first marked. With `latestOnly`
    /// (the default) an image marked several times appears once, with its latest note and view.
    public func keyImages(studyUID: String, reader: String, latestOnly: Bool = true) throws -> [KeyImageRecord] {
        let rows = try locked {
            try connection.query("""
                SELECT id, reader, at, study_uid, series_uid, sop_uid, frame, note, window_center, window_width, inverted,
                       area_left, area_top, area_right, area_bottom
                FROM key_images k WHERE study_uid = ?1 AND reader = ?2 AND removes IS NULL
                  AND NOT EXISTS (SELECT 1 FROM key_images r WHERE r.removes = k.id) ORDER BY id
                """, [.text(studyUID), .text(reader)]).map(Self.keyImage)
        }
        guard latestOnly else { return rows }
        var order: [String] = []
        var latest: [String: KeyImageRecord] = [:]
        for r in rows {
            let key = "\(r.sopUID)#\(r.frame ?? 0)"
            if latest[key] == nil { order.append(key) }
            latest[key] = r
        }
        return order.compactMap { latest[$0] }
    }

    /// Readers with key images in force in a study.
    public func keyImageReaders(studyUID: String) throws -> [String] {
        try locked {
            try connection.query("""
                SELECT DISTINCT reader FROM key_images k WHERE study_uid = ?1 AND removes IS NULL
                  AND NOT EXISTS (SELECT 1 FROM key_images r WHERE r.removes = k.id) ORDER BY 1
                """, [.text(studyUID)]).compactMap { $0.first?.string }
        }
    }

    private static func keyImage(_ r: [ReviewValue]) -> KeyImageRecord {
        var area: DisplayedArea?
        if let l = r[11].int, let t = r[12].int, let rt = r[13].int, let b = r[14].int,
           let a = Self.area(l, t, rt, b), a.isValid {
            area = a
        }
        let frame = r[6].int ?? 0
        return KeyImageRecord(id: r[0].int ?? 0, reader: r[1].string ?? "", at: r[2].string ?? "", studyUID: r[3].string ?? "",
                              seriesUID: r[4].string ?? "", sopUID: r[5].string ?? "",
                              frame: frame > 0 && frame <= Int64(Int32.max) ? Int(frame) : nil, note: r[7].string ?? "",
                              windowCenter: r[8].double, windowWidth: r[9].double, inverted: r[10].int == 1, displayedArea: area)
    }

    /// An area from stored integers, nil when one is outside the range a DICOM SL holds.
    private static func area(_ l: Int64, _ t: Int64, _ r: Int64, _ b: Int64) -> DisplayedArea? {
        let range = Int64(Int32.min) ... Int64(Int32.max)
        guard [l, t, r, b].allSatisfy(range.contains) else { return nil }
        return DisplayedArea(left: Int(l), top: Int(t), right: Int(r), bottom: Int(b))
    }

    private static func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
}
