import DICOM
import Dispatch
import Foundation

/// Scans a folder tree for DICOM files and groups them into studies → series → instances.
///
/// Headers are read with `stopBeforePixelData`, on all cores. Files that do not parse are listed with
/// their reason and never stop the scan. A cache (see `StudyIndexCache`) skips files whose size and
/// modification time are unchanged since the last scan.
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
    /// Files whose header came from the cache.
    public var cachedCount: Int

    /// Scans `roots` (folders or files). `cache` nil disables caching.
    public static func scan(_ roots: [String], cache: StudyIndexCache? = nil) -> StudyIndex {
        let (paths, missing) = candidateFiles(roots)
        let cached = cache?.load() ?? [:]
        var headers = [InstanceHeader?](repeating: nil, count: paths.count)
        var failures = [Failure?](repeating: nil, count: paths.count)
        var fromCache = [Bool](repeating: false, count: paths.count)
        var stamps = [StudyIndexCache.Stamp?](repeating: nil, count: paths.count)

        let chunk = max(1, paths.count / (ProcessInfo.processInfo.activeProcessorCount * 8))
        let chunks = (paths.count + chunk - 1) / chunk
        headers.withUnsafeMutableBufferPointer { hp in
            failures.withUnsafeMutableBufferPointer { fp in
                fromCache.withUnsafeMutableBufferPointer { cp in
                    stamps.withUnsafeMutableBufferPointer { sp in
                        // Each index is written by exactly one iteration, so the buffers are shared safely.
                        nonisolated(unsafe) let (hp, fp, cp, sp) = (hp, fp, cp, sp)
                        DispatchQueue.concurrentPerform(iterations: chunks) { c in
                            for i in c * chunk ..< min(paths.count, (c + 1) * chunk) {
                                let path = paths[i]
                                let stamp = StudyIndexCache.Stamp(path: path)
                                sp[i] = stamp
                                if let stamp, let entry = cached[path], entry.stamp == stamp {
                                    if let h = entry.header { hp[i] = h } else { fp[i] = Failure(path: path, reason: entry.failure ?? "unreadable") }
                                    cp[i] = true
                                    continue
                                }
                                do {
                                    let file = try DICOMFile.read(URL(fileURLWithPath: path), options: .init(stopBeforePixelData: true))
                                    hp[i] = InstanceHeader(file: file, path: path)
                                } catch {
                                    fp[i] = Failure(path: path, reason: "\(error)")
                                }
                            }
                        }
                    }
                }
            }
        }
        if let cache {
            var entries: [String: StudyIndexCache.Entry] = [:]
            for i in paths.indices {
                guard let stamp = stamps[i] else { continue }
                entries[paths[i]] = .init(stamp: stamp, header: headers[i], failure: failures[i]?.reason)
            }
            cache.save(entries)
        }
        var index = StudyIndex(studies: group(headers.compactMap { $0 }), failures: failures.compactMap { $0 } + missing,
                               cachedCount: fromCache.filter { $0 }.count)
        index.failures.sort { $0.path < $1.path }
        return index
    }

    /// Files under `roots`, skipping hidden files and names that are plainly not DICOM. A DICOMDIR adds
    /// the files its records reference (they may use names the walk would skip); those it references
    /// but that are not there come back as failures.
    static func candidateFiles(_ roots: [String]) -> (paths: [String], missing: [Failure]) {
        var out: [String] = []
        var missing: [Failure] = []
        func addDICOMDIR(_ path: String) {
            do {
                for f in try DICOMDIRReader.referencedFiles(path) {
                    if FileManager.default.fileExists(atPath: f) { out.append(f) } else {
                        missing.append(Failure(path: f, reason: "\(f): referenced by \(path) but missing"))
                    }
                }
            } catch {
                missing.append(Failure(path: path, reason: "\(error)"))
            }
        }
        let fm = FileManager.default
        let skippedExtensions: Set<String> = ["json", "txt", "md", "py", "pyc", "toml", "png", "jpg", "jpeg", "npy", "onnx", "csv", "html", "gz", "zip"]
        for root in roots {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isDir) else { continue }
            if !isDir.boolValue {
                if (root as NSString).lastPathComponent == "DICOMDIR" { addDICOMDIR(root) } else { out.append(root) }
                continue
            }
            DirectoryWalker.regularFiles(under: root) { path, name in
                if name == "DICOMDIR" { addDICOMDIR(path); return }
                let ext = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]).lowercased() } ?? ""
                if !skippedExtensions.contains(ext) { out.append(path) }
            }
        }
        return (Array(Set(out)).sorted(), missing)
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
