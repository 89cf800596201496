import XCTest
@testable import Review

final class ReviewModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(ReviewModule.version.split(separator: ".").count, 3)
    }
}
