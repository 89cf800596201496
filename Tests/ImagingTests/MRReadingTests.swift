import DICOM
import Foundation
import Imaging
import XCTest

/// Frame stacks, sequence identity and unit-free windowing (the Enhanced MR object as a whole is
/// checked against pydicom and DCMTK in Tests/Conformance/enhanced_mr.py).
final class MRReadingTests: XCTestCase {
    private func frame(_ i: Int, z: Double?, b: Double? = nil, type: [String] = [], inStack: Int? = nil) -> FrameAttributes {
        var a = FrameAttributes(index: i)
        if let z { a.imagePosition = [0, 0, z]; a.imageOrientation = [1, 0, 0, 0, 1, 0] }
        a.diffusionBValue = b
        a.imageType = type
        a.inStackPosition = inStack
        return a
    }

    func testDiffusionFramesSplitByBValueAndSortAlongTheNormal() {
        let frames = [frame(0, z: 10, b: 1000), frame(1, z: 0, b: 0), frame(2, z: 0, b: 1000), frame(3, z: 10, b: 0),
                      frame(4, z: 5, b: 0), frame(5, z: 5, b: 1000)]
        let stacks = FrameStacks.split(frames)
        XCTAssertEqual(stacks.map(\.label), ["b=1000", "b=0"])
        XCTAssertEqual(stacks.map(\.frames), [[2, 5, 0], [1, 4, 3]])
    }

    func testADCMapIsItsOwnStackAndWithoutPositionsInStackNumberOrders() {
        let frames = [frame(0, z: nil, type: ["DERIVED", "ADC"], inStack: 2), frame(1, z: nil, inStack: 2),
                      frame(2, z: nil, type: ["DERIVED", "ADC"], inStack: 1), frame(3, z: nil, inStack: 1)]
        let stacks = FrameStacks.split(frames)
        XCTAssertEqual(stacks.count, 2)
        XCTAssertEqual(stacks[0].label, "ADC")
        XCTAssertEqual(stacks[0].frames, [2, 0])
        XCTAssertEqual(stacks[1].frames, [3, 1])
    }

    func testSequenceIdentityIgnoresDescriptionAndFollowsTheRule() {
        var flair = FrameAttributes(index: 0)
        flair.repetitionTime = 9000; flair.echoTime = 120; flair.inversionTime = 2500
        XCTAssertEqual(MRSequenceKind.identify(flair, scanningSequence: ["SE", "IR"]), .flair)
        var t1 = FrameAttributes(index: 0)
        t1.repetitionTime = 550; t1.echoTime = 10
        XCTAssertEqual(MRSequenceKind.identify(t1), .t1)
        var unknown = FrameAttributes(index: 0)
        unknown.repetitionTime = 1200; unknown.echoTime = 50
        XCTAssertEqual(MRSequenceKind.identify(unknown), .other)
        XCTAssertEqual(MRSequenceKind.identify(unknown, acquisitionContrast: "T2"), .t2, "the Enhanced MR header decides when timing cannot")
        var dwi = FrameAttributes(index: 0)
        dwi.diffusionBValue = 800
        XCTAssertEqual(MRSequenceKind.identify(dwi), .dwi)
    }

    func testRobustWindowIgnoresAirAndOutliers() throws {
        // Half the voxels air (0), tissue uniform in 200...600, a handful of bright artefacts.
        var values = [Float](repeating: 0, count: 5000)
        values += (0 ..< 5000).map { Float(200 + ($0 % 401)) }
        values += [Float](repeating: 30_000, count: 5)
        let w = try XCTUnwrap(RobustWindow.window(values))
        XCTAssertEqual(w.center - w.width / 2, 202, accuracy: 3)
        XCTAssertEqual(w.center + w.width / 2, 598, accuracy: 3)
        XCTAssertNil(RobustWindow.window([Float](repeating: 7, count: 100)), "a flat series has no window")
    }

    func testFunctionalGroupsReadPerFrameBeforeShared() throws {
        var shared = WritableDataSet()
        var measures = WritableDataSet()
        measures.set(.pixelSpacing, .DS, strings: ["0.5", "0.75"])
        shared.set(.pixelMeasuresSequence, sequence: [measures])
        var position = WritableDataSet()
        position.set(.imagePositionPatient, .DS, strings: ["1", "2", "3"])
        var override = WritableDataSet()
        override.set(.pixelSpacing, .DS, strings: ["2", "2"])
        var frame0 = WritableDataSet(), frame1 = WritableDataSet()
        frame0.set(.planePositionSequence, sequence: [position])
        frame1.set(.pixelMeasuresSequence, sequence: [override])
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.4.1")
        ds.set(.sopInstanceUID, .UI, "1.2.3.4")
        ds.set(.numberOfFrames, .IS, "3")  // one more frame than per-frame items: it gets the shared values
        ds.set(.sharedFunctionalGroupsSequence, sequence: [shared])
        ds.set(.perFrameFunctionalGroupsSequence, sequence: [frame0, frame1])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fg-\(UUID().uuidString).dcm")
        defer { try? FileManager.default.removeItem(at: url) }
        try Part10Writer.write(ds, to: url)
        let frames = FunctionalGroups.frames(of: try DICOMFile.read(url).dataSet)
        XCTAssertEqual(frames.count, 3)
        XCTAssertEqual(frames[0].imagePosition, [1, 2, 3])
        XCTAssertEqual(frames[0].pixelSpacing, [0.5, 0.75])
        XCTAssertEqual(frames[1].pixelSpacing, [2, 2])
        XCTAssertEqual(frames[1].imagePosition, [])
        XCTAssertEqual(frames[2].pixelSpacing, [0.5, 0.75])
    }
}
