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

        // 1. What the store still knows: a merge join of the sorted files with the stored rows.
        var stored = [StudyIndexDatabase.Stored?](repeating: nil, count: files.count)
        var vanished: [String] = []
        var database = store?.open()
        if let store, database != nil {
            do {
                vanished = try database!.match(plan, stamps: stamps) { stored[$0] = $1 }
            } catch {
                stored = [StudyIndexDatabase.Stored?](repeating: nil, count: files.count)
                vanished = []
                database = nil  // closed before its file is deleted
                if (error as? SQLiteError)?.isCorruption == true { database = store.rebuild(because: "\(error)") }
            }
        }

        // 2. Read the rest, on all cores.
        let misses = stored.indices.filter { stored[$0] == nil }
        let read = ParallelMap.map(misses.count) { k -> StudyIndexDatabase.Stored in
            let path = files[misses[k]].path
            do {
                if NIfTIReader.handles(path: path) {
                    return .header(try InstanceHeader(nifti: NIfTIReader.readHeader(path: path), path: path))
                }
                let file = try DICOMFile.read(URL(fileURLWithPath: path), options: .init(stopBeforePixelData: true))
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

        var headers: [InstanceHeader] = []
        var failures = plan.missing
        headers.reserveCapacity(files.count)
        func take(_ s: StudyIndexDatabase.Stored?, _ i: Int) {
            switch s {
            case .header(let h): headers.append(h)
            case .failure(let r): failures.append(Failure(path: files[i].path, reason: r))
            case nil: break
            }
        }
        for (i, s) in stored.enumerated() { take(s, i) }
        for (k, i) in misses.enumerated() { take(read[k], i) }
        failures.sort { $0.path < $1.path }
        return StudyIndex(studies: group(headers), failures: failures, cachedCount: files.count - misses.count,
                          parsedCount: misses.count)
    }

    /// Groups instances by Study and Series Instance UID; studies newest first, series by number.
    public static func group(_ headers: [InstanceHeader]) -> [Study] {
        var byStudy: [String: [String: [InstanceHeader]]] = [:]
        for h in headers where !h.studyInstanceUID.isEmpty {
            byStudy[h.studyInstanceUID, default: [:]][h.seriesInstanceUID, default: []].append(h)
        }
        var studies = byStudy.map { uid, seriesMap in
            Study(studyInstanceUID: uid, series: seriesMap.map { suid, instances in
                Series(seriesInstanceUID: suid, instances: instances.sorted {
                    ($0.instanceNumber ?? Int.max, $0.path) < ($1.instanceNumber ?? Int.max, $1.path)
                })
            }.sorted { ($0.first.seriesNumber ?? Int.max, $0.seriesInstanceUID) < ($1.first.seriesNumber ?? Int.max, $1.seriesInstanceUID) })
        }
        studies.sort { ($0.first.studyDate, $0.first.studyTime, $0.studyInstanceUID) > ($1.first.studyDate, $1.first.studyTime, $1.studyInstanceUID) }
        return studies
    }
}
