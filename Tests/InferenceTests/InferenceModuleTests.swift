import XCTest
@testable import Inference

final class InferenceModuleTests: XCTestCase {
    func testVersionIsSemantic() {
        XCTAssertEqual(InferenceModule.version.split(separator: ".").count, 3)
    }
}
