import Foundation
import XCTest
@testable import DICOM

/// The writer against our own reader: every VR, padding, sequences, character sets, the meta group,
/// and the errors that keep invalid values out of files.
final class WriterTests: XCTestCase {
    func sample() -> WritableDataSet {
        var item = WritableDataSet()
        item.set(Tag(0x0008, 0x0100), .SH, "121071")
        item.set(Tag(0x0008, 0x0104), .LO, "Finding")
        var inner = WritableDataSet()
        inner.set(Tag(0x0040, 0xA160), .UT, "deep text")
        item.set(Tag(0x0040, 0xA730), sequence: [inner, WritableDataSet()])
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.88.34")
        ds.set(.sopInstanceUID, .UI, "2.25.123")
        ds.set(.patientName, .PN, "Doe^Jane")
        ds.set(.patientID, .LO, "ID1")
        ds.set(.imageType, .CS, strings: ["DERIVED", "SECONDARY"])
        ds.set(.studyDate, .DA, "20260101")
        ds.set(.studyTime, .TM, "101010")
        ds.set(.accessionNumber, .SH, "")
        ds.set(.pixelSpacing, .DS, strings: ["0.5", "0.25"])
        ds.set(.seriesNumber, .IS, "7")
        ds.set(.rows, .US, .uint16([512]))
        ds.set(Tag(0x0018, 0x9219), .SS, .int16([-3]))
        ds.set(Tag(0x0028, 0x0008), .IS, "1")
        ds.set(Tag(0x0040, 0xA30A), .DS, "3.5")
        ds.set(Tag(0x0018, 0x1310), .US, .uint16([1, 2, 3, 4]))
        ds.set(Tag(0x0020, 0x9057), .UL, .uint32([70000]))
        ds.set(Tag(0x0018, 0x6024), .SL, .int32([-70000]))
        ds.set(Tag(0x0070, 0x0022), .FL, .float32([1.5, -2.25]))
        ds.set(Tag(0x0040, 0xA161), .FD, .float64([3.141592653589793]))
        ds.set(Tag(0x0020, 0x9165), .AT, .tags([.patientName]))
        ds.set(Tag(0x0009, 0x0010), .LO, "PRIVATE CREATOR")
        ds.set(Tag(0x0029, 0x1010), .OB, .bytes([1, 2, 3]))
        ds.set(Tag(0x0040, 0xA043), sequence: [item])
        ds.set(Tag(0x0040, 0xA160), .UT, "line one\r\nline two")
        ds.set(.seriesDescription, .LO, "odd")
        return ds
    }

    func roundTrip(_ ds: WritableDataSet, syntax: TransferSyntax = .explicitVRLittleEndian) throws -> DICOMFile {
        try DICOMFile.parse(try Part10Writer.data(ds, syntax: syntax))
    }

    func testEveryVRRoundTripsThroughOurReader() throws {
        for syntax in [TransferSyntax.explicitVRLittleEndian, .implicitVRLittleEndian] {
            let f = try roundTrip(sample(), syntax: syntax)
            XCTAssertEqual(f.transferSyntax.uid, syntax.uid)
            XCTAssertTrue(f.hasPreamble)
            let ds = f.dataSet
            XCTAssertEqual(ds.string(.patientName), "Doe^Jane")
            XCTAssertEqual(ds.strings(.imageType), ["DERIVED", "SECONDARY"])
            XCTAssertEqual(ds.doubles(.pixelSpacing), [0.5, 0.25])
            XCTAssertEqual(ds.int(.seriesNumber), 7)
            XCTAssertEqual(ds.int(.rows), 512)
            XCTAssertEqual(ds.doubles(Tag(0x0018, 0x1310)), [1, 2, 3, 4])
            XCTAssertEqual(ds.int(Tag(0x0020, 0x9057)), 70000)
            XCTAssertEqual(ds.doubles(Tag(0x0070, 0x0022)), [1.5, -2.25])
            XCTAssertEqual(ds.double(Tag(0x0040, 0xA161)), 3.141592653589793)
            XCTAssertEqual(ds.attributeTags(Tag(0x0020, 0x9165)), [.patientName])
            XCTAssertEqual(ds.string(Tag(0x0040, 0xA160)), "line one\r\nline two")
            XCTAssertNil(ds.string(.accessionNumber), "Type 2 empty value")
            XCTAssertNotNil(ds[.accessionNumber], "Type 2 element is present")
            let items = ds.sequence(Tag(0x0040, 0xA043))
            XCTAssertEqual(items.count, 1)
            XCTAssertEqual(items[0].string(Tag(0x0008, 0x0104)), "Finding")
            let nested = items[0].sequence(Tag(0x0040, 0xA730))
            XCTAssertEqual(nested.count, 2)
            XCTAssertEqual(nested[0].string(Tag(0x0040, 0xA160)), "deep text")
            XCTAssertTrue(nested[1].isEmpty)
            if syntax.explicitVR {
                XCTAssertEqual(ds.int(Tag(0x0018, 0x9219)), -3)
                XCTAssertEqual(ds.int(Tag(0x0018, 0x6024)), -70000)
                XCTAssertEqual(ds.bytes(Tag(0x0029, 0x1010)), [1, 2, 3, 0], "OB padded with NUL")
                XCTAssertEqual(ds[Tag(0x0040, 0xA043)]?.vr, .SQ)
            }
        }
    }

