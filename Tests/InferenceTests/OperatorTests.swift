import XCTest
@testable import Inference

final class OperatorTests: XCTestCase {
    func testBroadcastAdd() throws {
        let a = try Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6]), b = try Tensor(shape: [3], floats: [10, 20, 30])
        XCTAssertEqual(try binary(.add, a, b).floats, [11, 22, 33, 14, 25, 36])
        XCTAssertThrowsError(try binary(.add, a, Tensor(shape: [2], floats: [1, 2])))
    }

    func testIntegerDivisionTruncates() throws {
        let a = try Tensor(shape: [2], ints: [7, -7], type: .int32), b = try Tensor(shape: [2], ints: [2, 2], type: .int32)
        XCTAssertEqual(try binary(.div, a, b).ints, [3, -3])
    }

    func testNPYRoundTrip() throws {
        let t = try Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6.5])
        XCTAssertEqual(try NPY.read(NPY.write(t)), t)
        let i = try Tensor(shape: [3], ints: [1, -2, 3])
        XCTAssertEqual(try NPY.read(NPY.write(i)), i)
        XCTAssertThrowsError(try NPY.read(Array(NPY.write(t).prefix(40))))
    }

    func testReshapeInference() throws {
        XCTAssertEqual(try resolveReshape([2, 3, 4], [0, -1], allowZero: false), [2, 12])
        XCTAssertThrowsError(try resolveReshape([2, 3, 4], [5, -1], allowZero: false))
    }
}

final class OperatorGraphTests: XCTestCase {
    typealias P = ProtoWriter

    /// Resize (linear, half_pixel) 2×2 → 4×4 against values computed by hand
    /// (the same numbers onnxruntime gives).
    func testBilinearResize() throws {
        let scales = P.tensor("scales", [4], [1, 1, 2, 2])
        let bytes = P.model(nodes: [P.node("Resize", ["x", "", "scales"], ["y"], attrs: [P.string(1, "mode") + P.string(4, "linear") + P.int(20, 3)])],
                            inits: [scales], inputs: [P.valueInfo("x", [1, 1, 2, 2])], outputs: [P.valueInfo("y", nil)])
        let m = try Model(bytes: bytes)
        let y = try XCTUnwrap(m.runSync(["x": Tensor(shape: [1, 1, 2, 2], floats: [1, 2, 3, 4])])["y"])
        XCTAssertEqual(y.shape, [1, 1, 4, 4])
        let expected: [Float] = [1, 1.25, 1.75, 2, 1.5, 1.75, 2.25, 2.5, 2.5, 2.75, 3.25, 3.5, 3, 3.25, 3.75, 4]
        for (a, b) in zip(y.floats, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testMaxPoolWithPadding() throws {
        let bytes = P.model(nodes: [P.node("MaxPool", ["x"], ["y"], attrs: [P.attrInts("kernel_shape", [2, 2]), P.attrInts("pads", [1, 1, 1, 1]), P.attrInts("strides", [2, 2])])],
                            inputs: [P.valueInfo("x", [1, 1, 3, 3])], outputs: [P.valueInfo("y", nil)])
        let y = try XCTUnwrap(try Model(bytes: bytes).runSync(["x": Tensor(shape: [1, 1, 3, 3], floats: [1, 2, 3, 4, 5, 6, 7, 8, 9])])["y"])
        XCTAssertEqual(y.shape, [1, 1, 2, 2])
        XCTAssertEqual(y.floats, [1, 3, 7, 9])
    }
}
