import XCTest
@testable import Workstation

final class WorkstationModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(WorkstationModule.version.split(separator: ".").count, 3)
    }
}