    func testPaddingIsEvenWithSpaceForTextAndNulForUI() throws {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.3")
        ds.set(.sopInstanceUID, .UI, "1.2.34")
        ds.set(.seriesDescription, .LO, "odd")
        let f = try roundTrip(ds)
        for e in f.dataSet.elements { XCTAssertEqual(e.length % 2, 0, "\(e.tag)") }
        XCTAssertEqual(f.dataSet.bytes(.sopClassUID), Array("1.2.3".utf8) + [0])
        XCTAssertEqual(f.dataSet.bytes(.sopInstanceUID), Array("1.2.34".utf8), "even values are not padded")
        XCTAssertEqual(f.dataSet.bytes(.seriesDescription), Array("odd ".utf8))
    }

    func testFileMetaGroup() throws {
        let data = try Part10Writer.data(sample())
        XCTAssertEqual(Array(data.prefix(128)), [UInt8](repeating: 0, count: 128))
        XCTAssertEqual(Array(data[128 ..< 132]), Array("DICM".utf8))
        let f = try DICOMFile.parse(data)
        XCTAssertEqual(f.meta.string(.mediaStorageSOPClassUID), "1.2.840.10008.5.1.4.1.1.88.34")
        XCTAssertEqual(f.meta.string(.mediaStorageSOPInstanceUID), "2.25.123")
        XCTAssertEqual(f.meta.string(Tag(0x0002, 0x0012)), Part10Writer.implementationClassUID)
        XCTAssertEqual(f.meta.string(Tag(0x0002, 0x0013)), Part10Writer.implementationVersionName)
        XCTAssertEqual(f.meta.bytes(Tag(0x0002, 0x0001)), [0, 1])
        // Group length = bytes from the end of the group-length element to the start of the data set.
        let groupLength = f.meta.int(.fileMetaInformationGroupLength)
        let firstDataElement = f.dataSet.elements.first!.offset
        XCTAssertEqual(groupLength, firstDataElement - (132 + 12))
    }

    func testNonASCIITextSelectsUTF8() throws {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.3")
        ds.set(.sopInstanceUID, .UI, "1.2.4")
        var item = WritableDataSet()
        item.set(Tag(0x0040, 0xA160), .UT, "Mikroverkalkungen — prüfen")
        ds.set(Tag(0x0040, 0xA730), sequence: [item])
        ds.set(.patientName, .PN, "山田^太郎")
        let f = try roundTrip(ds)
        XCTAssertEqual(f.dataSet.string(.specificCharacterSet), "ISO_IR 192")
        XCTAssertEqual(f.dataSet.string(.patientName), "山田^太郎")
        XCTAssertEqual(f.dataSet.sequence(Tag(0x0040, 0xA730))[0].string(Tag(0x0040, 0xA160)), "Mikroverkalkungen — prüfen")

        var ascii = WritableDataSet()
        ascii.set(.sopClassUID, .UI, "1.2.3")
        ascii.set(.sopInstanceUID, .UI, "1.2.4")
        ascii.set(.patientName, .PN, "Doe^John")
        XCTAssertNil(try roundTrip(ascii).dataSet[.specificCharacterSet], "ASCII data sets declare no character set")
    }

