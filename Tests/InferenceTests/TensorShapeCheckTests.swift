import XCTest
@testable import Inference

/// Shapes reach tensors from model and .npy files: a shape that does not match its values is a
/// thrown `TensorShapeError`, never a trap.
final class TensorShapeCheckTests: XCTestCase {
    func testMismatchedShapesThrow() {
        XCTAssertThrowsError(try Tensor(shape: [2, 3], floats: [1, 2, 3])) { error in
            XCTAssertEqual(error as? TensorShapeError, .elementCount(shape: [2, 3], expected: 6, actual: 3))
        }
        XCTAssertThrowsError(try Tensor(shape: [2], ints: [1], type: .int32))
        XCTAssertThrowsError(try Tensor(shape: [-1, 2], floats: [])) { error in
            XCTAssertEqual(error as? TensorShapeError, .invalidShape([-1, 2]))
        }
        XCTAssertThrowsError(try Tensor(shape: [Int.max, 2], floats: []), "an overflowing shape is an error, not a trap")
    }

    func testMatchingShapesBuild() throws {
        XCTAssertEqual(try Tensor(shape: [], floats: [3]).count, 1)
        XCTAssertEqual(try Tensor(shape: [2, 0], floats: []).count, 0)
        XCTAssertEqual(try Tensor(shape: [2], ints: [4, 5]).ints, [4, 5])
    }
}
