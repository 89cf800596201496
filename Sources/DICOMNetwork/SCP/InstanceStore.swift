import DICOM
import Foundation
import SystemCalls

/// Writes received instances under `root/<StudyInstanceUID>/<SOPInstanceUID>.dcm`.
/// Each instance is streamed into `root/.incoming/` and renamed into place only when complete and
/// readable, so a reader of the study folder never sees a partial file, and an aborted transfer
/// leaves nothing behind but what was finished before it.
public final class InstanceStore: @unchecked Sendable {
    public let root: URL
    let incoming: URL

    public init(root: URL) throws {
        self.root = root
        self.incoming = root.appendingPathComponent(".incoming", isDirectory: true)
        try FileManager.default.createDirectory(at: incoming, withIntermediateDirectories: true)
    }

    /// One instance being received. Not thread-safe: the association drives it from one serial queue.
    /// `@unchecked Sendable`: the association handler creates it on the event loop and from then
    /// on appends, finishes or discards it only on its serial I/O queue (`AssociationHandler.io`),
    /// which is what guards `dataSetLength`, `closed` and `failure`.
    public final class Incoming: @unchecked Sendable {
        let store: InstanceStore
        let tempURL: URL
        let handle: FileHandle
        let sopClassUID: String
        let sopInstanceUID: String
        let transferSyntaxUID: String
        let callingAE: String
        private(set) var dataSetLength = 0
        private var closed = false
        /// The first write failure; later appends are skipped and `finish()` reports it.
        private var failure: StoreError?

        init(store: InstanceStore, sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String, callingAE: String) throws {
            self.store = store
            self.sopClassUID = sopClassUID
            self.sopInstanceUID = sopInstanceUID
            self.transferSyntaxUID = transferSyntaxUID
            self.callingAE = callingAE
            tempURL = store.incoming.appendingPathComponent(UUID().uuidString + ".part")
            guard FileManager.default.createFile(atPath: tempURL.path, contents: nil) else {
                throw StoreError(status: DIMSEStatus.outOfResources, reason: "cannot create \(tempURL.lastPathComponent) in \(store.incoming.path)")
            }
            handle = try FileHandle(forWritingTo: tempURL)
            try write(Part10Header.bytes(sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID,
                                         transferSyntaxUID: transferSyntaxUID, sourceAETitle: callingAE), counts: false)
        }

        /// Appends data-set bytes. A failure is remembered (and later bytes dropped) so the caller can keep
        /// draining the association and answer the C-STORE with the failure status at the end.
        public func append(_ bytes: [UInt8]) {
            guard failure == nil else { return }
            do { try write(bytes, counts: true) } catch let e as StoreError { failure = e } catch {
                failure = StoreError(status: DIMSEStatus.outOfResources, reason: "\(error)")
            }
        }

        private func write(_ bytes: [UInt8], counts: Bool) throws {
            do { try handle.write(contentsOf: bytes) } catch {
                throw StoreError(status: DIMSEStatus.outOfResources, reason: "write failed: \(error.localizedDescription)")
            }
            if counts { dataSetLength += bytes.count }
        }

        /// Checks the data set and moves the file into its study folder.
        public func finish() throws -> ReceivedInstance {
            closeHandle()
            do {
                if let failure { throw failure }
                let file: DICOMFile
                do {
                    file = try DICOMFile.read(tempURL, options: .init(stopBeforePixelData: true, memoryMapped: false))
                } catch {
                    throw StoreError(status: DIMSEStatus.cannotUnderstand, reason: "data set unreadable: \(error)")
                }
                let ds = file.dataSet
                if let cls = ds.string(.sopClassUID), cls != sopClassUID {
                    throw StoreError(status: DIMSEStatus.dataSetDoesNotMatchSOPClass,
                                     reason: "data set SOP class \(cls) is not the command's \(sopClassUID)")
                }
                let study = ds.string(.studyInstanceUID) ?? ""
                let folder = store.root.appendingPathComponent(InstanceStore.safeName(study, fallback: "unknown-study"), isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let dest = folder.appendingPathComponent(InstanceStore.safeName(sopInstanceUID, fallback: UUID().uuidString) + ".dcm")
                // rename(2) replaces an existing file atomically (a re-sent instance overwrites the old copy).
                do { try SystemCall.rename(tempURL.path, to: dest.path) } catch {
                    throw StoreError(status: DIMSEStatus.outOfResources, reason: "cannot move into \(folder.path): errno \(error.code)")
                }
                return ReceivedInstance(fileURL: dest, studyInstanceUID: study,
                                        seriesInstanceUID: ds.string(.seriesInstanceUID) ?? "",
                                        sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID,
                                        transferSyntaxUID: transferSyntaxUID, callingAETitle: callingAE,
                                        dataSetLength: dataSetLength)
            } catch {
                discard()
                throw error
            }
        }

        /// Drops a partial or refused instance.
        public func discard() {
            closeHandle()
            try? FileManager.default.removeItem(at: tempURL)
        }

        private func closeHandle() {
            guard !closed else { return }
            closed = true
            try? handle.close()
        }
    }

    public func begin(sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String, callingAE: String) throws -> Incoming {
        try Incoming(store: self, sopClassUID: sopClassUID, sopInstanceUID: sopInstanceUID,
                     transferSyntaxUID: transferSyntaxUID, callingAE: callingAE)
    }

    /// A UID used as a file name: digits and dots only, at most 64 characters; anything else gets `fallback`.
    static func safeName(_ uid: String, fallback: String) -> String {
        guard !uid.isEmpty, uid.count <= 64, uid.allSatisfy({ $0 == "." || ("0"..."9").contains($0) }),
              uid != ".", uid != ".." else { return fallback }
        return uid
    }
}

/// A storage failure and the C-STORE status it maps to.
public struct StoreError: Error, CustomStringConvertible {
    public var status: UInt16
    public var reason: String
    public var description: String { reason }
}
