import XCTest
@testable import Imaging

/// `ScanPlan.byteOrder`, the sort the store's merge join depends on, against a plain byte-wise
/// sort: keys that tie in their first 8 and 16 bytes after the common prefix, keys that are
/// prefixes of others, bytes above 0x7F, and duplicates (stable: input order).
final class ScanPlanOrderTests: XCTestCase {
    func testRankedOrderIsTheByteOrderOfTheKeys() {
        var keys: [String] = []
        var rng = SystemRandomNumberGenerator()
        let pieces = ["PAT0000/", "PAT0001/", "ST000001/", "ST00000/", "IM", "IM0001.dcm", "é", "e\u{301}", "", "a", "z/"]
        for _ in 0 ..< 2000 {
            var key = "/archive/"
            for _ in 0 ..< Int.random(in: 0 ... 5, using: &rng) { key += pieces.randomElement(using: &rng)! }
            keys.append(key)
        }
        keys += ["/archive/", "/archive/PAT0000/ST000001/IM0001.dcm", "/archive/PAT0000/ST000001/IM0001.dcm"]
        let expected = keys.indices.sorted { a, b in
            let c = ByteOrder.compare(keys[a], keys[b])
            return c != 0 ? c < 0 : a < b
        }
        XCTAssertEqual(ScanPlan.byteOrder(keys), expected)
    }
}
