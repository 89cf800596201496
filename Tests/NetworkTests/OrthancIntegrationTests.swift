import DICOM
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest
@testable import DICOMweb

/// The client API the workstation will use (STOW, metadata, frames, streamed series, cache, cancellation)
/// against a real Orthanc started here on a free loopback port. Skipped only when Debian's orthanc and
/// orthanc-dicomweb are not installed (`make apt` installs them).
final class OrthancIntegrationTests: XCTestCase {
    static let orthanc = "/usr/sbin/Orthanc"
    static let plugin = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so"
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SampleStudies")

    private func freePort() -> Int {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private func startOrthanc(in dir: URL) throws -> (Process, URL) {
        let http = freePort(), dicom = freePort()
        let config: [String: Any] = [
            "Name": "LightboxUnit", "StorageDirectory": dir.path, "IndexDirectory": dir.path,
            "HttpPort": http, "DicomPort": dicom, "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
            "Plugins": [Self.plugin], "DicomWeb": ["Enable": true, "Root": "/dicom-web/"], "HttpCompressionEnabled": false,
        ]
        let configURL = dir.appendingPathComponent("orthanc.json")
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.orthanc)
        p.arguments = [configURL.path]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let base = URL(string: "http://127.0.0.1:\(http)")!
        for _ in 0 ..< 200 {
            if (try? Data(contentsOf: base.appendingPathComponent("system"))) != nil { return (p, base) }
            Thread.sleep(forTimeInterval: 0.1)
        }
        kill(p.processIdentifier, SIGKILL)
        XCTFail("Orthanc did not start within 20 s")
        throw XCTSkip("Orthanc did not start")
    }

    func testClientAgainstOrthanc() async throws {
        guard FileManager.default.isExecutableFile(atPath: Self.orthanc), FileManager.default.fileExists(atPath: Self.plugin) else {
            throw XCTSkip("Debian orthanc + orthanc-dicomweb not installed")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-orthanc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let (process, base) = try startOrthanc(in: dir)
        defer {
            // SIGKILL: Orthanc started through Foundation's Process does not act on SIGTERM here, and its
            // storage is a temporary folder anyway.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: dir)
        }
        let cache = try InstanceCache(root: dir.appendingPathComponent("cache"), limitBytes: 64 << 20)
        let client = try DICOMwebClient(archive: ArchiveConfiguration(name: "unit", baseURL: base.appendingPathComponent("dicom-web")),
                                        options: TransportOptions(idleTimeout: 20), cache: cache)

        // STOW a CR (explicit VR LE) and a CT series (JPEG 2000).
        let cr = try FileManager.default.contentsOfDirectory(at: samples.appendingPathComponent("08_CR_DMITRI_2026"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "dcm" }
        let ct = try FileManager.default.contentsOfDirectory(at: samples.appendingPathComponent("05_LDCT_YAMADA_2026"), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "dcm" }.sorted { $0.path < $1.path }
        let stored = try await client.store(files: cr + ct)
        XCTAssertEqual(stored.storedSOPInstanceUIDs.count, cr.count + ct.count)
        XCTAssertEqual(stored.failures, [:])

        // Metadata and frames of the CR: frame 1 equals the file's native pixel data.
        let crFile = try DICOMFile.read(cr[0])
        let crStudy = try XCTUnwrap(crFile.dataSet.string(.studyInstanceUID))
        let crSeries = try XCTUnwrap(crFile.dataSet.string(.seriesInstanceUID))
        let crSOP = try XCTUnwrap(crFile.dataSet.string(.sopInstanceUID))
        let meta = try await client.metadata(study: crStudy)
        XCTAssertEqual(meta.count, cr.count)
        XCTAssertEqual(meta.first?.int(.rows), crFile.dataSet.int(.rows))
        let frames = try await client.frames(study: crStudy, series: crSeries, instance: crSOP, numbers: [1])
        XCTAssertEqual(frames.count, 1)
        XCTAssertEqual(frames.first.map { [UInt8]($0) }, crFile.dataSet.bytes(.pixelData))

        // The CT series as an async stream: every instance, each a complete Part 10 file.
        let ctFile = try DICOMFile.read(ct[0], options: .init(stopBeforePixelData: true))
        let ctStudy = try XCTUnwrap(ctFile.dataSet.string(.studyInstanceUID))
        let ctSeries = try XCTUnwrap(ctFile.dataSet.string(.seriesInstanceUID))
        var seen = Set<String>()
        for try await instance in client.instances(study: ctStudy, series: ctSeries) {
            XCTAssertEqual(instance.seriesInstanceUID, ctSeries)
            seen.insert(instance.sopInstanceUID)
        }
        XCTAssertEqual(seen.count, ct.count)

        // Through the cache: the stream above filled it; retrieveSeries is then served from disk.
        XCTAssertGreaterThan(cache.size, 0)
        final class Counter: @unchecked Sendable { var n = 0 }
        let counter = Counter()
        let n = try await client.retrieveSeries(study: ctStudy, series: ctSeries) { _ in counter.n += 1 }
        XCTAssertEqual(n, ct.count)
        XCTAssertEqual(counter.n, ct.count)

        // Cancellation mid-series stops the transfer with `.cancelled` (or CancellationError).
        final class Handle: @unchecked Sendable { var task: Task<Int, Error>?; var received = 0 }
        let handle = Handle()
        let task = Task { () -> Int in
            try await client.retrieve(study: ctStudy, series: ctSeries) { _ in
                handle.received += 1
                if handle.received == 1 { handle.task?.cancel() }
            }
        }
        handle.task = task
        do {
            _ = try await task.value
            XCTAssertLessThan(handle.received, ct.count, "cancelled transfer finished anyway")
        } catch let e as DICOMwebError {
            XCTAssertEqual(e, .cancelled)
        } catch is CancellationError {
        }

        // Queries with no match answer an empty list, not an error.
        let none = try await client.searchStudies(StudyQuery(patientID: "NO-SUCH-PATIENT"))
        XCTAssertEqual(none, [])
    }
}
