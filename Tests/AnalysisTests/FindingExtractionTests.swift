import Foundation
import Imaging
import XCTest
@testable import Analysis

/// A synthetic CT volume with two spherical "nodules" and a heatmap marking them.
final class FindingExtractionTests: XCTestCase {
    private let model = ModelIdentity(id: "test", version: "1", sha256: String(repeating: "0", count: 64))

    private func sphereVolume() throws -> (Volume, [Float]) {
        let n = 64, slices = 40
        var voxels = [Float](repeating: -850, count: n * n * slices)
        var heat = [Float](repeating: 0, count: voxels.count)
        // Nodule A: radius 6 mm at (20, 20, 10) px; nodule B: radius 3 mm at (45, 40, 30). Spacing 0.5 × 0.5 × 1 mm.
        for (cx, cy, cz, r, p) in [(20.0, 20.0, 10.0, 6.0, Float(0.9)), (45.0, 40.0, 30.0, 3.0, Float(0.7))] {
            for z in 0 ..< slices { for y in 0 ..< n { for x in 0 ..< n {
                let d = (pow((Double(x) - cx) * 0.5, 2) + pow((Double(y) - cy) * 0.5, 2) + pow(Double(z) - cz, 2)).squareRoot()
                if d <= r { let i = (z * n + y) * n + x; voxels[i] = 40; heat[i] = p }
            } } }
        }
        let volume = try Volume(columns: n, rows: n, slices: slices, voxels: voxels, spacing: (column: 0.5, row: 0.5, slice: 1),
                            origin: [-16, -16, 100], sopInstanceUIDs: (0 ..< slices).map { "2.25.\($0)" })
        return (volume, heat)
    }

    func testComponentsAreSeparatedAndSortedByPeak() {
        let map: [Float] = [0.9, 0.9, 0, 0, 0.6,
                            0, 0.8, 0, 0, 0.6,
                            0, 0, 0, 0, 0]
        let comps = ComponentLabeler.components(map, columns: 5, rows: 3, threshold: 0.5)
        XCTAssertEqual(comps.count, 2)
        XCTAssertEqual(comps[0].voxels, [0, 1, 6])
        XCTAssertEqual(comps[1].voxels, [4, 9])
        XCTAssertEqual(ComponentLabeler.components(map, columns: 5, rows: 3, threshold: 0.5, minimumVoxels: 3).count, 1)
    }

    func testDiameterOfADisc() {
        var points: [(x: Int, y: Int)] = []
        for y in -20 ... 20 { for x in -20 ... 20 where x * x + y * y <= 400 { points.append((x, y)) } }
        let (long, short) = InPlaneDiameters.measure(points, columnSpacing: 0.5, rowSpacing: 0.5)
        XCTAssertEqual(long, 20.5, accuracy: 0.6)
        XCTAssertEqual(short, 20.5, accuracy: 0.6)
    }

    func testNodulesAreFoundMeasuredAndCategorised() throws {
        let (volume, heat) = try sphereVolume()
        let extractor = VolumeFindingExtractor(kind: .lungNodule, threshold: 0.5, model: model,
                                               patient: .init(age: 65, female: true))
        let findings = extractor.findings(volume: volume, probabilities: heat)
        XCTAssertEqual(findings.count, 2)
        let a = findings[0]
        XCTAssertEqual(a.probability, 0.9, accuracy: 1e-6)
        XCTAssertEqual(a.sopInstanceUID, "2.25.10")
        XCTAssertEqual(a.centerPX[0], 20, accuracy: 0.5)
        XCTAssertEqual(a.centerMM[0], -16 + 20 * 0.5, accuracy: 0.3)
        XCTAssertEqual(a.centerMM[2], 110, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(a.diameterMM), 12, accuracy: 1.0)
        XCTAssertEqual(try XCTUnwrap(a.volumeML), 4 / 3 * Double.pi * 0.216, accuracy: 0.1)
        XCTAssertEqual(a.label, "solid nodule")
        XCTAssertEqual(a.category, "4A")  // 12 mm solid
        XCTAssertEqual(a.sliceRange, [4, 16])
        XCTAssertNotNil(a.malignancyProbability)
        XCTAssertEqual(findings[1].category, "3")  // 6 mm solid
    }

    func testHaemorrhageVolumeAndJSONNames() throws {
        let (volume, heat) = try sphereVolume()
        let f = VolumeFindingExtractor(kind: .haemorrhage, threshold: 0.5, model: model).findings(volume: volume, probabilities: heat)[0]
        XCTAssertEqual(try XCTUnwrap(f.volumeABC2ML), try XCTUnwrap(f.volumeML), accuracy: 0.3 * f.volumeML!)
        XCTAssertEqual(f.risk, .high)
        let json = String(decoding: try JSONEncoder().encode(f), as: UTF8.self)
        for key in ["\"center_mm\"", "\"diameter_mm\"", "\"sop_instance_uid\"", "\"center_px\"", "\"volume_ml\"", "\"ood\""] {
            XCTAssertTrue(json.contains(key), "\(key) missing from \(json)")
        }
    }
}
