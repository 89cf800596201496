import XCTest
@testable import Imaging

final class ImagingModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(ImagingModule.version.split(separator: ".").count, 3)
    }
}
