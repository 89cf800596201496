import DICOM
import DICOMweb
import Foundation

/// libFuzzer entry point for the DICOM JSON decoder (QIDO-RS results, WADO-RS metadata): decode
/// arbitrary bytes, then read every element through the typed accessors, items included.
@_cdecl("LLVMFuzzerTestOneInput")
public func lightboxFuzzDICOMJSON(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let objects = try? DICOMJSONDecoder.decodeArray(data) else { return 0 }
    for o in objects { visit(o, depth: 0) }
    return 0
}

private func visit(_ o: DICOMJSONObject, depth: Int) {
    guard depth < 64 else { return }
    for tag in o.elements.keys {
        _ = o.string(tag); _ = o.strings(tag); _ = o.int(tag)
        for item in o.items(tag) { visit(item, depth: depth + 1) }
    }
}
