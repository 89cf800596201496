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
enum ArchiveMirror {
    /// `$XDG_CACHE_HOME/lightbox/dicomweb/<archive>` (or ~/.cache/…).
    static func folder(for archive: String, environment env: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".cache")
        let safe = String(archive.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }.prefix(64))
        return URL(fileURLWithPath: base).appendingPathComponent("lightbox/dicomweb/\(safe.isEmpty ? "archive" : safe)", isDirectory: true)
    }

    /// Starts fetching in the background and returns at once.
    @discardableResult
    static func start(client: DICOMwebClient, query: StudyQuery, into root: URL) -> Task<Void, Never> {
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
