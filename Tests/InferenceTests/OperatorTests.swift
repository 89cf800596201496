import XCTest
@testable import Inference

final class OperatorTests: XCTestCase {
    func testBroadcastAdd() throws {
        let a = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]), b = Tensor(shape: [3], floats: [10, 20, 30])
        XCTAssertEqual(try binary(.add, a, b).floats, [11, 22, 33, 14, 25, 36])
        XCTAssertThrowsError(try binary(.add, a, Tensor(shape: [2], floats: [1, 2])))
    }

    func testIntegerDivisionTruncates() throws {
        let a = Tensor(shape: [2], ints: [7, -7], type: .int32), b = Tensor(shape: [2], ints: [2, 2], type: .int32)
        XCTAssertEqual(try binary(.div, a, b).ints, [3, -3])
    }

    func testNPYRoundTrip() throws {
        let t = Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6.5])
        XCTAssertEqual(try NPY.read(NPY.write(t)), t)
        let i = Tensor(shape: [3], ints: [1, -2, 3])
        XCTAssertEqual(try NPY.read(NPY.write(i)), i)
        XCTAssertThrowsError(try NPY.read(Array(NPY.write(t).prefix(40))))
    }

    func testReshapeInference() throws {
        XCTAssertEqual(try resolveReshape([2, 3, 4], [0, -1], allowZero: false), [2, 12])
        XCTAssertThrowsError(try resolveReshape([2, 3, 4], [5, -1], allowZero: false))
    }
}
