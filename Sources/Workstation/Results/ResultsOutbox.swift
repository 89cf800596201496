import Foundation

/// Results waiting to go back to an archive (the SR and SEG of a signed study), kept on disk so a
/// failure survives the process: one folder per job under `folder`, holding the Part 10 files and
/// `job.json` (study, archive, attempts, last error, when to try next). A job leaves the outbox only
/// when the archive has stored every file. Retries back off: 10 s, 20 s, 40 s … up to 10 minutes.
///
/// Safe to use from several threads of one process (each call reads and writes whole files; a
/// job is renamed into place complete). Two processes sharing an outbox may both send a job; the
/// archive keeps one copy of each SOP Instance UID.
public struct ResultsOutbox: Sendable {
    public struct Job: Codable, Sendable, Equatable {
        public var id: String
        public var studyUID: String
        public var archive: String
        public var files: [String]
        public var created: Date
        public var attempts: Int = 0
        public var lastError: String?
        public var nextAttempt: Date

        enum CodingKeys: String, CodingKey {
            case id, archive, files, created, attempts
            case studyUID = "study_uid"
            case lastError = "last_error"
            case nextAttempt = "next_attempt"
        }
    }

    public let folder: URL
    public init(folder: URL) { self.folder = folder }

    /// `$XDG_DATA_HOME/lightbox/outbox` (default `~/.local/share/lightbox/outbox`).
    public static func standard(environment env: [String: String] = ProcessInfo.processInfo.environment) -> ResultsOutbox {
        let data = env["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".local/share")
        return ResultsOutbox(folder: URL(fileURLWithPath: data).appendingPathComponent("lightbox/outbox"))
    }

    /// Queues `files` (name → Part 10 bytes) for `archive`; the job is due at once.
    @discardableResult
    public func enqueue(studyUID: String, archive: String, files: [(name: String, data: Data)], now: Date = Date()) throws -> Job {
        let id = "\(Int(now.timeIntervalSince1970 * 1000))-\(UUID().uuidString.prefix(8))"
        let job = Job(id: id, studyUID: studyUID, archive: archive, files: files.map(\.name), created: now, nextAttempt: now)
        let fm = FileManager.default
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        let staging = folder.appendingPathComponent(".\(id)")
        try fm.createDirectory(at: staging, withIntermediateDirectories: true)
        for f in files { try f.data.write(to: staging.appendingPathComponent(f.name)) }
        try Self.encode(job).write(to: staging.appendingPathComponent("job.json"))
        try fm.moveItem(at: staging, to: folder.appendingPathComponent(id))
        return job
    }

    /// Every queued job, oldest first (unreadable folders are skipped).
    public func jobs() -> [Job] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name).appendingPathComponent("job.json")))
                .flatMap { try? Self.decoder.decode(Job.self, from: $0) }
        }
    }

    public func files(of job: Job) -> [URL] { job.files.map { folder.appendingPathComponent(job.id).appendingPathComponent($0) } }

    /// Tries every job due at `now` with `send` (archive name, files, study); a job sent is removed,
    /// a failed one keeps its files and is retried later. Returns the jobs still queued.
    @discardableResult
    public func attemptDue(now: Date = Date(), force: Bool = false,
                           send: (_ archive: String, _ files: [URL], _ studyUID: String) throws -> Void) -> [Job] {
        for var job in jobs() where force || job.nextAttempt <= now {
            do {
                try send(job.archive, files(of: job), job.studyUID)
                try? FileManager.default.removeItem(at: folder.appendingPathComponent(job.id))
            } catch {
                job.attempts += 1
                job.lastError = String(String(describing: error).prefix(300))
                job.nextAttempt = now.addingTimeInterval(Self.backoff(attempts: job.attempts))
                try? Self.encode(job).write(to: folder.appendingPathComponent(job.id).appendingPathComponent("job.json"), options: .atomic)
            }
        }
        return jobs()
    }

    /// Seconds before the next try after `attempts` failures: 10 · 2^(n−1), at most 600.
    public static func backoff(attempts: Int) -> TimeInterval { min(600, 10 * pow(2, Double(max(0, attempts - 1)))) }

    /// Per study, what the worklist shows: "results queued (N tries: last error)".
    public static func summary(_ jobs: [Job]) -> [String: String] {
        var out: [String: String] = [:]
        for j in jobs {
            out[j.studyUID] = j.attempts == 0 ? "results queued for \(j.archive)"
                : "results not sent to \(j.archive) (\(j.attempts) tr\(j.attempts == 1 ? "y" : "ies"))"
        }
        return out
    }

    static let decoder: JSONDecoder = { let d = JSONDecoder(); d.dateDecodingStrategy = .iso8601; return d }()
    static func encode(_ job: Job) throws -> Data {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(job)
    }
}
