import ArgumentParser
import DICOMNetwork
import Dispatch
import Foundation

/// `lightbox listen`: a C-ECHO / C-STORE SCP that stores pushed instances under `--store`, one folder
/// per study, and prints one line per event (UIDs and AE titles only, never patient data).
struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive studies pushed over DICOM (C-STORE SCP, C-ECHO).",
        discussion: """
            Accepts the storage SOP classes Lightbox can display and the transfer syntaxes it decodes; other \
            presentation contexts are rejected individually. Runs until interrupted (SIGINT/SIGTERM).
            """)

    @Option(help: "TCP port to listen on.")
    var port: Int = 11112

    @Option(help: "Address to bind (default: all interfaces).")
    var host: String = "0.0.0.0"

    @Option(name: .customLong("ae-title"), help: "Our AE title (the called AE title peers must use).")
    var aeTitle: String = "LIGHTBOX"

    @Option(help: "Comma-separated calling AE titles allowed to associate (default: any).")
    var allow: String?

    @Option(help: "Folder to store received instances in (one sub-folder per study).")
    var store: String

    @Option(name: .customLong("max-pdu"), help: "Largest PDU accepted, in bytes.")
    var maxPDU: UInt32 = 256 << 10

    func validate() throws {
        guard (0 ... 65535).contains(port) else { throw ValidationError("--port must be 0…65535") }
        guard !aeTitle.isEmpty, aeTitle.utf8.count <= 16, aeTitle.allSatisfy({ $0.isASCII && $0 != "\\" && !$0.isNewline }) else {
            throw ValidationError("--ae-title must be 1–16 ASCII characters")
        }
        guard (4096 ... (16 << 20)).contains(maxPDU) else { throw ValidationError("--max-pdu must be 4096…16777216") }
    }

    func run() throws {
        let allowed = allow.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        let policy = AssociationPolicy(aeTitle: aeTitle, allowedCallingAETitles: allowed, maximumPDULength: maxPDU)
        let instanceStore: InstanceStore
        do {
            instanceStore = try InstanceStore(root: URL(fileURLWithPath: store))
        } catch {
            Output.error("cannot use \(store) as the store: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let scp = StorageSCP(policy: policy, store: instanceStore) { event in Output.line(Self.describe(event)) }
        let bound: Int
        do {
            bound = try scp.start(host: host, port: port)
        } catch {
            Output.error("cannot listen on \(host):\(port): \(error)")
            throw ExitCode(2)
        }
        Output.line("listening on \(host):\(bound) as \(aeTitle), storing into \(store)")
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stopSignal = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { sig -> DispatchSourceSignal in
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { stopSignal.signal() }
            s.resume()
            return s
        }
        stopSignal.wait()
        sources.forEach { $0.cancel() }
        scp.stop()
        Output.line("stopped")
    }

    static func describe(_ event: SCPEvent) -> String {
        switch event {
        case let .associationAccepted(ae, peer, accepted, rejected):
            return "association from \(ae) (\(peer)): \(accepted) context(s) accepted, \(rejected) rejected"
        case let .associationRejected(ae, peer, reason):
            return "association from \(ae) (\(peer)) rejected: \(reason)"
        case let .echo(ae):
            return "echo from \(ae)"
        case let .stored(i):
            return "stored \(i.sopInstanceUID) (study \(i.studyInstanceUID), \(i.dataSetLength) bytes, \(i.transferSyntaxUID)) → \(i.fileURL.path)"
        case let .storeFailed(ae, uid, status, reason):
            return "refused \(uid) from \(ae): status 0x\(String(format: "%04X", status)): \(reason)"
        case let .released(ae, stored):
            return "association from \(ae) released (\(stored) stored)"
        case let .aborted(ae, stored, partial, reason):
            return "association from \(ae) aborted (\(stored) stored\(partial ? ", partial instance discarded" : "")): \(reason)"
        }
    }
}
