import DICOM
import Foundation

/// libFuzzer entry point: parse arbitrary bytes as DICOM (strict and lenient), then format every
/// element and decode up to two frames. Any trap, sanitizer report or leak is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func lightboxFuzzDICOM(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    for lenient in [false, true] {
        guard let file = try? DICOMFile.parse(data, source: "fuzz", options: .init(memoryMapped: false, lenient: lenient)) else { continue }
        _ = DataSetDump.lines(file)
        if let reader = try? PixelDataReader(file) {
            for f in 0 ..< min(2, reader.frameCount) { _ = try? reader.frame(f).floatValues() }
        }
    }
    return 0
}
