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
///
/// Priors come too: after the studies asked for, each one's prior on the archive (the newest
/// earlier study of the same patient and modality, found by QIDO-RS) is fetched when the query did
/// not list it, so a follow-up opens beside its prior (issue 19) however old the prior is.
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
                    guard await fetch(study.studyInstanceUID, client: client, into: root, limitBytes: limitBytes) else { return }
                }
                var listed = Set(studies.map(\.studyInstanceUID))
                var priors = 0
                for study in studies {
                    if Task.isCancelled { return }
                    guard let prior = try? await priorOnArchive(of: study, client: client),
                          listed.insert(prior.studyInstanceUID).inserted else { continue }
                    priors += 1
                    guard await fetch(prior.studyInstanceUID, client: client, into: root, limitBytes: limitBytes) else { return }
                }
                if priors > 0 { log("archive: \(priors) prior stud\(priors == 1 ? "y" : "ies") fetched for comparison") }
            } catch {
                log("archive: \(error)")
            }
        }
    }

    /// Fetches one study unless it is complete already; false when the cache is full (stop).
    private static func fetch(_ studyUID: String, client: DICOMwebClient, into root: URL, limitBytes: Int64) async -> Bool {
        // The UID names the study's folder: one that is not a UID ("../..") is not fetched.
        guard let uid = PullCommand.safe(studyUID) else {
            log("archive: skipped a study whose Study Instance UID is not a valid UID")
            return true
        }
        let marker = root.appendingPathComponent(uid).appendingPathComponent(".complete")
        if FileManager.default.fileExists(atPath: marker.path) { return true }
        if size(of: root) >= limitBytes {
            log("archive: the local cache is full (\(limitBytes >> 20) MiB); not fetching more studies (raise --cache-limit)")
            return false
        }
        do {
            let n = try await client.retrieve(study: uid) { instance in
                try PullCommand.write(instance, under: root)
            }
            FileManager.default.createFile(atPath: marker.path, contents: Data("\(n)\n".utf8))
        } catch {
            log("archive: study \(uid) incomplete: \(error)")
        }
        return true
    }

    /// The newest study of `study`'s patient and modality on the archive dated before it (QIDO-RS:
    /// Patient ID, a date range ending on its date, the modality), nil when there is none or the
    /// study lacks a patient ID or date. Reports, key objects and presentation states are not
    /// modalities a study is read against.
    static func priorOnArchive(of study: StudySummary, client: DICOMwebClient) async throws -> StudySummary? {
        let derived: Set<String> = ["SR", "KO", "PR", "SEG"]
        guard !study.patientID.isEmpty, study.studyDate.count == 8,
              let modality = study.modalities.first(where: { !derived.contains($0) }) else { return nil }
        let found = try await client.searchStudies(StudyQuery(patientID: study.patientID, studyDate: "-" + study.studyDate,
                                                              modality: modality, limit: 50))
        return found.filter {
            $0.studyInstanceUID != study.studyInstanceUID && $0.patientID == study.patientID
                && $0.studyDate.count == 8 && $0.studyDate < study.studyDate
        }.max { $0.studyDate < $1.studyDate }
    }

    /// To stderr (the workstation's log once it runs; the terminal before that): sanitised, since
    /// errors can quote what the server sent.
    private static func log(_ line: String) {
        FileHandle.standardError.write(Data((TextSanitizer.sanitize(line) + "\n").utf8))
    }
}
