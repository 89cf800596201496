import DICOM
import Foundation

/// Reads a DICOMDIR (PS3.10 §8, PS3.3 F.3) for the files its directory records reference.
public enum DICOMDIRReader {
    /// Paths of the files referenced by the DICOMDIR at `path`, resolved against its folder.
    /// Referenced File ID components are upper-case on media; a lower-case copy on disk is found too.
    public static func referencedFiles(_ path: String) throws -> [String] {
        let file = try DICOMFile.read(URL(fileURLWithPath: path), options: .init(lenient: true))
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var out: [String] = []
        for record in file.dataSet.sequence(.directoryRecordSequence) {
            let components = record.strings(.referencedFileID).filter { !$0.isEmpty && $0 != "." && $0 != ".." }
            guard !components.isEmpty else { continue }
            let exact = components.reduce(base) { $0.appendingPathComponent($1) }.path
            if FileManager.default.fileExists(atPath: exact) {
                out.append(exact)
            } else {
                let lower = components.reduce(base) { $0.appendingPathComponent($1.lowercased()) }.path
                out.append(FileManager.default.fileExists(atPath: lower) ? lower : exact)
            }
        }
        return out
    }
}
