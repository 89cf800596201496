import XCTest
@testable import DICOMCodecs

final class DICOMCodecsModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(DICOMCodecsModule.version.split(separator: ".").count, 3)
    }
}
