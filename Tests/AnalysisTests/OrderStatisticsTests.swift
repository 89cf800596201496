import XCTest
@testable import Analysis

/// Percentiles by selection must equal numpy's (sorted, linear interpolation) exactly: the models
/// were trained on those.
final class OrderStatisticsTests: XCTestCase {
    func testSelectionEqualsSorting() {
        var rng = SplitMix64(seed: 11)
        for (count, distinct) in [(1, 1), (2, 2), (7, 3), (1000, 5), (5000, 4096), (4097, 1)] {
            let values = (0 ..< count).map { _ in Float(rng.next() % UInt64(distinct)) - 17.5 }
            let sorted = values.sorted()
            let ranks = [0, count / 3, count / 2, count - 1, count / 2, count / 100]
            XCTAssertEqual(OrderStatistics.select(values, ranks: ranks), ranks.map { sorted[$0] }, "\(count) values, \(distinct) distinct")
        }
        // Already sorted and reversed input (the cases a fixed pivot degrades on).
        let ramp = (0 ..< 3000).map(Float.init)
        XCTAssertEqual(OrderStatistics.select(ramp, ranks: [0, 1499, 2999]), [0, 1499, 2999])
        XCTAssertEqual(OrderStatistics.select(Array(ramp.reversed()), ranks: [7, 2000]), [7, 2000])
    }

    func testPercentilesMatchTheSortedDefinition() {
        var rng = SplitMix64(seed: 5)
        let image = (0 ..< 20_001).map { _ in Float(rng.next() % 4096) }
        let sorted = image.sorted()
        let qs = [0.0, 0.5, 1, 50, 99, 99.5, 100]
        let expected = qs.map { Float(ImageResampling.percentile(sorted: sorted, $0)) }
        XCTAssertEqual(ImageResampling.percentiles(image, qs), expected)
    }
}
