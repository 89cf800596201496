import Foundation
import Imaging
@testable import Workstation
import XCTest

/// A brain MR study opens as DWI | ADC over FLAIR | T1, placed by sequence (not by Series
/// Description) as the stacks load, scrolling linked by position; the series keys then put any
/// series in the active viewport alone.
final class MRHangingTests: XCTestCase {
    private func openSample(_ folder: String) throws -> AppState {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleStudies/\(folder)").path
        let study = try XCTUnwrap(StudyIndex.scan([root], cache: nil).studies.first)
        var s = AppState(columns: 160, rows: 48, reader: "neuro")
        _ = update(&s, .studiesLoaded([study]))
        var pending = Fixtures.keys(&s, [.enter])
        // Deliver the stacks the way the runtime does, in the order asked for.
        while let effect = pending.first {
            pending.removeFirst()
            guard case let .loadSeries(uid) = effect, let series = study.series.first(where: { $0.seriesInstanceUID == uid }) else { continue }
            pending += update(&s, .seriesLoaded(ImageStack.load(series)))
        }
        return s
    }

    func testStrokeStudyHangsByAcquisitionAndScrollsTogether() throws {
        var s = try openSample("16_MR_BRAIN_GRETA_2026")
        XCTAssertEqual(s.viewer?.display.layout, .grid)
        let sequences = s.viewports.map { s.stacks[$0.stackUID]?.sequence }
        XCTAssertEqual(sequences, [.dwi, .adc, .flair, .t1])
        XCTAssertTrue(s.viewer?.display.link.scroll ?? false)
        // Scrolling the DWI moves the others to the same height (within half a slice of each).
        for _ in 0 ..< 3 { _ = Fixtures.keys(&s, [.char("j")]) }
        let vps = s.viewports
        let z = try vps.map { try XCTUnwrap($0.plane?.origin[2]) }
        for (k, vp) in vps.enumerated().dropFirst() {
            let spacing = s.stacks[vp.stackUID]?.sliceSpacing ?? 1
            XCTAssertLessThanOrEqual(abs(z[k] - z[0]), spacing / 2 + 1e-6, "viewport \(k + 1) at z \(z[k]), DWI at \(z[0])")
        }
    }

    func testSeriesKeysChangeOnlyTheActiveViewport() throws {
        var s = try openSample("16_MR_BRAIN_GRETA_2026")
        let before = s.viewports.map(\.stackUID)
        _ = Fixtures.keys(&s, [.char("w"), .char("w"), .char(">")])   // the third viewport (FLAIR)
        let after = s.viewports.map(\.stackUID)
        XCTAssertEqual(after[0], before[0]); XCTAssertEqual(after[1], before[1]); XCTAssertEqual(after[3], before[3])
        XCTAssertNotEqual(after[2], before[2])
        XCTAssertFalse(s.viewer?.display.mrHanging ?? true, "a series placed by hand ends the automatic placement")
    }
}

/// A DWI series holds b0 and b1000 files at the same positions: opened on its own it shows the
/// b1000 stack from that stack's middle slice, not from the middle of all its files (its last).
final class MultiStackOpeningTests: XCTestCase {
    func testDWIOpenedAloneStartsAtItsStacksMiddle() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("SampleStudies/16_MR_BRAIN_GRETA_2026").path
        let study = try XCTUnwrap(StudyIndex.scan([root], cache: nil).studies.first)
        let dwi = try XCTUnwrap(study.series.first { $0.first.seriesDescription == "DWI AX" })
        var s = AppState(columns: 160, rows: 48, reader: "neuro")
        _ = update(&s, .studiesLoaded([study]))
        _ = openStudy(&s, study.studyInstanceUID, seriesUID: dwi.seriesInstanceUID, slice: dwi.instances.count / 2)
        _ = update(&s, .seriesLoaded(ImageStack.load(dwi)))
        XCTAssertEqual(s.currentSeries?.seriesInstanceUID, dwi.seriesInstanceUID)
        XCTAssertEqual(s.currentSlice, 12, "24 b1000 slices: the middle is 12, not the last (23)")
    }
}
