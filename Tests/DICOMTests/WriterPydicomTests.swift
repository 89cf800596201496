import Foundation
import XCTest
import DICOM

/// The writer against an independent reader: pydicom (from the repository's .venv) parses what we
/// write, explicit and implicit VR, and reports the values back as JSON.
final class WriterPydicomTests: XCTestCase {
    var python: String? {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let p = repo.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    func testPydicomReadsWhatWeWrite() throws {
        guard let python else { throw XCTSkip("no .venv with pydicom (make venv)") }
        var item = WritableDataSet()
        item.set(Tag(0x0040, 0xA160), .UT, "Verkalkung — prüfen")
        item.set(Tag(0x0070, 0x0022), .FL, .float32([10.5, 20.25]))
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.88.34")
        ds.set(.sopInstanceUID, .UI, UIDGenerator.make())
        ds.set(.patientName, .PN, "山田^太郎")
        ds.set(.pixelSpacing, .DS, strings: ["0.5", "0.25"])
        ds.set(.rows, .US, .uint16([512]))
        ds.set(.accessionNumber, .SH, "")
        ds.set(Tag(0x0040, 0xA730), sequence: [item])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for syntax in [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian] {
            let url = dir.appendingPathComponent("w.dcm")
            try Part10Writer.write(ds, to: url, syntax: syntax)
            let script = """
                import json, sys, pydicom
                d = pydicom.dcmread(sys.argv[1])
                i = d.ContentSequence[0]
                print(json.dumps({"ts": str(d.file_meta.TransferSyntaxUID), "cs": d.SpecificCharacterSet,
                  "name": str(d.PatientName), "spacing": [float(x) for x in d.PixelSpacing], "rows": d.Rows,
                  "acc": d.AccessionNumber, "text": i.TextValue, "graphic": [float(x) for x in i.GraphicData],
                  "sop": d.SOPInstanceUID, "meta_sop": d.file_meta.MediaStorageSOPInstanceUID,
                  "group_length": d.file_meta.FileMetaInformationGroupLength}))
                """
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = ["-c", script, url.path]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out; p.standardError = err
            try p.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, errText)
            let j = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertEqual(j["ts"] as? String, syntax.uid)
            XCTAssertEqual(j["cs"] as? String, "ISO_IR 192")
            XCTAssertEqual(j["name"] as? String, "山田^太郎")
            XCTAssertEqual(j["spacing"] as? [Double], [0.5, 0.25])
            XCTAssertEqual(j["rows"] as? Int, 512)
            XCTAssertEqual(j["acc"] as? String, "")
            XCTAssertEqual(j["text"] as? String, "Verkalkung — prüfen")
            XCTAssertEqual(j["graphic"] as? [Double], [10.5, 20.25])
            XCTAssertEqual(j["sop"] as? String, j["meta_sop"] as? String)
            let parsed = try DICOMFile.read(url)
            XCTAssertEqual(j["group_length"] as? Int, parsed.meta.int(.fileMetaInformationGroupLength))
        }
    }
}