    func testInvalidValuesAreRefused() throws {
        func attempt(_ tag: Tag, _ vr: VR, _ value: WritableValue) -> DICOMWriteError? {
            var ds = WritableDataSet()
            ds.set(.sopClassUID, .UI, "1.2.3")
            ds.set(.sopInstanceUID, .UI, "1.2.4")
            ds.set(tag, vr, value)
            do { _ = try Part10Writer.data(ds); return nil } catch { return error as? DICOMWriteError }
        }
        XCTAssertEqual(attempt(.modality, .CS, .text(["ÜS"])), .invalidCharacters(tag: .modality, vr: "CS", value: "ÜS"))
        XCTAssertEqual(attempt(.seriesInstanceUID, .UI, .text(["1.02.3"])), .invalidCharacters(tag: .seriesInstanceUID, vr: "UI", value: "1.02.3"))
        XCTAssertEqual(attempt(.seriesInstanceUID, .UI, .text(["1.2.a"])), .invalidCharacters(tag: .seriesInstanceUID, vr: "UI", value: "1.2.a"))
        XCTAssertEqual(attempt(.accessionNumber, .SH, .text([String(repeating: "x", count: 17)])), .valueTooLong(tag: .accessionNumber, vr: "SH", length: 17))
        XCTAssertEqual(attempt(.rows, .US, .text(["512"])), .valueDoesNotFitVR(tag: .rows, vr: "US"))
        XCTAssertEqual(attempt(.seriesDescription, .LO, .text(["a\u{1B}[31m"])), .invalidCharacters(tag: .seriesDescription, vr: "LO", value: "a\u{1B}[31m"))
        XCTAssertEqual(attempt(.seriesDescription, .LO, .text(["a\\b"])), .invalidCharacters(tag: .seriesDescription, vr: "LO", value: "a\\b"))
        XCTAssertEqual(attempt(Tag(0x0040, 0xA160), .UT, .text(["a", "b"])), .valueDoesNotFitVR(tag: Tag(0x0040, 0xA160), vr: "UT"))
        XCTAssertEqual(attempt(.seriesDescription, .LO, .text([String(repeating: "x", count: 70_000)])), .valueTooLong(tag: .seriesDescription, vr: "LO", length: 70_000))
        XCTAssertThrowsError(try Part10Writer.data(WritableDataSet()), "SOP Class and Instance UID are required")
        XCTAssertThrowsError(try DataSetEncoder(syntax: .explicitVRBigEndian))
    }

    func testCopyingFromAParsedDataSet() throws {
        let parsed = try roundTrip(sample()).dataSet
        let copy = WritableDataSet(copying: parsed, tags: [.patientName, .pixelSpacing, .rows, Tag(0x0040, 0xA043)])
        XCTAssertEqual(copy.count, 4)
        XCTAssertEqual(copy.string(.patientName), "Doe^Jane")
        XCTAssertEqual(copy.string(.pixelSpacing), "0.5\\0.25")
        XCTAssertEqual(copy[.rows], WritableElement(vr: .US, value: .bytes([0x00, 0x02])))
        XCTAssertEqual(copy.items(Tag(0x0040, 0xA043)).first?.string(Tag(0x0008, 0x0104)), "Finding")
        let again = try roundTrip({ var c = copy; c.set(.sopClassUID, .UI, "1.2.3"); c.set(.sopInstanceUID, .UI, "1.2.4"); return c }())
        XCTAssertEqual(again.dataSet.int(.rows), 512)
    }

    func testUIDs() {
        let fixed = UUID(uuidString: "F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6")!
        // ITU-T X.667 / PS3.5 B.2 example, and Python's uuid.UUID(...).int.
        XCTAssertEqual(UIDGenerator.uid(from: fixed), "2.25.329800735698586629295641978511506172918")
        let many = (0 ..< 200).map { _ in UIDGenerator.make() }
        XCTAssertEqual(Set(many).count, 200)
        XCTAssertTrue(many.allSatisfy(UIDGenerator.isValid))
        XCTAssertTrue(many.allSatisfy { $0.count <= 64 })
        XCTAssertEqual(UIDGenerator.decimal(bigEndian: [0, 0]), "0")
        XCTAssertEqual(UIDGenerator.decimal(bigEndian: [1, 0]), "256")
        XCTAssertFalse(UIDGenerator.isValid("1..2"))
        XCTAssertFalse(UIDGenerator.isValid(""))
        XCTAssertFalse(UIDGenerator.isValid("1." + String(repeating: "1", count: 64)))
    }

    func testDecimalStrings() {
        for v in [0.0, 1, -1, 0.1, 1.0 / 3, 123456789.123456789, 1e-12, -9.87654321e20, 18, 0.93] {
            guard let s = DecimalString.format(v) else { return XCTFail("\(v)") }
            XCTAssertLessThanOrEqual(s.count, 16, s)
            XCTAssertEqual(Double(s) ?? .nan, v, accuracy: abs(v) * 1e-9 + 1e-300, s)
        }
        XCTAssertEqual(DecimalString.format(18), "18")
        XCTAssertNil(DecimalString.format(.nan))
        XCTAssertNil(DecimalString.format(.infinity))
    }
}
