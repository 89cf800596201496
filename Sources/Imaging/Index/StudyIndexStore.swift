import Foundation
import SystemCalls

/// Where scans keep the headers they read: a SQLite database, one row per file, valid while the
/// file's size, mtime (ns) and inode are unchanged (`FileStamp`). A rescan stats every file and
/// reads only new or changed ones; rows of files gone from a scanned folder are deleted.
///
/// **One database for all roots** (`$XDG_CACHE_HOME/lightbox/index.sqlite`, default
/// `~/.cache/lightbox/index.sqlite`), keyed by absolute path: scans of overlapping roots
/// (`SampleStudies` and `SampleStudies/05_…`), or of one root from different working folders,
/// share rows instead of each keeping a copy; there is one file to protect (0600 in a 0700 folder)
/// and to delete; and a per-folder range query (the key is the primary key of a WITHOUT ROWID
/// table) reads only the scanned subtree, so a large archive elsewhere in the file costs a small
/// scan nothing. A per-root-set file would make the store's size grow with every new combination.
///
/// **Two processes at once**: WAL mode (readers never wait for a writer), a busy timeout, and every
/// write in one `BEGIN IMMEDIATE` transaction. A scan that cannot get the write lock in time still
/// returns its full, correct index; it only skips saving.
///
/// **Self-healing**: a file that is not a database, a corrupt or truncated one, or one with another
/// schema version (`PRAGMA user_version`) is deleted and started again, with one line on stderr
/// (the store's path and SQLite's reason, never a patient's data). The store is a cache: losing it
/// costs one cold scan.
public struct StudyIndexStore: Sendable {
    /// The database file (its -wal and -shm sit beside it).
    public let url: URL
    /// Where the one "rebuilt" line goes; stderr unless a test listens.
    let report: @Sendable (String) -> Void

    /// Rows as written by this schema; any other version is rebuilt, not migrated (a cache).
    static let schemaVersion: Int64 = 5  // 2: frame_of_reference_uid; 3: .nii files, cached as failures before the NIfTI reader; 4: issuer_of_patient_id (priors), patient_id index; 5: series_uid index (paged scans)

    public init(url: URL) {
        self.init(url: url, report: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    }

    init(url: URL, report: @escaping @Sendable (String) -> Void) {
        self.url = url
        self.report = report
    }

    /// `$XDG_CACHE_HOME/lightbox/index.sqlite`, else `~/.cache/lightbox/index.sqlite`.
    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> StudyIndexStore {
        let base = env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: env["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache")
        return StudyIndexStore(url: base.appendingPathComponent("lightbox/index.sqlite"))
    }

    /// A connection for one scan, or nil when the store cannot be used at all (then the scan reads
    /// every file and saves nothing). Rebuilds an unusable file once.
    func open() -> StudyIndexDatabase? {
        guard prepareFolder() else { return nil }
        do {
            return try StudyIndexDatabase(path: url.path, onCreate: removeLegacyCaches)
        } catch let problem as StudyIndexDatabase.Unusable {
            return rebuild(because: problem.description)
        } catch let error as SQLiteError where error.isCorruption {
            return rebuild(because: error.description)
        } catch {
            return nil
        }
    }

    /// The studies of this Patient ID among every folder this store has indexed (files changed or
    /// gone since are left out); `PriorStudyQuery` picks the priors among them. Empty when the
    /// store cannot be opened.
    public func studies(patientID: String) -> [StudyIndex.Study] {
        guard !patientID.isEmpty, let database = open() else { return [] }
        return StudyIndex.group((try? database.headers(patientID: patientID)) ?? [])
    }

    /// Deletes the database (and its -wal and -shm), says so on stderr, and opens a fresh one.
    func rebuild(because why: String) -> StudyIndexDatabase? {
        discard(because: why)
        return try? StudyIndexDatabase(path: url.path, onCreate: removeLegacyCaches)
    }

    func discard(because why: String) {
        for suffix in ["", "-wal", "-shm"] { try? SystemCall.unlink(url.path + suffix) }
        report("lightbox: study index \(url.path) \(why); starting a new one (the next scan reads every file)")
    }

    /// The folder holds headers with patients' names: created 0700, and tightened to 0700 when it
    /// is ours and looser (an older lightbox created it with the umask's mode).
    private func prepareFolder() -> Bool {
        let dir = url.deletingLastPathComponent().path
        guard let st = try? SystemCall.status(dir) else {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch { return false }
            try? SystemCall.chmod(dir, mode: 0o700)  // the umask may have narrowed what createDirectory asked for; never widened
            return true
        }
        if st.owner == SystemCall.effectiveUserID(), st.mode & 0o077 != 0 { try? SystemCall.chmod(dir, mode: st.mode & 0o700 | 0o700) }
        return true
    }

    /// The JSON caches of earlier versions (`index-<hash>.json` beside the database) hold the same
    /// headers; once the database exists they are only stale copies of patient data.
    private func removeLegacyCaches() {
        let dir = url.deletingLastPathComponent()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        where name.hasPrefix("index-") && name.hasSuffix(".json") {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
    }
}
