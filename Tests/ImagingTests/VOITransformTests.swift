import XCTest
@testable import Imaging

/// The window functions of PS3.3 C.11.2.1.2, checked at the points the standard's formulas pin down.
final class VOITransformTests: XCTestCase {
    func testLinearWindowFollowsTheStandardFormula() {
        let voi = VOITransform.window(.init(center: 40, width: 400))
        // x ≤ c − 0.5 − (w−1)/2 → 0; x > c − 0.5 + (w−1)/2 → 1.
        XCTAssertEqual(voi.unit(40 - 0.5 - 199.5), 0)
        XCTAssertEqual(voi.unit(40 - 0.5 + 199.5 + 0.01), 1)
        XCTAssertEqual(voi.unit(39.5), 0.5, accuracy: 1e-6)
        XCTAssertEqual(voi.unit(139.5), 0.5 + 100 / 399, accuracy: 1e-6)
    }

    func testLinearExactAndSigmoid() {
        let exact = VOITransform.window(.init(center: 0, width: 100, function: .linearExact))
        XCTAssertEqual(exact.unit(-50), 0)
        XCTAssertEqual(exact.unit(25), 0.75, accuracy: 1e-6)
        XCTAssertEqual(exact.unit(51), 1)
        let sigmoid = VOITransform.window(.init(center: 0, width: 100, function: .sigmoid))
        XCTAssertEqual(sigmoid.unit(0), 0.5, accuracy: 1e-6)
        XCTAssertEqual(sigmoid.unit(100), 1 / (1 + exp(-4)), accuracy: 1e-5)
    }

    func testPresetsAndParsing() {
        XCTAssertEqual(VOITransform.Window.preset(named: "lung"), .init(center: -600, width: 1500))
        XCTAssertEqual(VOITransform.Window.preset(named: "BRAIN"), .init(center: 40, width: 80))
        XCTAssertEqual(VOITransform.Window(parsing: "-600/1500"), .init(center: -600, width: 1500))
        XCTAssertNil(VOITransform.Window(parsing: "40/0"))
        XCTAssertNil(VOITransform.Window(parsing: "forty"))
    }

    func testApplyProducesEightBitGreys() {
        var out = [UInt8](repeating: 0, count: 3)
        VOITransform.window(.init(center: 0, width: 100, function: .linearExact)).apply([-1000, 0, 1000], into: &out)
        XCTAssertEqual(out, [0, 128, 255])
    }
}
