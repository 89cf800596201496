import XCTest
@testable import Inference

final class ModelTests: XCTestCase {
    typealias P = ProtoWriter

    func reluModel(opset: Int64 = 17) -> [UInt8] {
        P.model(nodes: [P.node("Relu", ["x"], ["y"])], inputs: [P.valueInfo("x", [2, 2])], outputs: [P.valueInfo("y", [2, 2])], opset: opset)
    }

    func testRunsARelu() throws {
        let m = try Model(bytes: reluModel())
        let out = try m.runSync(["x": Tensor(shape: [2, 2], floats: [-1, 2, -3, 4])])
        XCTAssertEqual(out["y"]?.floats, [0, 2, 0, 4])
    }

    func testAsyncRun() async throws {
        let m = try Model(bytes: reluModel())
        let out = try await m.run(["x": Tensor(shape: [2, 2], floats: [1, -2, 3, -4])])
        XCTAssertEqual(out["y"]?.floats, [1, 0, 3, 0])
    }

    func testBatchReportsProgress() async throws {
        let m = try Model(bytes: reluModel())
        let seen = LockedCounter()
        let feeds = try (0..<3).map { _ in ["x": try Tensor(shape: [2, 2], floats: [1, 2, 3, 4])] }
        let out = try await m.run(batch: feeds) { p in seen.record(p.completed, p.total) }
        XCTAssertEqual(out.count, 3)
        XCTAssertEqual(seen.values, [1, 2, 3])
    }

    func testCancellationStopsBetweenNodes() throws {
        let m = try Model(bytes: reluModel())
        XCTAssertThrowsError(try m.runSync(["x": Tensor(shape: [2, 2], floats: [1, 2, 3, 4])], isCancelled: { true })) { e in
            XCTAssertEqual(e as? ONNXError, .cancelled)
        }
    }

    func testUnsupportedOperatorNamesNodeOpAndOpset() {
        let bytes = P.model(nodes: [P.node("Shrink", ["x"], ["y"], name: "my_shrink")], inputs: [P.valueInfo("x", [2])], outputs: [P.valueInfo("y", [2])], opset: 13)
        XCTAssertThrowsError(try Model(bytes: bytes)) { e in
            let s = "\(e)"
            XCTAssertTrue(s.contains("my_shrink") && s.contains("Shrink") && s.contains("13"), s)
        }
    }

    func testUnknownAttributeIsRejected() {
        let bytes = P.model(nodes: [P.node("Relu", ["x"], ["y"], attrs: [P.attrFloat("gamma", 2)])], inputs: [P.valueInfo("x", [2])], outputs: [P.valueInfo("y", [2])])
        XCTAssertThrowsError(try Model(bytes: bytes)) { e in XCTAssertTrue("\(e)".contains("gamma"), "\(e)") }
    }

    func testWrongInputShapeIsAClearError() throws {
        let m = try Model(bytes: reluModel())
        XCTAssertThrowsError(try m.runSync(["x": Tensor(shape: [3], floats: [1, 2, 3])])) { e in
            XCTAssertTrue("\(e)".contains("rank 2"), "\(e)")
        }
        XCTAssertThrowsError(try m.runSync(["x": Tensor(shape: [2, 3], floats: [1, 2, 3, 4, 5, 6])]))
        XCTAssertThrowsError(try m.runSync(["nope": Tensor(shape: [2, 2], floats: [1, 2, 3, 4])]))
    }

    func testNaNOutputIsRejected() throws {
        let bytes = P.model(nodes: [P.node("Log", ["x"], ["y"])], inputs: [P.valueInfo("x", [2])], outputs: [P.valueInfo("y", [2])])
        let m = try Model(bytes: bytes)
        XCTAssertThrowsError(try m.runSync(["x": Tensor(shape: [2], floats: [-1, 1])])) { e in
            XCTAssertEqual(e as? ONNXError, .nonFinite(output: "y"))
        }
    }

    func testGarbageIsACorruptFileError() {
        XCTAssertThrowsError(try Model(bytes: Array("this is not onnx".utf8))) { e in
            XCTAssertTrue("\(e)".contains("corrupt") || "\(e)".contains("invalid"), "\(e)")
        }
    }

    func testConvBatchNormIsFoldedAndReluFused() throws {
        let m = try Model.load(Fixtures.url("resnet_mini.onnx"))
        XCTAssertEqual(m.operatorCounts["BatchNormalization"], m.operatorCounts["Conv"])
        XCTAssertFalse(m.plan.steps.contains { $0.opType == "BatchNormalization" })
        XCTAssertFalse(m.plan.steps.contains { $0.opType == "Shape" }, "the flatten shape chain should fold")
        XCTAssertLessThan(m.compiledNodeCount, m.operatorCounts.values.reduce(0, +) / 2)
        XCTAssertGreaterThan(m.flops ?? 0, 0)
        XCTAssertGreaterThan(m.peakActivationBytes ?? 0, 0)
    }

    func testFixturesMatchOnnxRuntime() throws {
        for name in ["resnet_mini", "resnet_bottleneck_mini", "densenet_mini", "mobilenet_mini", "unet_mini", "function_inline"] {
            let m = try Model.load(Fixtures.url(name + ".onnx"))
            let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url(name + ".input.npy"))))
            let ref = try NPY.read([UInt8](Data(contentsOf: Fixtures.url(name + ".ort.npy"))))
            let y = try XCTUnwrap(m.runSync([m.inputs[0].name: x])[m.outputs[0].name])
            XCTAssertEqual(y.shape, ref.shape, name)
            let scale = ref.floats.map(abs).max() ?? 1
            let err = zip(y.floats, ref.floats).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(err / scale, 1e-4, name)
        }
    }

    func testUnoptimisedAndOptimisedAgree() throws {
        var o = Model.LoadOptions(); o.optimize = false
        let a = try Model.load(Fixtures.url("mobilenet_mini.onnx"), options: o)
        let b = try Model.load(Fixtures.url("mobilenet_mini.onnx"))
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("mobilenet_mini.input.npy"))))
        let ya = try a.runSync(["input": x]).values.first!, yb = try b.runSync(["input": x]).values.first!
        XCTAssertNil(NodeTestRunner.compare(yb, ya, rtol: 1e-4, atol: 1e-6))
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: [Int] = []
    func record(_ c: Int, _ t: Int) { lock.lock(); seen.append(c); lock.unlock() }
    var values: [Int] { lock.lock(); defer { lock.unlock() }; return seen }
}
