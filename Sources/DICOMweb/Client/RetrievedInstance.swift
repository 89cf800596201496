import DICOM
import Foundation

/// One instance from a WADO-RS retrieval: the Part 10 bytes as the archive sent them, with the UIDs
/// read from its header.
public struct RetrievedInstance: Sendable {
    public var data: Data
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    public var sopInstanceUID: String
    public var sopClassUID: String
    public var transferSyntaxUID: String
    /// 1-based position in the response.
    public var index: Int

    /// Parses the header of a multipart body part. Throws when it is not a DICOM Part 10 file.
    init(part: MultipartPart, index: Int) throws {
        if let type = part.contentType?.lowercased(), !type.hasPrefix("application/dicom") {
            throw DICOMwebError.invalidResponse("part \(index) is \(type.prefix(60)), not application/dicom")
        }
        let d = part.body
        guard d.count >= 132, d[d.startIndex + 128 ..< d.startIndex + 132].elementsEqual("DICM".utf8) else {
            throw DICOMwebError.invalidResponse("part \(index) is not a DICOM Part 10 file (no DICM prefix)")
        }
        let file: DICOMFile
        do {
            file = try DICOMFile.parse(d, source: "part \(index)", options: .init(stopBeforePixelData: true, memoryMapped: false))
        } catch {
            throw DICOMwebError.invalidResponse("part \(index): \(error)")
        }
        data = d
        studyInstanceUID = file.dataSet.string(.studyInstanceUID) ?? ""
        seriesInstanceUID = file.dataSet.string(.seriesInstanceUID) ?? ""
        sopInstanceUID = file.dataSet.string(.sopInstanceUID) ?? file.meta.string(.mediaStorageSOPInstanceUID) ?? ""
        sopClassUID = file.dataSet.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        transferSyntaxUID = file.transferSyntax.uid
        self.index = index
    }

    init(cachedData d: Data, file: DICOMFile, index: Int) {
        data = d
        studyInstanceUID = file.dataSet.string(.studyInstanceUID) ?? ""
        seriesInstanceUID = file.dataSet.string(.seriesInstanceUID) ?? ""
        sopInstanceUID = file.dataSet.string(.sopInstanceUID) ?? ""
        sopClassUID = file.dataSet.string(.sopClassUID) ?? ""
        transferSyntaxUID = file.transferSyntax.uid
        self.index = index
    }
}

/// The archive's answer to a STOW-RS request (PS3.18 §10.5.3).
public struct StoreResult: Sendable, Equatable {
    public var storedSOPInstanceUIDs: [String]
    /// SOP instance UID → failure reason code (0008,1197).
    public var failures: [String: Int]
}
