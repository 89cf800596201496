import XCTest
@testable import Inference

final class ExternalDataTests: XCTestCase {
    typealias P = ProtoWriter

    func testExternalDataModelMatchesInlineModel() throws {
        let a = try Model.load(Fixtures.url("resnet_mini.onnx"))
        let b = try Model.load(Fixtures.url("resnet_mini_external.onnx"))
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("resnet_mini.input.npy"))))
        XCTAssertEqual(try a.runSync(["input": x]).values.first, try b.runSync(["input": x]).values.first)
    }

    /// An initializer whose external location climbs out of the model folder is refused.
    func testExternalPathMayNotLeaveTheModelFolder() throws {
        let entry = P.string(1, "location") + P.string(2, "../../etc/passwd")
        let tensor = P.int(1, 1) + P.int(2, 1) + P.string(8, "w") + P.bytes(13, entry) + P.int(14, 1)
        let bytes = P.model(nodes: [P.node("Add", ["x", "w"], ["y"])], inits: [tensor],
                            inputs: [P.valueInfo("x", [1])], outputs: [P.valueInfo("y", [1])])
        XCTAssertThrowsError(try Model(bytes: bytes, baseDirectory: FileManager.default.temporaryDirectory)) { e in
            XCTAssertTrue("\(e)".contains("leaves the model's folder"), "\(e)")
        }
    }

    func testMissingExternalFileIsNamed() throws {
        let entry = P.string(1, "location") + P.string(2, "weights.bin")
        let tensor = P.int(1, 1) + P.int(2, 1) + P.string(8, "w") + P.bytes(13, entry) + P.int(14, 1)
        let bytes = P.model(nodes: [P.node("Add", ["x", "w"], ["y"])], inits: [tensor],
                            inputs: [P.valueInfo("x", [1])], outputs: [P.valueInfo("y", [1])])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-ext-\(UUID())")
        XCTAssertThrowsError(try Model(bytes: bytes, baseDirectory: dir)) { e in
            XCTAssertTrue("\(e)".contains("weights.bin"), "\(e)")
        }
    }

    func testInitializerFedWrongDTypeAndGraphOutputNeverProduced() {
        let bytes = P.model(nodes: [P.node("Relu", ["x"], ["y"])], inputs: [P.valueInfo("x", [1])], outputs: [P.valueInfo("z", [1])])
        XCTAssertThrowsError(try Model(bytes: bytes)) { e in XCTAssertTrue("\(e)".contains("'z'"), "\(e)") }
    }
}
