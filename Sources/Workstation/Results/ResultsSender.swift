import DICOMweb
import Foundation

/// Sends an outbox job's files to its archive with STOW-RS, blocking the calling thread (the outbox
/// worker's, never the UI loop's). Succeeds only when the archive stored every file.
public struct ResultsSender: Sendable {
    public var archives: [String: ArchiveConfiguration]
    public init(archives: [String: ArchiveConfiguration]) { self.archives = archives }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public func send(archive name: String, files: [URL], studyUID: String) throws {
        guard let archive = archives[name] else { throw Failure(description: "archive \(name) is not configured") }
        let client = try DICOMwebClient(archive: archive)
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.set(.success(try await client.store(files: files, study: studyUID))) } catch { box.set(.failure(error)) }
            done.signal()
        }
        done.wait()
        let result = try box.get()
        if !result.failures.isEmpty {
            throw Failure(description: "\(name) refused \(result.failures.count) of \(files.count): "
                          + result.failures.map { "\($0.key) reason 0x\(String(format: "%04X", $0.value))" }.sorted().joined(separator: ", "))
        }
        guard result.storedSOPInstanceUIDs.count >= files.count else {
            throw Failure(description: "\(name) stored \(result.storedSOPInstanceUIDs.count) of \(files.count)")
        }
    }

    private final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Result<StoreResult, Error>?
        func set(_ v: Result<StoreResult, Error>) { lock.lock(); value = v; lock.unlock() }
        func get() throws -> StoreResult { lock.lock(); defer { lock.unlock() }; return try value!.get() }
    }
}
