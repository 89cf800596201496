import Foundation
import Imaging
import Inference
import XCTest
@testable import Analysis

/// Pairing each mammography view with the same view of the other breast, on the real sample
/// mammogram, and the two-channel input the committed mammography model reads.
final class ContralateralPairingTests: XCTestCase {
    private let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The sample exam's headers in series order (RCC, LCC, RMLO, LMLO by instance number).
    private func headers() throws -> [InstanceHeader] {
        let index = StudyIndex.scan([repo.appendingPathComponent("SampleStudies/02_MG_ALICE_2026").path], cache: nil)
        let series = try XCTUnwrap(index.studies.first?.series.first)
        return series.instances
    }

    private func name(_ h: InstanceHeader) -> String { ContralateralPairing.laterality(of: h) + h.viewPosition }

    func testViewsPairWithTheSameViewOfTheOtherBreast() throws {
        let h = try headers()
        XCTAssertEqual(h.map(name), ["RCC", "LCC", "RMLO", "LMLO"])
        XCTAssertEqual(ContralateralPairing.groups(h).map { $0.map { name(h[$0]) } }, [["RCC", "LCC"], ["RMLO", "LMLO"]])
        // Reordered series: pairs still form, each image once.
        let shuffled = [h[3], h[0], h[2], h[1]]
        XCTAssertEqual(ContralateralPairing.groups(shuffled).map { $0.map { name(shuffled[$0]) } }, [["LMLO", "RMLO"], ["RCC", "LCC"]])
    }

    func testMissingOrRepeatedViewsStandAlone() throws {
        let h = try headers()
        let noLCC = [h[0], h[2], h[3]]
        XCTAssertEqual(ContralateralPairing.groups(noLCC).map { $0.map { name(noLCC[$0]) } }, [["RCC"], ["RMLO", "LMLO"]])
        // A repeated RCC: the first pairs with LCC, the repeat has no partner left.
        let repeated = [h[0], h[1], h[0]]
        XCTAssertEqual(ContralateralPairing.groups(repeated), [[0, 1], [2]])
        // Laterality only in the view position ("LCC"), none in the laterality attributes.
        var lcc = h[1]
        lcc.laterality = ""
        lcc.viewPosition = "LCC"
        XCTAssertEqual(ContralateralPairing.groups([h[0], lcc]), [[0, 1]])
        // "LM" and "LMO" are views, not a left "M" or "MO": they pair by Image Laterality.
        var rlmo = h[0], llmo = h[1]
        rlmo.viewPosition = "LMO"
        llmo.viewPosition = "LMO"
        XCTAssertEqual(ContralateralPairing.groups([rlmo, h[1], llmo]), [[0, 2], [1]])
        var lm = h[0]
        lm.laterality = ""
        lm.viewPosition = "LM"
        XCTAssertEqual(ContralateralPairing.laterality(of: lm), "")
        // No laterality at all: nothing to pair with.
        var unknown = h[1]
        unknown.laterality = ""
        XCTAssertEqual(ContralateralPairing.groups([h[0], unknown]), [[0], [1]])
    }

    func testMirroringFollowsImageOrientation() throws {
        let h = try headers()
        let rcc = try ProjectionImage.load(h[0]), lcc = try ProjectionImage.load(h[1])
        XCTAssertTrue(ContralateralPairing.needsMirror(rcc, partner: lcc), "stored mirrored: rows run opposite ways")
        XCTAssertFalse(ContralateralPairing.needsMirror(rcc, partner: rcc), "rows running the same way are already aligned")
        let bare = ProjectionImage(sopInstanceUID: "x", columns: 2, rows: 1, values: [0, 1], photometricInterpretation: "MONOCHROME2",
                                   bitsStored: 12, pixelSpacing: nil, imagePosition: nil, imageOrientation: nil, laterality: "L", viewPosition: "CC")
        XCTAssertTrue(ContralateralPairing.needsMirror(rcc, partner: bare), "no orientation: the storage convention")
        XCTAssertEqual(ContralateralPairing.mirrored([1, 2, 3, 4, 5, 6], width: 3), [3, 2, 1, 6, 5, 4])
    }

    func testAViewWithoutItsPartnerIsReadAloneWithAWarning() throws {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("mammo-suspicion-v1.onnx").path) else { throw XCTSkip("no Models/") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-pairing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        let src = repo.appendingPathComponent("SampleStudies/02_MG_ALICE_2026")
        for f in ["MG_RCC.dcm", "MG_RMLO.dcm", "MG_LMLO.dcm"] {   // no LCC
            try FileManager.default.copyItem(at: src.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        let study = try XCTUnwrap(StudyIndex.scan([dir.path], cache: nil).studies.first)
        let r = StudyAnalysis.analyze(study, catalog: try ModelCatalog(folder: models), options: .init(modelID: "mammo-suspicion-v1"))
        XCTAssertEqual(r.imageScores.count, 3)
        let warnings = r.runs.flatMap(\.warnings)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings.first?.hasPrefix("RCC was read without the other breast's same view") ?? false, "\(warnings)")
    }

    func testTheMammographyModelReadsTheViewBesideTheMirroredOtherBreast() throws {
        let models = repo.appendingPathComponent("Models")
        guard FileManager.default.fileExists(atPath: models.appendingPathComponent("mammo-suspicion-v1.onnx").path) else { throw XCTSkip("no Models/") }
        let entry = try XCTUnwrap(try ModelCatalog(folder: models).entries.first { $0.card.id == "mammo-suspicion-v1" })
        let details = entry.details
        guard details.contralateralChannel else { return XCTFail("the mammography card declares no contralateral_channel") }
        let analyzer = ImageAnalyzer(model: try Model.load(entry.url), card: entry.card, details: details)
        let h = try headers()
        let rcc = try ProjectionImage.load(h[0]), lcc = try ProjectionImage.load(h[1])
        let size = entry.card.preprocessing.resampleSize
        let plane = size[0] * size[1]
        let x = try analyzer.input(for: rcc, contralateral: lcc)
        guard x.count == 2 * plane else { return XCTFail("input has \(x.count) values, not 2 × \(plane)") }
        // (Boolean comparisons: a failing XCTAssertEqual would print 53,248 floats.)
        XCTAssertTrue(Array(x[..<plane]) == (try analyzer.input(for: rcc)), "channel 0 is the view")
        XCTAssertTrue(Array(x[plane...]) == ContralateralPairing.mirrored(try analyzer.input(for: lcc), width: size[1]),
                      "channel 1 is the other breast's same view, mirrored")
        XCTAssertFalse(Array(x[plane...]) == (try analyzer.input(for: lcc)), "mirroring changes the channel")
        let alone = try analyzer.input(for: rcc, contralateral: nil)
        XCTAssertTrue(Array(alone[plane...]) == Array(alone[..<plane]), "no other breast: the view repeats")
        // The partner changes what the model says about the view.
        let paired = try analyzer.run(rcc, contralateral: lcc), solo = try analyzer.run(rcc)
        XCTAssertFalse(paired.heatmap.values == solo.heatmap.values)
        // Inputs made up front for the batch (on all cores) are the ones `run` would make.
        let made = analyzer.inputs(for: [0: rcc, 1: lcc])
        let (ownR, ownL) = (try analyzer.input(for: rcc), try analyzer.input(for: lcc))
        XCTAssertTrue(made[0] == ownR && made[1] == ownL)
        let prepared = try analyzer.run(rcc, contralateral: lcc, prepared: (made[0], made[1]))
        XCTAssertTrue(prepared.heatmap.values == paired.heatmap.values)
    }
}
