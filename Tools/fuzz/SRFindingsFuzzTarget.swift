import DICOM
import Foundation
import Review

/// libFuzzer entry point for the SR findings reader: arbitrary bytes parsed leniently as DICOM, then
/// `SRFindingsReader.read` with two image planes so the SCOORD3D projection runs too.
@_cdecl("LLVMFuzzerTestOneInput")
public func lightboxFuzzSRFindings(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let file = try? DICOMFile.parse(data, source: "fuzz", options: .init(memoryMapped: false, lenient: true)) else { return 0 }
    _ = try? SRFindingsReader.read(file, planes: fuzzPlanes)
    _ = try? SRFindingsReader.read(file)
    return 0
}

private let fuzzPlanes: [String: ImagePlane] = {
    var p: [String: ImagePlane] = [:]
    p["1.2.3.4"] = ImagePlane(origin: [0, 0, 0], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [0.5, 0.5], frameOfReferenceUID: "")
    p["1.2.3.5"] = ImagePlane(origin: [-100, 20, 35.5], orientation: [0, 1, 0, 0, 0, -1], pixelSpacing: [0.7, 0.8], frameOfReferenceUID: "1.2.3")
    return p
}()
