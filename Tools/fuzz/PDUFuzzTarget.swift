import DICOMNetwork
import Foundation

/// libFuzzer entry point for the DICOM upper-layer decoders the storage SCP runs on bytes from the
/// network: PDU frames (any type, then re-encoded), and the DIMSE command set, both on the raw input
/// and on the command fragments of decoded P-DATA-TF PDUs.
@_cdecl("LLVMFuzzerTestOneInput")
public func lightboxFuzzPDU(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    var rest = bytes[...]
    var frames = 0
    while frames < 64, let (pdu, consumed) = (try? PDUDecoding.decodeFrame(Array(rest), maximumLength: 1 << 20)) ?? nil {
        _ = PDUEncoding.encode(pdu)
        if case .data(let pdvs) = pdu {
            for pdv in pdvs where pdv.isCommand {
                if let cs = try? CommandSet.decode(pdv.data) { exercise(cs) }
            }
        }
        rest = rest.dropFirst(consumed)
        frames += 1
    }
    if let cs = try? CommandSet.decode(bytes) { exercise(cs) }
    return 0
}

private func exercise(_ cs: CommandSet) {
    for f in [CommandSet.Field.affectedSOPClassUID, .commandField, .messageID, .status, .affectedSOPInstanceUID, .errorComment] {
        _ = cs.uint16(f); _ = cs.string(f)
    }
    _ = cs.hasDataSet
    _ = cs.encode()
    _ = Part10Header.bytes(sopClassUID: cs.string(.affectedSOPClassUID) ?? "", sopInstanceUID: cs.string(.affectedSOPInstanceUID) ?? "",
                           transferSyntaxUID: "1.2.840.10008.1.2.1", sourceAETitle: cs.string(.errorComment))
}
