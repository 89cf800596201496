import ByteWriting

/// Builds the 128-byte preamble, "DICM" and the File Meta Information group (PS3.10 §7.1) for an
/// instance received over the network, so the received data-set bytes can follow unchanged.
public enum Part10Header {
    public static func bytes(sopClassUID: String, sopInstanceUID: String, transferSyntaxUID: String,
                             sourceAETitle: String?) -> [UInt8] {
        var group = ByteWriter(reservingCapacity: 256)
        element(&group, 0x0001, "OB", [0x00, 0x01])
        element(&group, 0x0002, "UI", uid(sopClassUID))
        element(&group, 0x0003, "UI", uid(sopInstanceUID))
        element(&group, 0x0010, "UI", uid(transferSyntaxUID))
        element(&group, 0x0012, "UI", uid(AssociationPolicy.implementationClassUID))
        element(&group, 0x0013, "SH", text(AssociationPolicy.implementationVersionName))
        if let ae = sourceAETitle, !ae.isEmpty { element(&group, 0x0016, "AE", text(String(ae.prefix(16)))) }
        var out = ByteWriter(reservingCapacity: 128 + 4 + 12 + group.count)
        out.append(0, count: 128)
        out.appendUTF8("DICM")
        var lengthValue = ByteWriter()
        lengthValue.appendLittleEndian(UInt32(group.count))
        element(&out, 0x0000, "UL", lengthValue.bytes)
        out.append(contentsOf: group.bytes)
        return out.bytes
    }

    private static func uid(_ s: String) -> [UInt8] {
        var b = Array(s.utf8)
        if b.count % 2 == 1 { b.append(0) }
        return b
    }

    private static func text(_ s: String) -> [UInt8] {
        var b = Array(s.utf8)
        if b.count % 2 == 1 { b.append(0x20) }
        return b
    }

    /// Explicit VR little endian; OB uses the 4-byte length form.
    private static func element(_ out: inout ByteWriter, _ elementNumber: UInt16, _ vr: String, _ value: [UInt8]) {
        out.appendLittleEndian(UInt16(0x0002))
        out.appendLittleEndian(elementNumber)
        out.appendUTF8(vr)
        if vr == "OB" {
            out.append(0, count: 2)
            out.appendLittleEndian(UInt32(value.count))
        } else {
            out.appendLittleEndian(UInt16(value.count))
        }
        out.append(contentsOf: value)
    }
}
