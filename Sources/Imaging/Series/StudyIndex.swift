import DICOM
import Foundation

/// Scans a folder tree for DICOM files (and NIfTI volumes, see `InstanceHeader+NIfTI`) and groups them into studies → series → instances.
///
/// Headers are read with `stopBeforePixelData`, on all cores. Files that do not parse are listed with
/// their reason and never stop the scan. A store (see `StudyIndexStore`) serves the headers of files
/// whose size, mtime and inode are unchanged since the last scan, so a rescan reads only new or
/// changed files. A paged scan (`paging: true`, what a worklist uses) leaves the headers of unchanged
/// files in the store and keeps one per series (`StoredInstances`).
public struct StudyIndex: Sendable {
    public struct Series: Sendable {
        public let seriesInstanceUID: String
        /// The first instance (instance number, then path), kept beside the list rather than
        /// computed from it: worklist sorts, filters and searches read it for every study, and a
        /// computed header is a copy of ~25 reference-counted fields each time (it doubled their
        /// cost at 20,000 studies).
        public private(set) var first: InstanceHeader
        private var storage: Storage

        private enum Storage: Sendable {
            case inMemory([InstanceHeader])
            case stored(StoredInstances)
        }

        /// `instances` holds at least one header.
        public init(seriesInstanceUID: String, instances: [InstanceHeader]) {
            precondition(!instances.isEmpty, "a series has at least one instance")
            self.seriesInstanceUID = seriesInstanceUID
            first = instances[0]
            storage = .inMemory(instances)
        }

        init(stored: StoredInstances) {
            seriesInstanceUID = stored.first.seriesInstanceUID
            first = stored.first
            storage = .stored(stored)
        }

        /// Every instance in order (instance number, then path). A paged series reads them from the
        /// study index store on first use (one indexed query; see `StoredInstances`), so code on
        /// the UI loop that needs only the count or the first asks for those.
        public var instances: [InstanceHeader] {
            get {
                switch storage {
                case .inMemory(let list): list
                case .stored(let stored): stored.instances
                }
            }
            set {
                storage = .inMemory(newValue)
                if let head = newValue.first { first = head }
            }
        }

        /// How many instances, without reading a paged series' headers.
        public var instanceCount: Int {
            switch storage {
            case .inMemory(let list): list.count
            case .stored(let stored): stored.isLoaded ? stored.instances.count : stored.count
            }
        }

        /// Whether the headers after the first are still only in the store.
        public var isPaged: Bool {
            if case .stored(let stored) = storage { return !stored.isLoaded }
            return false
        }
    }
    public struct Study: Sendable {
        public let studyInstanceUID: String
        public var series: [Series]
        public var first: InstanceHeader { series[0].first }
        public var instanceCount: Int { series.reduce(0) { $0 + $1.instanceCount } }
        public var modalities: [String] { Array(Set(series.map(\.first.modality))).sorted() }
    }
    public struct Failure: Sendable, Codable {
        public let path: String
        public let reason: String
    }

    public var studies: [Study]
    public var failures: [Failure]
    /// Files whose header (or failure) came from the store.
    public var cachedCount: Int
    /// Files whose header was read from disk in this scan (new, changed, or no store).
    public var parsedCount: Int = 0
    /// The Study Instance UIDs of the headers read from disk in this scan: studies with files new or
    /// changed since the store last saw them (all of them without a store). Beside the instance
    /// counts, what tells a worklist shown from `stored(_:store:)` which of its studies are stale.
    public var changedStudies: Set<String> = []

