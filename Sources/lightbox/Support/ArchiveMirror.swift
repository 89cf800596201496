import DICOMweb
import Foundation
import TerminalGraphics

/// Feeds the workstation from a DICOMweb archive (`lightbox open dicomweb://NAME`): QIDO-RS finds
/// the studies, and WADO-RS fetches them one at a time, newest first, into a local folder that the
/// worklist watches — so the first studies can be read while later ones are still arriving.
///
/// Each instance is written with temp-file + rename (a scan never sees half a file), and a study
/// that finished is marked with a hidden `.complete` file so reopening does not fetch it again.
/// Failures go to stderr, which the workstation sends to its log; files already received stay.
///
/// The folder is a cache with a size limit: `prune` (before the worklist scans it) removes the
/// least recently fetched complete studies until it fits, and fetching stops once it is full.
enum ArchiveMirror {
    /// `$XDG_CACHE_HOME/lightbox/dicomweb/<archive>` (or ~/.cache/…).
    static func folder(for archive: String, environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".cache")
        let safe = String(archive.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(64))
        return URL(fileURLWithPath: base).appendingPathComponent("lightbox/dicomweb/\(safe.isEmpty ? "archive" : safe)", isDirectory: true)
    }

    /// Bytes of regular files under `root`.
    static func size(of root: URL) -> Int64 {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return 0 }
        var total: Int64 = 0
        for case let url as URL in walker {
            let v = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if v?.isRegularFile == true { total += Int64(v?.fileSize ?? 0) }
        }
        return total
    }

    /// Removes complete studies, least recently fetched first, until the folder holds at most
    /// `limitBytes`. Incomplete studies are kept (the next open resumes them). Returns how many went.
    @discardableResult
    static func prune(_ root: URL, limitBytes: Int64) -> Int {
        var total = size(of: root)
        guard total > limitBytes, let studies = try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil) else { return 0 }
        let complete = studies.compactMap { dir -> (URL, Date)? in
            let marker = dir.appendingPathComponent(".complete")
            guard let date = (try? FileManager.default.attributesOfItem(atPath: marker.path))?[.modificationDate] as? Date else { return nil }
            return (dir, date)
        }.sorted { $0.1 < $1.1 }
        var removed = 0
        for (dir, _) in complete where total > limitBytes {
            let bytes = size(of: dir)
            if (try? FileManager.default.removeItem(at: dir)) != nil { total -= bytes; removed += 1 }
        }
        return removed
    }

    /// Starts fetching in the background and returns at once.
    @discardableResult
    static func start(client: DICOMwebClient, query: StudyQuery, into root: URL, limitBytes: Int64) -> Task<Void, Never> {
        Task.detached(priority: .utility) {
            do {
                try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
                let studies = try await client.searchStudies(query).sorted { $0.studyDate > $1.studyDate }
                log("archive: \(studies.count) stud\(studies.count == 1 ? "y" : "ies") found")
                for study in studies {
                    if Task.isCancelled { return }
                    // The UID names the study's folder: one that is not a UID ("../..") is not fetched.
                    guard let uid = PullCommand.safe(study.studyInstanceUID) else {
                        log("archive: skipped a study whose Study Instance UID is not a valid UID")
                        continue
                    }
                    let marker = root.appendingPathComponent(uid).appendingPathComponent(".complete")
                    if FileManager.default.fileExists(atPath: marker.path) { continue }
                    if size(of: root) >= limitBytes {
                        log("archive: the local cache is full (\(limitBytes >> 20) MiB); not fetching more studies (raise --cache-limit)")
                        return
                    }
                    do {
                        let n = try await client.retrieve(study: uid) { instance in
                            try PullCommand.write(instance, under: root)
                        }
                        FileManager.default.createFile(atPath: marker.path, contents: Data("\(n)\n".utf8))
                    } catch {
                        log("archive: study \(uid) incomplete: \(error)")
                    }
                }
            } catch {
                log("archive: \(error)")
            }
        }
    }

    /// To stderr (the workstation's log once it runs; the terminal before that): sanitised, since
    /// errors can quote what the server sent.
    private static func log(_ line: String) {
        FileHandle.standardError.write(Data((TextSanitizer.sanitize(line) + "\n").utf8))
    }
}
