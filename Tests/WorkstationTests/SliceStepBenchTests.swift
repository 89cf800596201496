import XCTest
import SliceStepBench
@testable import Workstation

/// The slice-step benchmark (Benchmarks/SliceStepBench) over a synthetic CT: it must resample
/// and time every step, or `make bench` reports numbers for nothing.
final class SliceStepBenchTests: XCTestCase {
    func testBenchmarkResamplesAndReportsEveryStep() {
        let (study, stack) = Fixtures.ctStudy(slices: 5)
        let thin = SliceStepBenchmark.resample(stack, to: 13)
        XCTAssertEqual(thin.frames.count, 13)
        XCTAssertEqual(thin.sliceSpacing ?? 0, 2.0 * 4 / 12, accuracy: 1e-9)
        let r = SliceStepBenchmark.run(study: study, stack: thin, graphics: .blocks, columns: 80, rows: 24)
        XCTAssertEqual(r.steps, 12)
        XCTAssertGreaterThan(r.meanBytes, 0)
        XCTAssertGreaterThan(r.firstFrameBytes, Int(r.meanBytes))
    }
}