    /// Scans `roots` (folders or files). `cache` nil reads every file and stores nothing.
    ///
    /// `paging`: series whose files are all unchanged and under a scanned folder keep only their
    /// count and first header; the rest are read from the store when first asked for. For a
    /// worklist (one line per study) over a large archive: less memory, a faster reopen. Without a
    /// usable store every header is in memory either way.
    public static func scan(_ roots: [String], cache store: StudyIndexStore? = nil, paging: Bool = false) -> StudyIndex {
        let plan = ScanPlan(roots: roots)
        let files = plan.files
        let stamps = ParallelMap.map(files.count) { files[$0].stamp ?? FileStamp(path: files[$0].path) }

        // 1. What the store still knows: a merge join of the sorted files with the stored rows,
        // decoded straight into one slot per file (a header is ~25 reference-counted fields: every
        // copy retains and releases them all, so headers are moved from here on, never copied).
        var headers = HeaderSlots(count: files.count)
        var hit = [Bool](repeating: false, count: files.count)
        var failures = plan.missing
        var vanished: [String] = []
        var tally = SeriesTally()
        var database = store?.open()
        if let store, database != nil {
            do {
                (vanished, tally) = try database!.match(plan, stamps: stamps, headers: headers, hit: &hit, failures: &failures,
                                                        paging: paging)
            } catch {
                headers = HeaderSlots(count: files.count)
                hit = [Bool](repeating: false, count: files.count)
                failures = plan.missing
                vanished = []
                tally = SeriesTally()
                database = nil  // closed before its file is deleted
                if (error as? SQLiteError)?.isCorruption == true { database = store.rebuild(because: "\(error)") }
            }
        }

        // 2. Read the rest, on all cores.
        let misses = hit.indices.filter { !hit[$0] }
        var read = ParallelMap.map(misses.count) { k -> StudyIndexDatabase.Stored in
            do {
                return .header(try readHeader(path: files[misses[k]].path))
            } catch {
                return .failure("\(error)")
            }
        }

        // 3. Save what was read, and forget what vanished, in one transaction.
        if let store, database != nil {
            var fresh: [StudyIndexDatabase.Fresh] = []
            for (k, i) in misses.enumerated() {
                // A file that could not be stat'ed is gone (or unreachable): forget it, store nothing.
                guard let stamp = stamps[i] else { vanished.append(files[i].key); continue }
                switch read[k] {
                case .header(let h): fresh.append(.init(file: files[i], stamp: stamp, header: h, failure: nil))
                case .failure(let r): fresh.append(.init(file: files[i], stamp: stamp, header: nil, failure: r))
                }
            }
            do {
                _ = try database?.save(fresh, deleting: vanished)
            } catch let error as SQLiteError where error.isCorruption {
                database = nil  // closed before its file is deleted
                store.discard(because: "\(error)")
            } catch {}
            database = nil
        }

        // Moved, last first, into their files' slots.
        var changed = Set<String>()
        while let r = read.popLast() {
            let i = misses[read.count]
            switch r {
            case .header(let h):
                changed.insert(h.studyInstanceUID)
                headers.put(i, h)
            case .failure(let reason): failures.append(Failure(path: files[i].path, reason: reason))
            }
        }
        failures.sort { $0.path < $1.path }
        var series = series(moving: headers)
        if let store, !tally.parts.isEmpty {
            series = joining(series, tally, store: store)
        }
        return StudyIndex(studies: studies(of: series), failures: failures, cachedCount: files.count - misses.count,
                          parsedCount: misses.count, changedStudies: changed)
    }

    /// The header of one file (DICOM, or a NIfTI volume), without its pixel data.
    static func readHeader(path: String) throws -> InstanceHeader {
        if NIfTIReader.handles(path: path) {
            return try InstanceHeader(nifti: NIfTIReader.readHeader(path: path), path: path)
        }
        return InstanceHeader(file: try DICOMFile.read(path: path, options: .init(stopBeforePixelData: true)), path: path)
    }

    /// The tally's series beside the ones read in full. A series with files in both (new or
    /// changed files, or files named outside a scanned folder, beside stored ones) is read in
    /// full now, so no series is split between memory and the store.
    static func joining(_ series: [Series], _ tally: SeriesTally, store: StudyIndexStore) -> [Series] {
        var out = series
        var position: [String: Int] = [:]
        for (k, s) in series.enumerated() { position[s.first.studyInstanceUID + "\u{0}" + s.seriesInstanceUID] = k }
        for p in tally.parts.indices {
            // By index: a part holds a header, and each copy of one retains its every field.
            let stored = StoredInstances(first: tally.parts[p].first, count: tally.parts[p].count, folders: tally.parts[p].folders,
                                         store: store)
            guard !position.isEmpty,
                  let k = position[tally.parts[p].first.studyInstanceUID + "\u{0}" + tally.parts[p].first.seriesInstanceUID] else {
                out.append(Series(stored: stored))
                continue
            }
            // Those read in this scan win over the store's copies of the same files.
            let fresh = out[k].instances
            let known = Set(fresh.map(\.path))
            out[k].instances = sortedInstances(fresh + stored.instances.filter { !known.contains($0.path) })
        }
        return out
    }

