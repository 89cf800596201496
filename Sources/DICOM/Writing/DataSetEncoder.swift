/// Encodes a `WritableDataSet` as the element stream of a little-endian transfer syntax: explicit VR
/// (the default) or implicit VR. Sequences and items are written with defined lengths, so readers never
/// need delimiters.
///
/// When any text in a VR governed by Specific Character Set is non-ASCII, the top-level data set is
/// written with (0008,0005) `ISO_IR 192` (UTF-8) unless it already names a character set; a data set
/// that names another character set must then hold only ASCII text, or encoding fails.
public struct DataSetEncoder: Sendable {
    public let explicitVR: Bool

    /// Supports Explicit and Implicit VR Little Endian; other syntaxes are refused.
    public init(syntax: TransferSyntax = .explicitVRLittleEndian) throws {
        guard syntax.byteOrder == .little, !syntax.deflated, !syntax.encapsulated else {
            throw DICOMWriteError.valueDoesNotFitVR(tag: .transferSyntaxUID, vr: syntax.uid)
        }
        explicitVR = syntax.explicitVR
    }

    /// The bytes of `dataSet`, with Specific Character Set added where its text needs it.
    public func encode(_ dataSet: WritableDataSet) throws -> [UInt8] {
        var ds = dataSet
        let needsUnicode = Self.hasNonASCIIText(ds)
        let declared = ds.string(.specificCharacterSet) ?? ""
        if needsUnicode && declared.isEmpty { ds.set(.specificCharacterSet, .CS, "ISO_IR 192") }
        let unicode = (ds.string(.specificCharacterSet) ?? "") == "ISO_IR 192"
        var out: [UInt8] = []
        try append(ds, to: &out, values: ValueEncoder(unicode: unicode))
        return out
    }

    /// True when some text governed by Specific Character Set, at any depth, is outside ASCII.
    static func hasNonASCIIText(_ ds: WritableDataSet) -> Bool {
        for (_, e) in ds.elements {
            switch e.value {
            case let .text(values) where e.vr.usesSpecificCharacterSet:
                if values.contains(where: { $0.utf8.contains { $0 > 0x7F } }) { return true }
            case let .sequence(items):
                if items.contains(where: hasNonASCIIText) { return true }
            default: break
            }
        }
        return false
    }

    private func append(_ ds: WritableDataSet, to out: inout [UInt8], values: ValueEncoder) throws {
        for (tag, e) in ds.sorted {
            // Group lengths outside the file meta group are retired; never write stale ones.
            if tag.isGroupLength && tag.group != 0x0002 { continue }
            if case let .sequence(items) = e.value {
                guard e.vr == .SQ else { throw DICOMWriteError.valueDoesNotFitVR(tag: tag, vr: e.vr.code) }
                var body: [UInt8] = []
                for item in items {
                    var itemBytes: [UInt8] = []
                    try append(item, to: &itemBytes, values: values)
                    try header(.item, vr: nil, length: itemBytes.count, to: &body)
                    body += itemBytes
                }
                try header(tag, vr: .SQ, length: body.count, to: &out)
                out += body
            } else {
                let bytes = try values.encode(e.value, vr: e.vr, tag: tag)
                try header(tag, vr: e.vr, length: bytes.count, to: &out)
                out += bytes
            }
        }
    }

    /// Tag, VR (explicit syntaxes) and length; items (`vr` nil) have no VR in any syntax.
    private func header(_ tag: Tag, vr: VR?, length: Int, to out: inout [UInt8]) throws {
        guard length < 0xFFFF_FFFF else { throw DICOMWriteError.valueTooLong(tag: tag, vr: vr?.code ?? "item", length: length) }
        out += le16(tag.group) + le16(tag.element)
        guard let vr, explicitVR else {
            out += le32(UInt32(length))
            return
        }
        out += Array(vr.code.utf8)
        if vr.hasLongLength {
            out += [0, 0] + le32(UInt32(length))
        } else {
            guard length <= 0xFFFE else { throw DICOMWriteError.valueTooLong(tag: tag, vr: vr.code, length: length) }
            out += le16(UInt16(length))
        }
    }

    private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le32(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
}
