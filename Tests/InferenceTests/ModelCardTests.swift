import XCTest
@testable import Inference

final class ModelCardTests: XCTestCase {
    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    static let json = """
    {"id": "cxr-demo", "version": "1.0.0", "sha256": "SHA", "task": "classification",
     "intended_use": {"modality": "CR", "body_part": "CHEST", "views": ["PA", "AP"], "pixel_spacing_range": [0.1, 0.2],
                      "photometric_interpretation": "MONOCHROME2"},
     "preprocessing": {"resample_size": [64, 64], "percentile_normalization": [1, 99], "mean": [0.5], "std": [0.25],
                       "channel_layout": "NCHW", "channels": 3},
     "outputs": {"scores": "out", "labels": ["a", "b"], "risk_levels": {"a": [{"name": "low", "threshold": 0.2}]}},
     "validation": {"dataset": "synthetic", "metrics": {"auc": 0.9}},
     "not_for_clinical_use": true}
    """

    func testCardParsesAndVerifiesAgainstTheModel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-card-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = try Data(contentsOf: Fixtures.url("function_inline.onnx"))
        let sha = SHA256.hex([UInt8](model))
        try model.write(to: dir.appendingPathComponent("demo.onnx"))
        try Data(Self.json.replacingOccurrences(of: "SHA", with: sha).utf8).write(to: dir.appendingPathComponent("demo.json"))
        let m = try Model.load(dir.appendingPathComponent("demo.onnx"))
        XCTAssertEqual(m.card?.id, "cxr-demo")
        XCTAssertEqual(m.card?.task, .classification)
        XCTAssertEqual(m.card?.intendedUse.views ?? [], ["PA", "AP"])
        XCTAssertEqual(m.card?.notForClinicalUse, true)
        XCTAssertEqual(try ModelCard.list(in: dir).first?.verified, true)

        try Data(Self.json.replacingOccurrences(of: "SHA", with: String(repeating: "0", count: 64)).utf8)
            .write(to: dir.appendingPathComponent("demo.json"))
        XCTAssertThrowsError(try Model.load(dir.appendingPathComponent("demo.onnx"))) { e in
            XCTAssertTrue("\(e)".contains("sha256 mismatch"), "\(e)")
        }
    }

    func testMissingFieldIsNamed() {
        XCTAssertThrowsError(try ModelCard.decode(Data("{\"id\": \"x\"}".utf8))) { e in
            XCTAssertTrue("\(e)".contains("missing key"), "\(e)")
        }
    }
}
