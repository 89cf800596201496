import DICOM
import Foundation
import XCTest
@testable import DICOMweb

final class DICOMJSONDecoderTests: XCTestCase {
    func testOrthancStyleStudyResult() throws {
        let json = """
        [{"00100010": {"vr": "PN", "Value": [{"Alphabetic": "Yamada^Tarou", "Ideographic": "山田^太郎"}]},
          "0020000D": {"vr": "UI", "Value": ["1.2.3"]}, "00080061": {"vr": "CS", "Value": ["CT", "SR"]},
          "00201208": {"vr": "IS", "Value": [96]}, "00201206": {"vr": "IS", "Value": ["2"]},
          "00080090": {"vr": "PN"},
          "00081199": {"vr": "SQ", "Value": [{"00081155": {"vr": "UI", "Value": ["9.8"]}}]}}]
        """
        let objects = try DICOMJSONDecoder.decodeArray(Data(json.utf8))
        XCTAssertEqual(objects.count, 1)
        let s = StudySummary(objects[0])
        XCTAssertEqual(s.patientName, "Yamada^Tarou")
        XCTAssertEqual(s.studyInstanceUID, "1.2.3")
        XCTAssertEqual(s.modalities, ["CT", "SR"])
        XCTAssertEqual(s.numberOfInstances, 96)
        XCTAssertEqual(s.numberOfSeries, 2, "IS sent as a string is read too")
        XCTAssertEqual(objects[0].items(Tag(0x0008, 0x1199)).first?.string(Tag(0x0008, 0x1155)), "9.8")
        XCTAssertNil(objects[0].string(Tag(0x0008, 0x0090)))
    }

    func testStructuralErrorsAreRejected() {
        for bad in ["{}", "[1]", "[{\"nothex!\": {\"vr\": \"CS\"}}]", "[{\"00080060\": {\"vr\": \"CS\", \"Value\": \"CT\"}}]", "not json"] {
            XCTAssertThrowsError(try DICOMJSONDecoder.decodeArray(Data(bad.utf8)), bad)
        }
    }

    func testDeepNestingIsRefused() {
        var json = "{\"00080060\": {\"vr\": \"CS\", \"Value\": [\"CT\"]}}"
        for _ in 0 ..< 40 { json = "{\"00081199\": {\"vr\": \"SQ\", \"Value\": [\(json)]}}" }
        XCTAssertThrowsError(try DICOMJSONDecoder.decodeArray(Data("[\(json)]".utf8)))
    }
}
