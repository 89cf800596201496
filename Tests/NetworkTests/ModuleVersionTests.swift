import XCTest
import DICOMNetwork
import DICOMweb

final class ModuleVersionTests: XCTestCase {
    func testModulesLink() {
        XCTAssertFalse(DICOMNetworkModule.version.isEmpty)
        XCTAssertFalse(DICOMwebModule.version.isEmpty)
    }
}
