/// What a paged scan keeps of the stored rows of unchanged files: per series, how many, the first
/// instance (lowest instance number, then path: `StudyIndex.group`'s order) and the folders its
/// files are in. A row's full header is decoded only when it becomes its series' first, which for
/// files named in instance order is once per series and for files named at random about ln(n)
/// times for n files; the other rows cost three columns.
struct SeriesTally {
    struct Part {
        var count: Int
        var first: InstanceHeader
        /// `first.instanceNumber ?? Int.max`, the first key of the order.
        var firstNumber: Int
        var folders: [StoredInstances.Folder]
    }

    private struct SeriesKey: Hashable {
        let study: String
        let series: String
    }

    private(set) var parts: [Part] = []
    private var slotOf: [SeriesKey: Int] = [:]
    /// The part the row before went to: rows in key order are mostly one series after another.
    private var last = -1

    /// Counts the statement's current row (a stored header, not a failure) for `file`.
    mutating func add(_ s: SQLiteStatement, file: ScanPlan.File, cache: inout InstanceHeader.RowCache) {
        let study = s.text(Self.studyColumn, cached: &cache.texts[Int(Self.studyColumn)])
        guard !study.isEmpty else { return }  // `group` lists no header without a Study Instance UID
        let series = s.text(Self.seriesColumn, cached: &cache.texts[Int(Self.seriesColumn)])
        let number = s.int(Self.instanceNumberColumn) ?? Int.max
        let slot: Int
        if last >= 0, parts[last].first.seriesInstanceUID == series, parts[last].first.studyInstanceUID == study {
            slot = last
        } else if let known = slotOf[SeriesKey(study: study, series: series)] {
            slot = known
        } else {
            slotOf[SeriesKey(study: study, series: series)] = parts.count
            last = parts.count
            parts.append(Part(count: 1, first: InstanceHeader(row: s, path: file.path, cache: &cache), firstNumber: number,
                              folders: [StoredInstances.Folder(of: file)]))
            return
        }
        last = slot
        parts[slot].count += 1
        if number < parts[slot].firstNumber || (number == parts[slot].firstNumber && file.path < parts[slot].first.path) {
            parts[slot].first = InstanceHeader(row: s, path: file.path, cache: &cache)
            parts[slot].firstNumber = number
        }
        if !parts[slot].folders[parts[slot].folders.count - 1].holds(file.key) {
            let folder = StoredInstances.Folder(of: file)
            if !parts[slot].folders.contains(folder) { parts[slot].folders.append(folder) }
        }
    }

    /// Adds another range's tally (the two halves of a large folder are tallied on two threads).
    mutating func merge(_ other: SeriesTally) {
        for part in other.parts {
            let key = SeriesKey(study: part.first.studyInstanceUID, series: part.first.seriesInstanceUID)
            guard let slot = slotOf[key] else {
                slotOf[key] = parts.count
                parts.append(part)
                continue
            }
            parts[slot].count += part.count
            if part.firstNumber < parts[slot].firstNumber
                || (part.firstNumber == parts[slot].firstNumber && part.first.path < parts[slot].first.path) {
                parts[slot].first = part.first
                parts[slot].firstNumber = part.firstNumber
            }
            for folder in part.folders where !parts[slot].folders.contains(folder) { parts[slot].folders.append(folder) }
        }
        last = -1
    }

    private static let studyColumn = Int32(StudyIndexSchema.columns.firstIndex(of: "study_uid")!)
    private static let seriesColumn = Int32(StudyIndexSchema.columns.firstIndex(of: "series_uid")!)
    private static let instanceNumberColumn = Int32(StudyIndexSchema.columns.firstIndex(of: "instance_number")!)
}
