import DICOM
import Foundation
import XCTest
@testable import DICOMNetwork

/// The SCP end to end over a real loopback socket, driven by a minimal SCU built from our PDU encoder:
/// association, C-ECHO, C-STORE in two fragments, release — and the events the workstation would see.
final class StorageSCPLoopbackTests: XCTestCase {
    private final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [SCPEvent] = []
        func add(_ e: SCPEvent) { lock.lock(); list.append(e); lock.unlock() }
        var all: [SCPEvent] { lock.lock(); defer { lock.unlock() }; return list }
    }

    private struct LoopbackError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private func connectTo(_ port: Int) throws -> Int32 {
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        guard fd >= 0 else { throw LoopbackError("socket() failed: errno \(errno)") }
        let rc = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        // The SCP is ours and said it listens on this port: a refused connection is its failure,
        // not a missing tool, so the test fails rather than skips.
        guard rc == 0 else {
            let code = errno
            close(fd)
            throw LoopbackError("cannot connect to the SCP under test on 127.0.0.1:\(port): errno \(code)")
        }
        var tv = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    private func send(_ fd: Int32, _ pdu: PDU) {
        let bytes = PDUEncoding.encode(pdu)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private func receive(_ fd: Int32) throws -> PDU {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            if let (pdu, _) = try PDUDecoding.decodeFrame(bytes, maximumLength: 1 << 20) { return pdu }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw PDUError.truncated("connection closed") }
            bytes += chunk[0 ..< n]
        }
    }

    private func command(_ pdu: PDU) throws -> CommandSet {
        guard case .data(let pdvs) = pdu, let pdv = pdvs.first, pdv.isCommand, pdv.isLast else {
            throw PDUError.malformed("expected one command PDV, got \(pdu.kindName)")
        }
        return try CommandSet.decode(pdv.data)
    }

    /// Explicit VR little endian: SOP class, SOP instance, study UID.
    private func dataSet(sopClass: String, sop: String, study: String) -> [UInt8] {
        var b: [UInt8] = []
        func ui(_ g: UInt16, _ e: UInt16, _ s: String) {
            var v = Array(s.utf8); if v.count % 2 == 1 { v.append(0) }
            b.appendLE16(g); b.appendLE16(e); b += Array("UI".utf8); b.appendLE16(UInt16(v.count)); b += v
        }
        ui(0x0008, 0x0016, sopClass)
        ui(0x0008, 0x0018, sop)
        ui(0x0020, 0x000D, study)
        return b
    }

    func testEchoStoreAndReleaseOverLoopback() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-scp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let events = Events()
        let scp = StorageSCP(policy: AssociationPolicy(aeTitle: "LBX", allowedCallingAETitles: ["UNIT"]),
                             store: try InstanceStore(root: root)) { events.add($0) }
        let port = try scp.start(host: "127.0.0.1", port: 0)
        defer { scp.stop() }
        let fd = try connectTo(port)
        defer { close(fd) }

        let ct = "1.2.840.10008.5.1.4.1.1.2", explicitLE = "1.2.840.10008.1.2.1"
        send(fd, .associateRequest(AssociateRequest(
            calledAETitle: "LBX", callingAETitle: "UNIT",
            presentationContexts: [.init(id: 1, abstractSyntax: StorageSOPClasses.verification, transferSyntaxes: ["1.2.840.10008.1.2"]),
                                   .init(id: 3, abstractSyntax: ct, transferSyntaxes: [explicitLE]),
                                   .init(id: 5, abstractSyntax: "1.2.840.10008.5.1.4.1.1.9.1.1", transferSyntaxes: [explicitLE])],
            userInformation: .init(maximumLength: 16384, implementationClassUID: "1.2.3"))))
        guard case .associateAccept(let ac) = try receive(fd) else { return XCTFail("not accepted") }
        XCTAssertEqual(ac.presentationContexts.map(\.result), [.acceptance, .acceptance, .abstractSyntaxNotSupported])

        var echo = CommandSet()
        echo.set(.affectedSOPClassUID, string: StorageSOPClasses.verification)
        echo.set(.commandField, uint16: CommandField.cEchoRQ.rawValue)
        echo.set(.messageID, uint16: 1)
        echo.set(.commandDataSetType, uint16: CommandSet.noDataSet)
        send(fd, .data([PDV(contextID: 1, isCommand: true, isLast: true, data: echo.encode())]))
        let echoRSP = try command(try receive(fd))
        XCTAssertEqual(echoRSP.uint16(.commandField), CommandField.cEchoRSP.rawValue)
        XCTAssertEqual(echoRSP.uint16(.status), DIMSEStatus.success)

        let sop = "1.2.826.0.1.3680043.8.498.4242", study = "1.2.826.0.1.3680043.8.498.1"
        var store = CommandSet()
        store.set(.affectedSOPClassUID, string: ct)
        store.set(.commandField, uint16: CommandField.cStoreRQ.rawValue)
        store.set(.messageID, uint16: 2)
        store.set(.priority, uint16: 0)
        store.set(.commandDataSetType, uint16: 0)
        store.set(.affectedSOPInstanceUID, string: sop)
        let ds = dataSet(sopClass: ct, sop: sop, study: study)
        send(fd, .data([PDV(contextID: 3, isCommand: true, isLast: true, data: store.encode()),
                        PDV(contextID: 3, isCommand: false, isLast: false, data: Array(ds.prefix(20)))]))
        send(fd, .data([PDV(contextID: 3, isCommand: false, isLast: true, data: Array(ds.dropFirst(20)))]))
        let storeRSP = try command(try receive(fd))
        XCTAssertEqual(storeRSP.uint16(.status), DIMSEStatus.success)
        XCTAssertEqual(storeRSP.string(.affectedSOPInstanceUID), sop)
        let file = root.appendingPathComponent("\(study)/\(sop).dcm")
        let written = try [UInt8](Data(contentsOf: file))
        XCTAssertEqual(Array(written.suffix(ds.count)), ds, "data set stored byte for byte")
        XCTAssertEqual(try DICOMFile.read(file).meta.string(.transferSyntaxUID), explicitLE)

        send(fd, .releaseRequest)
        XCTAssertEqual(try receive(fd), .releaseResponse)
        // The events arrive in order: accepted, echo, stored, released.
        let deadline = Date().addingTimeInterval(5)
        while events.all.count < 4 && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let all = events.all
        XCTAssertEqual(all.count, 4)
        if case .associationAccepted("UNIT", _, 2, 1) = all.first {} else { XCTFail("\(String(describing: all.first))") }
        XCTAssertEqual(all.dropFirst().first, .echo(callingAE: "UNIT"))
        if all.count > 2, case .stored(let i) = all[2] { XCTAssertEqual(i.fileURL.path, file.path) } else { XCTFail("no stored event") }
        XCTAssertEqual(all.last, .released(callingAE: "UNIT", stored: 1))
    }
}
