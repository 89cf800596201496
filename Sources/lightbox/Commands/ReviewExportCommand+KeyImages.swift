import ArgumentParser
import DICOM
import Foundation
import Imaging
import Review
import Workstation

extension ReviewCommand.Export {
    /// Writes the key object selection (--kos) and the presentation state (--gsps) of `reader`'s
    /// reading. Both are written together when both are asked for, so the KOS names the GSPS each key
    /// image is to be shown with.
    func exportKeyImages(_ target: StudyIndex.Study, store: ReviewStore, reader: String, findings: [ReviewedFinding]) throws {
        let uid = target.studyInstanceUID
        let keyImages = try store.keyImages(studyUID: uid, reader: reader)
        let instances = target.series.flatMap(\.instances).filter { Self.isImage($0.sopClassUID) }
        guard let first = instances.first else { Output.error("\(study): the study has no images"); throw ExitCode(2) }
        let wanted = Set(keyImages.map(\.sopUID) + findings.map(\.sopUID))
        var headers: [String: DataSet] = [:]
        let source: DataSet
        do {
            for inst in instances where wanted.contains(inst.sopInstanceUID) {
                headers[inst.sopInstanceUID] = try DICOMFile.read(URL(fileURLWithPath: inst.path), options: .init(stopBeforePixelData: true)).dataSet
            }
            source = try DICOMFile.read(URL(fileURLWithPath: first.path), options: .init(stopBeforePixelData: true)).dataSet
        } catch {
            Output.error("\(error)")
            throw ExitCode(2)
        }
        let built = KeyImagePresentationBuilder(keyImages: keyImages, findings: findings, headers: headers)
        for w in built.warnings { Output.error("warning: \(w)") }

        var gspsDoc: PresentationStateDocument?
        if let gsps {
            var doc = PresentationStateDocument(images: built.presentations, reader: reader, source: source)
            doc.deidentified = deidentify
            doc.inverse = built.inverse
            doc.rescale = built.rescale
            doc.laterality = built.laterality
            guard !doc.images.isEmpty else {
                Output.error("no key images or kept findings of \(reader) in study \(uid) to write a presentation state for")
                throw ExitCode(2)
            }
            try write(doc.dataSet, to: gsps, what: "presentation state")
            let images = doc.images
            Output.line("Wrote \(gsps): grayscale softcopy presentation state, \(images.count) image\(images.count == 1 ? "" : "s"), "
                        + "\(images.map(\.graphics.count).reduce(0, +)) graphic\(images.map(\.graphics.count).reduce(0, +) == 1 ? "" : "s")"
                        + ", \(images.filter { $0.window != nil }.count) windowed")
            gspsDoc = doc
        }
        if let kos {
            var doc = KeyObjectSelectionDocument(images: built.keyReferences, reader: reader, source: source)
            doc.deidentified = deidentify
            doc.note = built.note
            doc.presentationState = gspsDoc?.reference
            guard !doc.images.isEmpty else {
                Output.error("no key images of \(reader) in study \(uid)")
                throw ExitCode(2)
            }
            try write(doc.dataSet, to: kos, what: "key object selection")
            Output.line("Wrote \(kos): key object selection, \(doc.images.count) key image\(doc.images.count == 1 ? "" : "s")"
                        + (gspsDoc == nil ? "" : ", each shown with the presentation state"))
        }
    }

    /// Image storage classes: not SR, KOS or presentation states (which a study folder may hold beside its images).
    static func isImage(_ sopClass: String) -> Bool { StudyReport.isImage(sopClass) }

    /// Encodes and writes a document: a value it cannot carry exits 2 and writes nothing; an I/O error exits 1.
    private func write(_ dataSet: () throws -> WritableDataSet, to path: String, what: String) throws {
        do { try Part10Writer.write(try dataSet(), to: URL(fileURLWithPath: path)) } catch let error as DICOMWriteError {
            Output.error("cannot write the \(what): \(error)")
            if case .io = error { throw ExitCode(1) }
            throw ExitCode(2)
        } catch {
            Output.error("cannot write the \(what): \(error)")
            throw ExitCode(2)
        }
    }
}
