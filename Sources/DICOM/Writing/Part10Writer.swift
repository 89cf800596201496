import Foundation

/// Writes PS3.10 files: a 128-byte zero preamble, `DICM`, the File Meta Information group (explicit VR
/// little endian, with its group length), then the data set in the chosen transfer syntax.
public enum Part10Writer {
    /// Identifies files Lightbox wrote ((0002,0012); a `2.25` UID made once for this purpose).
    public static let implementationClassUID = "2.25.170901540729714267618534268408203448233"
    /// (0002,0013): at most 16 characters.
    public static let implementationVersionName = "LIGHTBOX_0_1"

    /// The file's bytes. The data set must hold SOP Class UID and SOP Instance UID: the meta group copies them.
    public static func data(_ dataSet: WritableDataSet, syntax: TransferSyntax = .explicitVRLittleEndian) throws -> Data {
        guard let sopClass = dataSet.string(.sopClassUID), let sopInstance = dataSet.string(.sopInstanceUID) else {
            throw DICOMWriteError.valueDoesNotFitVR(tag: .sopClassUID, vr: "UI (SOP Class and Instance UID are required)")
        }
        let body = try DataSetEncoder(syntax: syntax).encode(dataSet)
        var meta = WritableDataSet()
        meta.set(Tag(0x0002, 0x0001), .OB, .bytes([0x00, 0x01]))
        meta.set(.mediaStorageSOPClassUID, .UI, sopClass)
        meta.set(.mediaStorageSOPInstanceUID, .UI, sopInstance)
        meta.set(.transferSyntaxUID, .UI, syntax.uid)
        meta.set(Tag(0x0002, 0x0012), .UI, implementationClassUID)
        meta.set(Tag(0x0002, 0x0013), .SH, implementationVersionName)
        let metaBytes = try DataSetEncoder(syntax: .explicitVRLittleEndian).encode(meta)
        var group = WritableDataSet()
        group.set(.fileMetaInformationGroupLength, .UL, .uint32([UInt32(metaBytes.count)]))
        let groupLength = try DataSetEncoder(syntax: .explicitVRLittleEndian).encode(group)
        var out = Data(count: 128)
        out.append(contentsOf: Array("DICM".utf8))
        out.append(contentsOf: groupLength)
        out.append(contentsOf: metaBytes)
        out.append(contentsOf: body)
        return out
    }

    /// Writes the file atomically (a temporary file renamed into place), so a failed write leaves
    /// nothing half-written at `url`.
    public static func write(_ dataSet: WritableDataSet, to url: URL, syntax: TransferSyntax = .explicitVRLittleEndian) throws {
        let bytes = try data(dataSet, syntax: syntax)
        do {
            try bytes.write(to: url, options: .atomic)
        } catch {
            throw DICOMWriteError.io(path: url.path, reason: (error as NSError).localizedDescription)
        }
    }
}
