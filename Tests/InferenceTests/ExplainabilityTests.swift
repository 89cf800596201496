import XCTest
@testable import Inference

final class ExplainabilityTests: XCTestCase {
    func testCAMFromResNetHead() async throws {
        let m = try Model.load(Fixtures.url("resnet_mini.onnx"))
        XCTAssertTrue(m.supportsClassActivationMaps)
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("resnet_mini.input.npy"))))
        let cam = try m.classActivationMap(["input": x], classIndex: 3)
        XCTAssertEqual(cam.method, .classActivationMap)
        XCTAssertEqual(cam.height, 4); XCTAssertEqual(cam.width, 4)
        XCTAssertEqual(cam.map.floats.max() ?? 0, 1, accuracy: 1e-6)
        XCTAssertTrue(cam.map.floats.allSatisfy { $0 >= 0 })
        let best = try await m.explain(["input": x], classIndex: 3)
        XCTAssertEqual(best, cam, "a GAP → Gemm head explains by its class activation map")
    }

    func testCAMMatchesLogitDecomposition() throws {
        // Sum over the CAM (before ReLU/normalisation) equals logit − bias for a GAP head;
        // check the sign structure instead: the argmax class's CAM is non-trivial.
        let m = try Model.load(Fixtures.url("densenet_mini.onnx"))
        XCTAssertTrue(m.supportsClassActivationMaps)
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("densenet_mini.input.npy"))))
        let cam = try m.classActivationMap(["input": x], classIndex: 0)
        XCTAssertGreaterThan(cam.map.floats.reduce(0, +), 0)
        XCTAssertThrowsError(try m.classActivationMap(["input": x], classIndex: 99))
    }

    func testOcclusionFallbackOnUNetFreeModel() async throws {
        let m = try Model.load(Fixtures.url("mobilenet_mini.onnx"))
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("mobilenet_mini.input.npy"))))
        let map = try await m.occlusionSensitivity(["input": x], input: "input", output: m.outputs[0].name, classIndex: 1, patch: 32, stride: 32)
        XCTAssertEqual(map.height, 64); XCTAssertEqual(map.width, 64)
        XCTAssertEqual(map.method, .occlusion)
    }
}
