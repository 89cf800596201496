import XCTest
@testable import Imaging

/// Rows, columns, slices and samples come from file headers: a buffer that does not match them
/// is a thrown `ImageBufferError`, never a trap.
final class ImageBufferSizeTests: XCTestCase {
    func testDisplayImageRejectsBuffersThatDoNotMatch() {
        XCTAssertThrowsError(try DisplayImage(width: 2, height: 2, channels: 1, pixels: [0])) { error in
            XCTAssertEqual(error as? ImageBufferError, .elementCount(expected: 4, actual: 1))
        }
        XCTAssertThrowsError(try DisplayImage(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 0])) { error in
            XCTAssertEqual(error as? ImageBufferError, .unsupportedChannels(4))
        }
        XCTAssertThrowsError(try DisplayImage(width: Int.max, height: Int.max, channels: 3, pixels: []))
        XCTAssertNoThrow(try DisplayImage(width: 2, height: 1, channels: 3, pixels: [1, 2, 3, 4, 5, 6]))
    }

    func testVolumeRejectsVoxelsOrUIDsThatDoNotMatch() {
        let spacing = (column: 1.0, row: 1.0, slice: 1.0)
        XCTAssertThrowsError(try Volume(columns: 2, rows: 2, slices: 2, voxels: [Float](repeating: 0, count: 7),
                                        spacing: spacing, sopInstanceUIDs: ["a", "b"])) { error in
            XCTAssertEqual(error as? ImageBufferError, .elementCount(expected: 8, actual: 7))
        }
        XCTAssertThrowsError(try Volume(columns: 1, rows: 1, slices: 2, voxels: [0, 0], spacing: spacing, sopInstanceUIDs: ["a"])) { error in
            XCTAssertEqual(error as? ImageBufferError, .sliceCount(expected: 2, actual: 1))
        }
        XCTAssertThrowsError(try Volume(columns: -1, rows: 1, slices: 1, voxels: [], spacing: spacing, sopInstanceUIDs: ["a"]))
        XCTAssertNoThrow(try Volume(columns: 1, rows: 1, slices: 2, voxels: [0, 0], spacing: spacing, sopInstanceUIDs: ["a", "b"]))
    }
}
