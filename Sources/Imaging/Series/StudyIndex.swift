import DICOM
import Foundation

/// Scans a folder tree for DICOM files (and NIfTI volumes, see `InstanceHeader+NIfTI`) and groups them into studies → series → instances.
///
/// Headers are read with `stopBeforePixelData`, on all cores. Files that do not parse are listed with
/// their reason and never stop the scan. A store (see `StudyIndexStore`) serves the headers of files
/// whose size, mtime and inode are unchanged since the last scan, so a rescan reads only new or
/// changed files.
public struct StudyIndex: Sendable {
    public struct Series: Sendable {
        public let seriesInstanceUID: String
        public var instances: [InstanceHeader]
        public var first: InstanceHeader { instances[0] }
    }
    public struct Study: Sendable {
        public let studyInstanceUID: String
        public var series: [Series]
        public var first: InstanceHeader { series[0].first }
        public var instanceCount: Int { series.reduce(0) { $0 + $1.instances.count } }
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

    /// Scans `roots` (folders or files). `cache` nil reads every file and stores nothing.
    public static func scan(_ roots: [String], cache store: StudyIndexStore? = nil) -> StudyIndex {
        let plan = ScanPlan(roots: roots)
        let files = plan.files
        let stamps = ParallelMap.map(files.count) { FileStamp(path: files[$0].path) }

        // 1. What the store still knows: a merge join of the sorted files with the stored rows,
        // decoded straight into one slot per file (a header is ~25 reference-counted fields: every
        // copy retains and releases them all, so headers are moved from here on, never copied).
        var headers = HeaderSlots(count: files.count)
        var hit = [Bool](repeating: false, count: files.count)
        var failures = plan.missing
        var vanished: [String] = []
        var database = store?.open()
        if let store, database != nil {
            do {
                vanished = try database!.match(plan, stamps: stamps, headers: headers, hit: &hit, failures: &failures)
            } catch {
                headers = HeaderSlots(count: files.count)
                hit = [Bool](repeating: false, count: files.count)
                failures = plan.missing
                vanished = []
                database = nil  // closed before its file is deleted
                if (error as? SQLiteError)?.isCorruption == true { database = store.rebuild(because: "\(error)") }
            }
        }

        // 2. Read the rest, on all cores.
        let misses = hit.indices.filter { !hit[$0] }
        var read = ParallelMap.map(misses.count) { k -> StudyIndexDatabase.Stored in
            let path = files[misses[k]].path
            do {
                if NIfTIReader.handles(path: path) {
                    return .header(try InstanceHeader(nifti: NIfTIReader.readHeader(path: path), path: path))
                }
                let file = try DICOMFile.read(path: path, options: .init(stopBeforePixelData: true))
                return .header(InstanceHeader(file: file, path: path))
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
        while let r = read.popLast() {
            let i = misses[read.count]
            switch r {
            case .header(let h): headers.put(i, h)
            case .failure(let reason): failures.append(Failure(path: files[i].path, reason: reason))
            }
        }
        failures.sort { $0.path < $1.path }
        return StudyIndex(studies: group(moving: headers), failures: failures, cachedCount: files.count - misses.count,
                          parsedCount: misses.count)
    }

    /// Groups instances by Study and Series Instance UID; studies newest first, series by number.
    public static func group(_ headers: [InstanceHeader]) -> [Study] {
        group(moving: HeaderSlots(copying: headers))
    }

    /// `group`, moving the headers out of `slots` instead of copying them: indices
    /// are grouped and sorted, and each header is moved once into its series' array.
    static func group(moving slots: HeaderSlots) -> [Study] {
        // Series of one study, and instances of one series, by index. Consecutive headers usually
        // share their UID strings (the store's decoder reuses them), which compare by identity
        // before any hashing.
        var studyOf: [String: Int] = [:]
        var seriesOf: [[String: Int]] = []       // per study: series UID → series number below
        var seriesStudy: [Int] = []              // per series: its study
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
                seriesStudy.append(study)
                members.append([])
            }
            members[slot].append(i)
            (lastStudy, lastSeries, lastSlot) = (studyUID, seriesUID, slot)
        }
        var seriesByStudy = [[Series]](repeating: [], count: seriesOf.count)
        for (slot, var indices) in members.enumerated() {
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
            let uid = instances[0].seriesInstanceUID
            seriesByStudy[seriesStudy[slot]].append(Series(seriesInstanceUID: uid, instances: instances))
        }
        var studies = seriesByStudy.map { series in
            Study(studyInstanceUID: series[0].first.studyInstanceUID,
                  series: series.sorted { ($0.first.seriesNumber ?? Int.max, $0.seriesInstanceUID) < ($1.first.seriesNumber ?? Int.max, $1.seriesInstanceUID) })
        }
        studies.sort { ($0.first.studyDate, $0.first.studyTime, $0.studyInstanceUID) > ($1.first.studyDate, $1.first.studyTime, $1.studyInstanceUID) }
        return studies
    }
}
