import Foundation
import XCTest
@testable import DICOMweb

final class InstanceCacheTests: XCTestCase {
    func testLeastRecentlyUsedEntriesAreEvictedToFitTheLimit() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = try InstanceCache(root: root, limitBytes: 2500)
        try cache.insert(Data(repeating: 1, count: 1000), sopInstanceUID: "1.1")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -100)], ofItemAtPath: root.appendingPathComponent("1.1.dcm").path)
        try cache.insert(Data(repeating: 2, count: 1000), sopInstanceUID: "1.2")
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: -50)], ofItemAtPath: root.appendingPathComponent("1.2.dcm").path)
        XCTAssertNotNil(cache.load("1.1"))  // touches 1.1: now 1.2 is the oldest
        try cache.insert(Data(repeating: 3, count: 1000), sopInstanceUID: "1.3")
        XCTAssertLessThanOrEqual(cache.size, 2500)
        XCTAssertNil(cache.load("1.2"))
        XCTAssertEqual(cache.load("1.1"), Data(repeating: 1, count: 1000))
        XCTAssertEqual(cache.load("1.3"), Data(repeating: 3, count: 1000))
        XCTAssertNil(cache.load("../etc/passwd"))
    }
}
