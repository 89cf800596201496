import Foundation
import Imaging
import XCTest
@testable import Workstation

/// `lightbox open` on a NIfTI file: the viewer's stack is the volume's slices, one stack, in order
/// along the normal, with the reader's geometry and an MR window.
final class NIfTIStackTests: XCTestCase {
    func testNIfTIFileOpensAsOneVolumeStack() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/nifti/float32_qform_only.nii").path
        let index = StudyIndex.scan([path])
        let series = try XCTUnwrap(index.studies.first?.series.first)
        let stack = ImageStack.load(series)
        XCTAssertTrue(stack.failures.isEmpty, "\(stack.failures)")
        XCTAssertEqual(stack.frames.count, 4)
        XCTAssertTrue(stack.isVolume)
        XCTAssertEqual(try XCTUnwrap(stack.sliceSpacing), 3.0, accuracy: 1e-4)
        let volume = try NIfTIReader.read(path: path).volume
        for (z, f) in stack.frames.enumerated() {
            XCTAssertEqual(f.values, Array(volume.slice(z)))
            XCTAssertEqual(f.position, volume.patientPosition(column: 0, row: 0, slice: Double(z)))
            XCTAssertNotNil(f.fileWindow, "MR frames get a robust window")
        }
    }
}
