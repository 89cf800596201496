import Foundation
import TestSupport
import XCTest
@testable import DICOM

/// Fixtures written by pydicom (Tests/Fixtures/dicom/make_fixtures.py) read back with our parser.
final class DataSetParsingTests: XCTestCase {
    private func check(_ name: String, syntax: TransferSyntax, signed: Bool) throws {
        let file = try DICOMFile.read(Fixtures.dicom(name + ".dcm"))
        XCTAssertEqual(file.transferSyntax.uid, syntax.uid)
        XCTAssertTrue(file.hasPreamble)
        let ds = file.dataSet
        XCTAssertEqual(ds.string(.patientName), "Müller^Jürgen")
        XCTAssertEqual(ds.string(.patientID), "FIXTURE-1")
        XCTAssertEqual(ds.int(.rows), 4)
        XCTAssertEqual(ds.int(.columns), 5)
        XCTAssertEqual(ds.doubles(.pixelSpacing), [0.5, 0.75])
        XCTAssertEqual(ds.doubles(.imagePositionPatient), [-10, -20, 30])
        XCTAssertEqual(ds.double(.rescaleIntercept), -1024)
        // Nested sequences: one outer item holding two inner items.
        let outer = ds.sequence(Tag(0x0008, 0x1140))
        XCTAssertEqual(outer.count, 1)
        XCTAssertEqual(outer[0].string(Tag(0x0008, 0x0104)), "outer")
        let inner = outer[0].sequence(Tag(0x0040, 0xA168))
        XCTAssertEqual(inner.map { $0.string(Tag(0x0008, 0x0100)) }, ["A1", "B2"])
        // Private block: creator and element.
        XCTAssertTrue(Tag(0x0009, 0x0010).isPrivateCreator)
        XCTAssertEqual(ds.string(Tag(0x0009, 0x0010)), "LIGHTBOX TEST")
        // The private element's VR is unknown to an implicit-VR reader; its bytes are kept as stored.
        XCTAssertEqual(ds.bytes(Tag(0x0009, 0x1001)).map { String(decoding: $0, as: UTF8.self) }, "private value ")
        // Pixels equal what numpy wrote.
        let frame = try PixelDataReader(file).frame(0)
        XCTAssertEqual(frame.isSigned, signed)
        let expected = try Fixtures.npyInts(name + ".npy")
        let got = (0 ..< 4).flatMap { r in (0 ..< 5).map { c in Int(frame.value(row: r, column: c)) } }
        XCTAssertEqual(got, expected)
    }

    func testExplicitLittleEndian() throws { try check("explicit_le", syntax: .explicitVRLittleEndian, signed: false) }
    func testImplicitLittleEndian() throws { try check("implicit_le", syntax: .implicitVRLittleEndian, signed: true) }
    func testExplicitBigEndian() throws { try check("explicit_be", syntax: .explicitVRBigEndian, signed: true) }
    func testDeflated() throws { try check("deflated", syntax: .deflatedExplicitVRLittleEndian, signed: false) }

    func testISO2022JapaneseName() throws {
        let ds = try DICOMFile.read(Fixtures.dicom("japanese.dcm")).dataSet
        XCTAssertEqual(ds.string(.patientName), "Yamada^Tarou=山田^太郎=やまだ^たろう")
        XCTAssertEqual(ds.characterSet.terms, ["", "ISO 2022 IR 87"])
    }

    func testHeaderOnlyReadStopsBeforePixelData() throws {
        let file = try DICOMFile.read(Fixtures.dicom("explicit_le.dcm"), options: .init(stopBeforePixelData: true))
        XCTAssertNil(file.dataSet[.pixelData])
        XCTAssertEqual(file.dataSet.int(.rows), 4)
    }

    func testBareDataSetWithoutMetaIsInferred() throws {
        let body = Bytes.text(0x0008, 0x0060, "CS", "MR") + Bytes.text(0x0010, 0x0010, "PN", "Bare^Data")
        let file = try DICOMFile.parse(Data(body))
        XCTAssertTrue(file.transferSyntaxWasInferred)
        XCTAssertEqual(file.transferSyntax.uid, TransferSyntax.explicitVRLittleEndian.uid)
        XCTAssertEqual(file.dataSet.string(.patientName), "Bare^Data")
    }

    func testUnsupportedSyntaxParsesButPixelDecodingNamesIt() throws {
        let mpeg2 = "1.2.840.10008.1.2.4.100"
        let pixels = Bytes.u16(0x7FE0) + Bytes.u16(0x0010) + Array("OB".utf8) + [0, 0] + Bytes.u32(0xFFFF_FFFF)
            + Bytes.u16(0xFFFE) + Bytes.u16(0xE000) + Bytes.u32(0)
            + Bytes.u16(0xFFFE) + Bytes.u16(0xE000) + Bytes.u32(4) + [1, 2, 3, 4]
            + Bytes.u16(0xFFFE) + Bytes.u16(0xE0DD) + Bytes.u32(0)
        let body = Bytes.us(0x0028, 0x0002, 1) + Bytes.text(0x0028, 0x0004, "CS", "MONOCHROME2")
            + Bytes.us(0x0028, 0x0010, 2) + Bytes.us(0x0028, 0x0011, 2) + Bytes.us(0x0028, 0x0100, 8)
            + Bytes.us(0x0028, 0x0101, 8) + pixels
        let file = try DICOMFile.parse(Bytes.part10(syntax: mpeg2, body: body), source: "mpeg.dcm")
        XCTAssertEqual(file.dataSet.int(.rows), 2)
        guard case let .encapsulated(p)? = file.dataSet[.pixelData]?.value else { return XCTFail("not encapsulated") }
        XCTAssertEqual(p.fragments.count, 1)
        XCTAssertThrowsError(try PixelDataReader(file).frame(0)) { error in
            XCTAssertTrue("\(error)".contains("MPEG2"), "\(error)")
            XCTAssertTrue("\(error)".contains("mpeg.dcm"), "\(error)")
        }
    }

    func testDictionaryKnowsStandardTagsAndRepeatingGroups() {
        XCTAssertGreaterThan(DataDictionary.entryCount, 4_000)
        XCTAssertEqual(DataDictionary.entry(for: .patientName)?.keyword, "PatientName")
        XCTAssertEqual(DataDictionary.vr(for: .patientName), .PN)
        XCTAssertEqual(DataDictionary.entry(for: Tag(0x6002, 0x3000))?.keyword, "OverlayData")
        XCTAssertEqual(DataDictionary.tag(forKeyword: "StudyInstanceUID"), .studyInstanceUID)
        XCTAssertEqual(DataDictionary.name(for: Tag(0x0009, 0x0010)), "PrivateCreator")
    }

    func testUnknownVRIsReadWithLongLengthAsTheStandardSays() throws {
        // "ZZ" is not a VR: PS3.5 §6.2 treats it as UN (2 reserved bytes, 32-bit length).
        let odd = Bytes.u16(0x0011) + Bytes.u16(0x1001) + Array("ZZ".utf8) + [0, 0] + Bytes.u32(2) + [0xAB, 0xCD]
        let body = Bytes.text(0x0008, 0x0060, "CS", "OT") + odd + Bytes.text(0x0010, 0x0010, "PN", "After^Unknown")
        let ds = try DICOMFile.parse(Bytes.part10(syntax: "1.2.840.10008.1.2.1", body: body)).dataSet
        XCTAssertEqual(ds.bytes(Tag(0x0011, 0x1001)), [0xAB, 0xCD])
        XCTAssertEqual(ds.string(.patientName), "After^Unknown")
    }
}
