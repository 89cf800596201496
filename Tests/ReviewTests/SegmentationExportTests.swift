import Analysis
import DICOM
import Foundation
import XCTest
@testable import Review

/// The SEG's pieces without files: bit packing across frames, the AI masks from heatmaps (3-D
/// component across slices, 2-D half-maximum region in the box), and the frames and segments the
/// document writes. `Tests/Conformance/seg_export.py` checks real studies with dciodvfy and highdicom.
final class SegmentationExportTests: XCTestCase {
    let model = ModelIdentity(id: "lung-nodule", version: "1.2", sha256: "ab")

    func testFramesPackAsOneBitStreamLeastSignificantBitFirst() {
        // Two 3×3 frames: 18 bits, frame 2 starts at bit 9 (inside the second byte); padded to even length.
        let a: [UInt8] = [1, 0, 0, 0, 1, 0, 0, 0, 1], b: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0, 1]
        XCTAssertEqual(BinaryFramePacking.pack([a, b]), [0b0001_0001, 0b0000_0111, 0b0000_0010, 0])
    }

    func slice(_ sop: String, z: Double) -> SegmentationSourceImage {
        SegmentationSourceImage(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: sop, seriesInstanceUID: "9.1",
                                rows: 4, columns: 4,
                                plane: ImagePlane(origin: [0, 0, z], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [1, 1],
                                                  frameOfReferenceUID: "9.9")!, sliceThickness: 2)
    }

    /// Three slices listed out of order; a blob at p 0.9 on slices z=0 and z=2 (diagonal neighbours)
    /// and a separate one at the far corner of z=0 that is not part of the finding.
    func volumeAnalysis() -> (AnalysisDocument, [String: SegmentationSourceImage]) {
        var maps: [String: [Float]] = ["1.0": .init(repeating: 0, count: 16), "1.1": .init(repeating: 0, count: 16), "1.2": .init(repeating: 0, count: 16)]
        maps["1.1"]![5] = 0.9; maps["1.1"]![6] = 0.7
        maps["1.2"]![10] = 0.6
        maps["1.1"]![12] = 0.95
        let images = ["1.0": slice("1.0", z: 4), "1.1": slice("1.1", z: 0), "1.2": slice("1.2", z: 2)]
        var f = Finding(label: "solid nodule", probability: 0.9, risk: .high, centerMM: [1, 1, 0], diameterMM: 3,
                        sopInstanceUID: "1.1", centerPX: [1, 1], bboxPX: [0, 0, 3, 3], ood: false, model: model)
        f.id = "1.1:1"; f.sliceRange = [0, 1]
        let doc = AnalysisDocument(findings: [f], heatmaps: maps.map {
            ModelGridHeatmap(sopInstanceUID: $0.key, width: 4, height: 4, values: $0.value, sourceColumns: 4, sourceRows: 4)
        })
        return (doc, images)
    }

    func testVolumeMaskIsTheComponentAcrossSlicesInPositionOrder() {
        let (doc, images) = volumeAnalysis()
        let masks = FindingMaskExtractor.masks(doc, images: images)
        XCTAssertEqual(masks.count, 1)
        XCTAssertEqual(masks[0].planes.map(\.sopInstanceUID), ["1.1", "1.2"])  // z 0 then z 2; s0 (z 4) is empty
        XCTAssertEqual(masks[0].planes[0].pixels.indices.filter { masks[0].planes[0].pixels[$0] == 1 }, [5, 6])  // not 12
        XCTAssertEqual(masks[0].planes[1].pixels.indices.filter { masks[0].planes[1].pixels[$0] == 1 }, [10])
    }

    func testImageMaskIsTheHalfMaximumRegionInsideTheBox() {
        var values = [Float](repeating: 0.1, count: 16)
        values[0] = 0.8; values[1] = 0.5; values[2] = 0.39; values[3] = 0.9  // 3 is outside the box
        let img = SegmentationSourceImage(sopClassUID: "1.2.840.10008.5.1.4.1.1.1.2", sopInstanceUID: "m1", seriesInstanceUID: "9.2",
                                          rows: 4, columns: 4)
        var f = Finding(label: "mass", probability: 0.8, risk: .high, centerMM: [], diameterMM: nil, sopInstanceUID: "m1",
                        centerPX: [0, 0], bboxPX: [0, 0, 3, 2], ood: false, model: model)
        f.id = "m1:1"
        let doc = AnalysisDocument(findings: [f], heatmaps: [ModelGridHeatmap(sopInstanceUID: "m1", width: 4, height: 4, values: values,
                                                                             sourceColumns: 4, sourceRows: 4)])
        let masks = FindingMaskExtractor.masks(doc, images: ["m1": img])
        XCTAssertEqual(masks.first?.planes.first.map { p in p.pixels.indices.filter { p.pixels[$0] == 1 } }, [0, 1])
    }

    func testDocumentWritesOneFramePerSegmentAndImageWithItsPosition() throws {
        let (doc, images) = volumeAnalysis()
        var header = WritableDataSet()
        header.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2")
        header.set(.sopInstanceUID, .UI, "1.1")
        header.set(.studyInstanceUID, .UI, "1.2.3")
        header.set(.modality, .CS, "CT")
        let source = try DICOMFile.parse(try Part10Writer.data(header)).dataSet
        let masks = FindingMaskExtractor.masks(doc, images: images)
        let seg = SegmentationDocument(segments: masks.map { .init(mask: $0, description: "test") }, images: images, source: source)
        let back = try DICOMFile.parse(try seg.data()).dataSet
        XCTAssertEqual(back.string(.sopClassUID), SegmentationCodes.segmentationStorageClassUID)
        XCTAssertEqual(back.string(.numberOfFrames), "2")
        XCTAssertEqual(back.string(.frameOfReferenceUID), "9.9")
        let frames = back.sequence(Tag(0x5200, 0x9230))
        XCTAssertEqual(frames.count, 2)
        XCTAssertEqual(frames.last.flatMap { $0.sequence(Tag(0x0020, 0x9113)).first?.doubles(.imagePositionPatient) }, [0, 0, 2])
        let segment = back.sequence(Tag(0x0062, 0x0002)).first
        XCTAssertEqual(segment?.string(Tag(0x0062, 0x0008)), "AUTOMATIC")
        XCTAssertEqual(segment?.string(Tag(0x0062, 0x0020)), "1.1:1")
        // No mask, no document.
        XCTAssertThrowsError(try SegmentationDocument(segments: [], images: images, source: source).dataSet())
    }
}
