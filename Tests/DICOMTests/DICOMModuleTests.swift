import XCTest
@testable import DICOM

final class DICOMModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(DICOMModule.version.split(separator: ".").count, 3)
    }
}
