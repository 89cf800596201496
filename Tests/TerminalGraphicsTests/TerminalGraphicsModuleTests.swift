import XCTest
@testable import TerminalGraphics

final class TerminalGraphicsModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(TerminalGraphicsModule.version.split(separator: ".").count, 3)
    }
}
