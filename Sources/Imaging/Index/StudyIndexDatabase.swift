import Dispatch
import Foundation
import SystemCalls

/// One scan's connection to the study index store, with its statements prepared once.
final class StudyIndexDatabase {
    /// The file is a database, but not one this version can use (another schema version, or a
    /// foreign database): rebuilt like a corrupt one.
    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    /// What reading a file gave.
    enum Stored {
        case header(InstanceHeader)
        case failure(String)
    }

    private let db: SQLiteDatabase
    /// The database file, for a second connection reading at once.
    private let path: String
    private let selectRange: SQLiteStatement
    private let selectOne: SQLiteStatement

    /// Opens `path`, creating the schema in a new (empty) file; calls `onCreate` after creating it.
    /// Throws `Unusable` or a corruption `SQLiteError` for a file to rebuild.
    init(path: String, onCreate: () -> Void) throws {
        self.path = path
        db = try SQLiteDatabase(path: path)
        // Long enough to wait out another scan's commit; short enough that a scanner stuck behind a
        // long writer gives up saving (its index is still complete) instead of hanging the UI.
        db.setBusyTimeout(milliseconds: 2_000)
        // Version and table count from one snapshot: another process may be creating the schema.
        try db.execute("BEGIN")
        var version: Int64, tables: Int64
        do {
            version = try db.integer("PRAGMA user_version")
            tables = try db.integer("SELECT count(*) FROM sqlite_master")
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
        if version == 0 {
            guard tables == 0 else {
                throw Unusable(description: "is a database without a lightbox schema version")
            }
            try Self.create(db)
            onCreate()
            version = try db.integer("PRAGMA user_version")
        }
        guard version == StudyIndexStore.schemaVersion else {
            throw Unusable(description: "has schema version \(version), this lightbox uses \(StudyIndexStore.schemaVersion)")
        }
        try db.execute("PRAGMA synchronous=NORMAL")
        selectRange = try db.prepare(StudyIndexSchema.selectRange)
        selectOne = try db.prepare(StudyIndexSchema.selectOne)
    }

    /// Creates the table in a new file. Two processes may both find the file empty: the write lock
    /// (IMMEDIATE) makes one create it, and the other, re-reading the version, finds it done.
    private static func create(_ db: SQLiteDatabase) throws {
        // Page size before WAL: it cannot change afterwards. 16 KiB pages hold ~30 header rows.
        try db.execute("PRAGMA page_size=16384")
        try db.execute("PRAGMA journal_mode=WAL")
        try db.execute("BEGIN IMMEDIATE")
        do {
            if try db.integer("PRAGMA user_version") == 0 {
                try db.execute(StudyIndexSchema.create)
                try db.execute("PRAGMA user_version=\(StudyIndexStore.schemaVersion)")
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }

    /// Merges the plan's files (in key order) with the stored rows: for each file whose row has the
    /// same stamp, sets `hit[i]` and decodes its header straight into slot `i` of `headers` (or appends its
    /// failure). Returns the keys of stored rows under a scanned folder that no file has any more.
    ///
    /// Folders are read as key ranges in one pass beside the sorted file list, so memory holds one
    /// row at a time, not a dictionary of the store; files outside every scanned folder (file
    /// roots, DICOMDIR references) are looked up one by one. A folder of many files is read as two
    /// halves at once, the second on a second connection (WAL readers do not wait for each other),
    /// so decoding rows uses two cores; without a second connection both halves are read here.
    ///
    /// `paging` (a paged scan): rows under a scanned folder are counted per series in the returned
    /// tally instead of decoded (`SeriesTally`); files outside every scanned folder are still decoded.
    func match(_ plan: ScanPlan, stamps: [FileStamp?], headers: HeaderSlots, hit: inout [Bool],
               failures: inout [StudyIndex.Failure], paging: Bool = false) throws -> (vanished: [String], tally: SeriesTally) {
        let files = plan.files
        var covered = [Bool](repeating: false, count: files.count)
        var pieces: [(lower: String, upper: String)] = []
        for scope in plan.scopes {
            let (lower, upper) = ScanPlan.range(of: scope)
            let (a, b) = (Self.lowerBound(files, lower), Self.lowerBound(files, upper))
            if b - a >= Self.splitAt {
                let mid = files[(a + b) / 2].key
                pieces += [(lower, mid), (mid, upper)]
            } else {
                pieces.append((lower, upper))
            }
        }
        var outcomes = [RangeOutcome](repeating: RangeOutcome(), count: pieces.count)
        let second = pieces.count > 1 ? try? SQLiteDatabase(path: path) : nil
        let secondRange = try? second?.prepare(StudyIndexSchema.selectRange)
        try hit.withUnsafeMutableBufferPointer { hitBuffer in
            try covered.withUnsafeMutableBufferPointer { coveredBuffer in
                nonisolated(unsafe) let (hit, covered) = (hitBuffer, coveredBuffer)
                let context = RangeContext(files: files, stamps: stamps, headers: headers, hit: hit, covered: covered, paging: paging)
                if let secondRange {
                    // Pieces alternate between the two connections; each index is written by one.
                    // One result slot per worker, written by that worker alone.
                    let results = UnsafeMutablePointer<Result<[RangeOutcome], Error>>.allocate(capacity: 2)
                    results.initialize(repeating: .success([]), count: 2)
                    defer { results.deinitialize(count: 2); results.deallocate() }
                    nonisolated(unsafe) let (statements, list, context, slots) = ([selectRange, secondRange], pieces, context, results)
                    DispatchQueue.concurrentPerform(iterations: 2) { w in
                        slots[w] = Result {
                            try stride(from: w, to: list.count, by: 2).map { k in
                                try Self.merge(statements[w], list[k], from: Self.lowerBound(context.files, list[k].lower), context)
                            }
                        }
                    }
                    for w in 0 ..< 2 {
                        for (n, outcome) in try results[w].get().enumerated() { outcomes[w + 2 * n] = outcome }
                    }
                } else {
                    for (k, piece) in pieces.enumerated() {
                        outcomes[k] = try Self.merge(selectRange, piece, from: Self.lowerBound(files, piece.lower), context)
                    }
                }
            }
        }
        var vanished: [String] = []
        var tally = SeriesTally()
        for k in outcomes.indices {
            failures += outcomes[k].failures
            vanished += outcomes[k].vanished
            // The first range's tally is taken whole (merging it into an empty one re-hashed
            // every series); the others are merged into it.
            if k == 0 { swap(&tally, &outcomes[k].tally) } else { tally.merge(outcomes[k].tally) }
        }
        var cache = InstanceHeader.RowCache()
        for (i, file) in files.enumerated() where !covered[i] {
            defer { selectOne.reset() }
            try selectOne.bind(1, file.key)
            if try selectOne.step(), Self.matches(selectOne, stamps[i]) {
                hit[i] = true
                if let failure = Self.failure(selectOne, file) { failures.append(failure) } else {
                    headers.put(i, InstanceHeader(row: selectOne, path: file.path, cache: &cache))
                }
            }
        }
        return (vanished, tally)
    }

    /// A folder as the store keys it (absolute) and as the caller named it (what paths show).
    struct Scope {
        let key: String
        let path: String
    }

    /// The paged tally of every stored header under `scopes`, as the rows were stored: no file is
    /// stat'ed or listed, so a row may name a file changed or gone since (what `StudyIndex.stored`
    /// is for: a worklist to show while the scan that checks it runs). Failure rows are skipped.
    /// Returns the tally and how many rows it counted.
    ///
    /// Each folder is read as two key ranges at once, split at the middle name of its own listing
    /// (one `readdir`: in an archive, the middle patient folder), the second on a second connection
    /// as in `match`: decoding rows is most of the time, and it then uses two cores.
    func storedTally(_ scopes: [Scope]) throws -> (tally: SeriesTally, rows: Int) {
        var pieces: [(scope: Scope, lower: String, upper: String)] = []
        for scope in scopes {
            let (lower, upper) = ScanPlan.range(of: scope.key)
            var names = ((try? SystemCall.directoryEntries(scope.key)) ?? []).map(\.name).filter { !$0.hasPrefix(".") }
            guard names.count >= 2 else { pieces.append((scope, lower, upper)); continue }
            names.sort { ByteOrder.less($0, $1) }
            let mid = lower + names[names.count / 2]
            pieces += [(scope, lower, mid), (scope, mid, upper)]
        }
        let second = pieces.count > 1 ? try? SQLiteDatabase(path: path) : nil
        let both = [selectRange] + ((try? second?.prepare(StudyIndexSchema.selectRange)).flatMap { $0 }.map { [$0] } ?? [])
        let workers = both.count
        let results = UnsafeMutablePointer<Result<(SeriesTally, Int), Error>>.allocate(capacity: workers)
        results.initialize(repeating: .success((SeriesTally(), 0)), count: workers)
        defer { results.deinitialize(count: workers); results.deallocate() }
        // One result slot per worker, written by that worker alone; pieces alternate between them.
        nonisolated(unsafe) let (slots, statements) = (results, both)
        let list = pieces
        let run: @Sendable (Int) -> Void = { w in
            slots[w] = Result {
                var tally = SeriesTally(), rows = 0
                for k in stride(from: w, to: list.count, by: workers) {
                    rows += try Self.tally(statements[w], list[k].scope, list[k].lower, list[k].upper, into: &tally)
                }
                return (tally, rows)
            }
        }
        if workers > 1 { DispatchQueue.concurrentPerform(iterations: workers, execute: run) } else { run(0) }
        var (tally, rows) = try results[0].get()
        for w in 1 ..< workers {
            let (other, n) = try results[w].get()
            tally.merge(other)
            rows += n
        }
        return (tally, rows)
    }

    /// Tallies the header rows in [lower, upper) of `scope`, naming each file as the caller named the folder.
    private static func tally(_ s: SQLiteStatement, _ scope: Scope, _ lower: String, _ upper: String,
                              into tally: inout SeriesTally) throws -> Int {
        var cache = InstanceHeader.RowCache()
        var rows = 0
        // The walk's names: the root's name + "/" + the rest of the key.
        let prefix = scope.path == "/" || scope.path.hasSuffix("/") ? scope.path : scope.path + "/"
        let skip = ScanPlan.range(of: scope.key).lower.utf8.count
        defer { s.reset() }
        try s.bind(1, lower)
        try s.bind(2, upper)
        while try s.step() {
            guard s.isNull(4) else { continue }
            let key = s.text(0)
            let path = scope.path == scope.key ? key : prefix + String(Substring(key.utf8.dropFirst(skip)))
            tally.add(s, file: ScanPlan.File(path: path, key: key), cache: &cache)
            rows += 1
        }
        return rows
    }

    /// A folder with at least this many files is read as two halves at once.
    static let splitAt = 4096

    /// What one key range's merge writes (each file index by exactly one range).
    private struct RangeContext {
        let files: [ScanPlan.File]
        let stamps: [FileStamp?]
        let headers: HeaderSlots
        let hit: UnsafeMutableBufferPointer<Bool>
        let covered: UnsafeMutableBufferPointer<Bool>
        let paging: Bool
    }

    private struct RangeOutcome {
        var failures: [StudyIndex.Failure] = []
        var vanished: [String] = []
        var tally = SeriesTally()
    }

    /// The merge join of the files from index `j` on with the rows in [lower, upper).
    private static func merge(_ s: SQLiteStatement, _ range: (lower: String, upper: String), from start: Int,
                              _ x: RangeContext) throws -> RangeOutcome {
        var out = RangeOutcome()
        var cache = InstanceHeader.RowCache()
        let files = x.files
        var j = start
        defer { s.reset() }
        try s.bind(1, range.lower)
        try s.bind(2, range.upper)
        while try s.step() {
            // Files before this row have no row (new files): skip them.
            while j < files.count, s.compareText(0, with: files[j].key) > 0 {
                x.covered[j] = true
                j += 1
            }
            if j < files.count, s.compareText(0, with: files[j].key) == 0 {
                x.covered[j] = true
                if matches(s, x.stamps[j]) {
                    x.hit[j] = true
                    if let failure = failure(s, files[j]) { out.failures.append(failure) } else if x.paging {
                        out.tally.add(s, file: files[j], cache: &cache)
                    } else {
                        x.headers.put(j, InstanceHeader(row: s, path: files[j].path, cache: &cache))
                    }
                }
                j += 1
            } else {
                out.vanished.append(s.text(0))
            }
        }
        while j < files.count, ByteOrder.compare(files[j].key, range.upper) < 0 { x.covered[j] = true; j += 1 }
        return out
    }

    /// Whether the row's stamp is the file's (else the file is read again).
    private static func matches(_ s: SQLiteStatement, _ stamp: FileStamp?) -> Bool {
        guard let stamp else { return false }
        return stamp == FileStamp(size: s.int64(1), modifiedNanoseconds: s.int64(2), inode: s.int64(3))
    }

    /// The row's failure, if it is one. Reasons are stored naming the key; shown naming the file as
    /// this caller named it.
    private static func failure(_ s: SQLiteStatement, _ file: ScanPlan.File) -> StudyIndex.Failure? {
        guard let reason = s.optionalText(4) else { return nil }
        return StudyIndex.Failure(path: file.path, reason: file.key == file.path ? reason : reason.replacingOccurrences(of: file.key, with: file.path))
    }

    private static func lowerBound(_ files: [ScanPlan.File], _ key: String) -> Int {
        var lo = 0, hi = files.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ByteOrder.less(files[mid].key, key) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// Every stored header with this Patient ID (any folder ever scanned; `files_patient` index),
    /// whose file still has the stamp it was read with: the candidates for a study's priors.
    func headers(patientID: String) throws -> [InstanceHeader] {
        let select = try db.prepare(StudyIndexSchema.selectPatient)
        try select.bind(1, patientID)
        var out: [InstanceHeader] = []
        var cache = InstanceHeader.RowCache()
        while try select.step() {
            let path = select.text(0)
            guard let stamp = FileStamp(path: path),
                  stamp == FileStamp(size: select.int64(1), modifiedNanoseconds: select.int64(2), inode: select.int64(3)) else { continue }
            out.append(InstanceHeader(row: select, path: path, cache: &cache))
        }
        return out
    }

    /// The stored headers of one series (`files_series` index), with their keys and the stamps they
    /// were read with (whether each file is unchanged is the caller's to check): a paged series read back.
    func headers(seriesUID: String) throws -> [(key: String, stamp: FileStamp, header: InstanceHeader)] {
        let select = try db.prepare(StudyIndexSchema.selectSeries)
        try select.bind(1, seriesUID)
        var out: [(key: String, stamp: FileStamp, header: InstanceHeader)] = []
        var cache = InstanceHeader.RowCache()
        while try select.step() {
            let key = select.text(0)
            out.append((key, FileStamp(size: select.int64(1), modifiedNanoseconds: select.int64(2), inode: select.int64(3)),
                        InstanceHeader(row: select, path: key, cache: &cache)))
        }
        return out
    }

    /// A file read in this scan, to be stored.
    struct Fresh {
        let file: ScanPlan.File
        let stamp: FileStamp
        let header: InstanceHeader?
        let failure: String?
    }

    enum SaveOutcome: Equatable {
        case saved, nothingToSave, busy
    }

    /// Writes the files read in this scan and deletes the vanished rows, in one IMMEDIATE
    /// transaction with each statement prepared once. `.busy`: another process held the write
    /// lock past the busy timeout; nothing was written (the caller's index is complete anyway).
    func save(_ fresh: [Fresh], deleting vanished: [String]) throws -> SaveOutcome {
        guard !fresh.isEmpty || !vanished.isEmpty else { return .nothingToSave }
        do {
            try db.execute("BEGIN IMMEDIATE")
        } catch let error as SQLiteError where error.isBusy {
            return .busy
        }
        do {
            let insert = try db.prepare(StudyIndexSchema.insert)
            for f in fresh {
                try insert.bind(1, f.file.key)
                try insert.bind(2, f.stamp.size)
                try insert.bind(3, f.stamp.modifiedNanoseconds)
                try insert.bind(4, f.stamp.inode)
                if let failure = f.failure {
                    try insert.bind(5, f.file.key == f.file.path ? failure : failure.replacingOccurrences(of: f.file.path, with: f.file.key))
                }
                try f.header?.bind(to: insert)
                try insert.run()
            }
            let delete = try db.prepare(StudyIndexSchema.delete)
            for key in vanished {
                try delete.bind(1, key)
                try delete.run()
            }
            try db.execute("COMMIT")
            return .saved
        } catch {
            try? db.execute("ROLLBACK")
            if let e = error as? SQLiteError, e.isBusy { return .busy }
            throw error
        }
    }
}
