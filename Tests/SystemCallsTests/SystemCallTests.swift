import Foundation
import XCTest
import SystemCalls

/// The POSIX wrapper: results come back as Swift values and failures as `SystemCallError` with the
/// errno of the call that failed (not whatever a later call left behind).
final class SystemCallTests: XCTestCase {
    var folder: String = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "systemcalls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    func testWriteReadRenameStatUnlink() throws {
        let path = folder + "/a.bin", moved = folder + "/b.bin"
        let payload = (0 ..< 10_000).map { UInt8(truncatingIfNeeded: $0) }
        let out = try SystemCall.createExclusively(path, mode: 0o600)
        try SystemCall.writeAll(out, payload)
        try SystemCall.close(out)

        XCTAssertThrowsError(try SystemCall.createExclusively(path, mode: 0o600)) { error in
            XCTAssertEqual((error as? SystemCallError)?.code, EEXIST)
        }
        try SystemCall.rename(path, to: moved)
        let st = try SystemCall.status(moved)
        XCTAssertEqual(st.size, 10_000)
        XCTAssertTrue(st.isRegularFile)
        XCTAssertFalse(st.isDirectory)
        XCTAssertEqual(st.mode & 0o777, 0o600)

        let fd = try SystemCall.openForReading(moved)
        XCTAssertEqual(try SystemCall.read(fd, exactlyOrToEnd: 100), Array(payload.prefix(100)))
        XCTAssertEqual(try SystemCall.read(fd, exactlyOrToEnd: 20_000), Array(payload.dropFirst(100)), "short only at end of file")
        XCTAssertEqual(try SystemCall.read(fd, upTo: 10), [], "empty at end of file")
        try SystemCall.close(fd)

        try SystemCall.chmod(moved, mode: 0o640)
        XCTAssertEqual(try SystemCall.status(moved).mode & 0o777, 0o640)
        try SystemCall.unlink(moved)
        XCTAssertThrowsError(try SystemCall.status(moved))
    }

    func testFailuresCarryTheirErrno() {
        let missing = folder + "/missing"
        do {
            _ = try SystemCall.openForReading(missing)
            XCTFail("opening a missing file must throw")
        } catch {
            XCTAssertEqual(error.code, ENOENT)
            XCTAssertEqual(error.call, "open")
            XCTAssertEqual(error.subject, missing)
            XCTAssertTrue(error.description.contains("No such file"), error.description)
            XCTAssertFalse(error.isInterruption)
        }
        XCTAssertThrowsError(try SystemCall.rename(missing, to: folder + "/x")) { error in
            XCTAssertEqual((error as? SystemCallError)?.code, ENOENT)
        }
        XCTAssertThrowsError(try SystemCall.close(-1)) { error in
            XCTAssertEqual((error as? SystemCallError)?.code, EBADF)
        }
        XCTAssertThrowsError(try SystemCall.write(-1, [1]))
    }

    func testDirectoryEntries() throws {
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: folder + "/f.dcm", contents: Data([1]))
        let entries = try SystemCall.directoryEntries(folder).sorted { $0.name < $1.name }
        XCTAssertEqual(entries.map(\.name), ["f.dcm", "sub"])
        for entry in entries where entry.kind != .unknown {
            XCTAssertEqual(entry.kind, entry.name == "sub" ? .directory : .regularFile)
        }
        XCTAssertThrowsError(try SystemCall.directoryEntries(folder + "/none"))
    }

    func testDirectoryEntriesWithStatusStatEachFileRelativeToTheFolder() throws {
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: false)
        FileManager.default.createFile(atPath: folder + "/f.dcm", contents: Data([1, 2, 3]))
        FileManager.default.createFile(atPath: folder + "/skip.json", contents: Data([1]))
        try FileManager.default.createSymbolicLink(atPath: folder + "/l.dcm", withDestinationPath: folder + "/f.dcm")
        try FileManager.default.createSymbolicLink(atPath: folder + "/gone.dcm", withDestinationPath: folder + "/none")
        var asked: [String] = []
        let entries = Dictionary(uniqueKeysWithValues: try SystemCall.directoryEntries(folder) { name, _ in
            asked.append(name)
            return !name.hasSuffix(".json")
        }.map { ($0.name, $0) })
        XCTAssertEqual(Set(entries.keys), ["sub", "f.dcm", "skip.json", "l.dcm", "gone.dcm"])
        if entries["sub"]?.kind == .directory {  // a file system that reports no entry types has it stat'ed
            XCTAssertNil(entries["sub"]?.status)
            XCTAssertFalse(asked.contains("sub"))
        }
        XCTAssertEqual(entries["f.dcm"]?.status, try SystemCall.status(folder + "/f.dcm"))
        XCTAssertEqual(entries["f.dcm"]?.status?.size, 3)
        XCTAssertEqual(entries["l.dcm"]?.status, try SystemCall.status(folder + "/f.dcm"))  // followed
        XCTAssertNil(entries["gone.dcm"]?.status)
        XCTAssertNil(entries["skip.json"]?.status)  // not wanted: not stat'ed
        XCTAssertTrue(try SystemCall.directoryEntries(folder).allSatisfy { $0.status == nil })
        XCTAssertThrowsError(try SystemCall.directoryEntries(folder + "/f.dcm") { _, _ in true })  // not a folder
    }

    func testPipeIsNotATerminalAndPollsReadable() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { try? SystemCall.close(fds[0]); try? SystemCall.close(fds[1]) }
        XCTAssertFalse(SystemCall.isTerminal(fds[0]))
        XCTAssertThrowsError(try SystemCall.windowSize(fds[0]), "a pipe has no window size")
        XCTAssertEqual(try SystemCall.waitForInput(fds[0], timeoutMilliseconds: 1), .timedOut)
        XCTAssertEqual(try SystemCall.write(fds[1], Array("hi".utf8)), 2)
        XCTAssertEqual(try SystemCall.waitForInput(fds[0], timeoutMilliseconds: 100), .readable)
        XCTAssertEqual(try SystemCall.read(fds[0], upTo: 10), Array("hi".utf8))
        let t0 = SystemCall.monotonicSeconds()
        XCTAssertGreaterThanOrEqual(SystemCall.monotonicSeconds(), t0)
    }
}