    /// Instance number, then path (`group`'s order).
    static func sortedInstances(_ instances: [InstanceHeader]) -> [InstanceHeader] {
        instances.sorted { x, y in
            let (nx, ny) = (x.instanceNumber ?? Int.max, y.instanceNumber ?? Int.max)
            return nx != ny ? nx < ny : x.path < y.path
        }
    }

    /// Groups instances by Study and Series Instance UID; studies newest first, series by number.
    public static func group(_ headers: [InstanceHeader]) -> [Study] {
        group(moving: HeaderSlots(copying: headers))
    }

    /// `group`, moving the headers out of `slots` instead of copying them.
    static func group(moving slots: HeaderSlots) -> [Study] {
        studies(of: series(moving: slots))
    }

    /// The series of the headers in `slots`: indices are grouped and sorted, and each header is
    /// moved once into its series' array.
    private static func series(moving slots: HeaderSlots) -> [Series] {
        // Series of one study, and instances of one series, by index. Consecutive headers usually
        // share their UID strings (the store's decoder reuses them), which compare by identity
        // before any hashing.
        var studyOf: [String: Int] = [:]
        var seriesOf: [[String: Int]] = []       // per study: series UID → series number below
        var members: [[Int]] = []                // per series: header indices
        var lastStudy = "", lastSeries = "", lastSlot = -1
        for i in 0 ..< slots.count where slots.isFilled(i) {
            let studyUID = slots[i].studyInstanceUID
            guard !studyUID.isEmpty else { continue }
            let seriesUID = slots[i].seriesInstanceUID
            if lastSlot >= 0, seriesUID == lastSeries, studyUID == lastStudy {
                members[lastSlot].append(i)
                continue
            }
            let study: Int
            if let s = studyOf[studyUID] { study = s } else {
                study = seriesOf.count
                studyOf[studyUID] = study
                seriesOf.append([:])
            }
            let slot: Int
            if let s = seriesOf[study][seriesUID] { slot = s } else {
                slot = members.count
                seriesOf[study][seriesUID] = slot
                members.append([])
            }
            members[slot].append(i)
            (lastStudy, lastSeries, lastSlot) = (studyUID, seriesUID, slot)
        }
        var out: [Series] = []
        out.reserveCapacity(members.count)
        for var indices in members {
            // Instance number, then path, then input order (what a stable sort of the headers gives).
            indices.sort { x, y in
                let (nx, ny) = (slots[x].instanceNumber ?? Int.max, slots[y].instanceNumber ?? Int.max)
                if nx != ny { return nx < ny }
                let (px, py) = (slots[x].path, slots[y].path)
                return px != py ? px < py : x < y
            }
            var instances: [InstanceHeader] = []
            instances.reserveCapacity(indices.count)
            for i in indices { instances.append(slots.take(i)) }
            out.append(Series(seriesInstanceUID: instances[0].seriesInstanceUID, instances: instances))
        }
        return out
    }

    /// Series grouped into studies; studies newest first, series by number.
    ///
    /// Works on indices, with each series' keys read once in place: a series holds its first
    /// header (~25 reference-counted fields), so every copy of a series or of a header retains and
    /// releases them all. Each series is copied once, into its study (at 20,000 studies, copies in
    /// the grouping and the two sorts were most of a warm reopen's last 100 ms).
    static func studies(of all: [Series]) -> [Study] {
        var studyOf: [String: Int] = [:]
        studyOf.reserveCapacity(all.count)
        var members: [[Int]] = []
        var uids: [String] = []
        for i in all.indices {
            let uid = all[i].first.studyInstanceUID
            if let k = studyOf[uid] { members[k].append(i) } else {
                studyOf[uid] = members.count
                members.append([i])
                uids.append(uid)
            }
        }
        let number = all.map { $0.first.seriesNumber ?? Int.max }
        for k in members.indices where members[k].count > 1 {
            members[k].sort { a, b in
                number[a] != number[b] ? number[a] < number[b] : all[a].seriesInstanceUID < all[b].seriesInstanceUID
            }
        }
        // Each study's date and time are its first series' (after the sort above).
        let date = members.map { all[$0[0]].first.studyDate }
        let time = members.map { all[$0[0]].first.studyTime }
        let order = members.indices.sorted { a, b in (date[a], time[a], uids[a]) > (date[b], time[b], uids[b]) }
        return order.map { k in Study(studyInstanceUID: uids[k], series: members[k].map { all[$0] }) }
    }
}
