import Foundation
import Imaging
@testable import Workstation
import XCTest

/// MR series as the viewer loads them: a DWI series holding b0 and b1000 images at the same
/// positions shows one stack (b1000 first), never the two interleaved; an Enhanced MR object's
/// frames take their geometry from the functional groups and are ordered along the normal.
final class MRStackLoadingTests: XCTestCase {
    private func series(_ folder: String, description: String) throws -> StudyIndex.Series {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleStudies/\(folder)").path
        let index = StudyIndex.scan([root])
        return try XCTUnwrap(index.studies.first?.series.first { $0.first.seriesDescription == description })
    }

    private func assertDWIStack(_ stack: ImageStack, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(stack.stackLabels.count, 2, file: file, line: line)
        XCTAssertEqual(stack.stackDescription, "b=1000 (\(stack.stackIndex + 1) of 2)", file: file, line: line)
        XCTAssertEqual(stack.sequence, .dwi, file: file, line: line)
        XCTAssertEqual(stack.frames.count, 24, "one frame per slice position", file: file, line: line)
        let z = stack.frames.map { $0.position[2] }
        XCTAssertEqual(z, z.sorted(), file: file, line: line)
        XCTAssertEqual(Set(z).count, 24, "no position twice", file: file, line: line)
        XCTAssertEqual(try XCTUnwrap(stack.sliceSpacing), 5, accuracy: 1e-6, file: file, line: line)
        XCTAssertNotNil(stack.frames[0].fileWindow, "MR without a file window gets the series' robust window", file: file, line: line)
    }

    func testClassicDWISeriesShowsTheB1000StackInOrder() throws {
        let stack = ImageStack.load(try series("16_MR_BRAIN_GRETA_2026", description: "DWI AX"))
        try assertDWIStack(stack)
        XCTAssertEqual(Set(stack.frames.map(\.path)).count, 24)
        let b0 = ImageStack.load(try series("16_MR_BRAIN_GRETA_2026", description: "DWI AX"),
                                 stack: stack.stackIndex == 0 ? 1 : 0)
        XCTAssertEqual(b0.sequence, .dwiB0)
        XCTAssertGreaterThan(b0.frames[12].values.reduce(0, +), stack.frames[12].values.reduce(0, +),
                             "b0 is brighter than b1000 overall")
    }

    func testEnhancedDWIObjectSplitsIntoStacksWithPerFrameGeometry() throws {
        let stack = ImageStack.load(try series("17_MR_BRAIN_JONAS_2026", description: "DWI AX"))
        try assertDWIStack(stack)
        XCTAssertEqual(Set(stack.frames.map(\.path)).count, 1, "one Enhanced MR file")
        XCTAssertEqual(try XCTUnwrap(stack.frames[0].rowSpacing), 230.0 / 128, accuracy: 1e-3)
        let flair = ImageStack.load(try series("17_MR_BRAIN_JONAS_2026", description: "FLAIR AX"))
        XCTAssertEqual(flair.sequence, .flair)
        XCTAssertTrue(flair.stackLabels.isEmpty)
        XCTAssertEqual(flair.slicePositions?.count, 24)
    }
}

/// Views that differ only in orientation are not stacks: a screening mammogram's four views (each
/// with its own Image Orientation) all load, so the hanging protocol can place every one.
final class ProjectionSeriesLoadingTests: XCTestCase {
    func testMammogramFourViewsAllLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleStudies/02_MG_ALICE_2026").path
        let series = try XCTUnwrap(StudyIndex.scan([root]).studies.first?.series.first { $0.first.modality == "MG" })
        let stack = ImageStack.load(series)
        XCTAssertEqual(stack.frames.count, 4)
        XCTAssertEqual(Set(stack.frames.map { "\($0.laterality)\($0.viewPosition)" }), ["RCC", "LCC", "RMLO", "LMLO"])
        XCTAssertTrue(stack.stackLabels.isEmpty)
    }

    func testOnlyCrossSectionalModalitiesSplitIntoStacks() {
        XCTAssertFalse(ImageStack.splitsIntoStacks("MG"))
        XCTAssertFalse(ImageStack.splitsIntoStacks("dx"))
        XCTAssertTrue(ImageStack.splitsIntoStacks("MR"))
        XCTAssertTrue(ImageStack.splitsIntoStacks("CT"))
    }
}
