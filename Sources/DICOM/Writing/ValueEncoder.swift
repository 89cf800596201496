/// Turns one element's value into the bytes PS3.5 prescribes for its VR, little endian, padded to even
/// length: text with a trailing space, UI and OB/UN with a trailing NUL (PS3.5 §6.2, §7.1).
///
/// Text in the VRs governed by Specific Character Set is written as UTF-8 (the data set then declares
/// ISO_IR 192); every other text VR must be plain printable ASCII, and UI values must be valid UIDs.
struct ValueEncoder {
    /// Non-ASCII text is allowed (the data set declares ISO_IR 192).
    var unicode: Bool

    /// Longest value, in characters, of each text VR that has a limit (PS3.5 Table 6.2-1).
    static func maxLength(_ vr: VR) -> Int? {
        switch vr {
        case .AE: 16; case .AS: 4; case .CS: 16; case .DA: 8; case .DS: 16; case .DT: 26; case .IS: 12
        case .LO: 64; case .LT: 10240; case .SH: 16; case .ST: 1024; case .TM: 16; case .UI: 64
        default: nil
        }
    }

    func encode(_ value: WritableValue, vr: VR, tag: Tag) throws -> [UInt8] {
        var out: [UInt8]
        switch (value, vr) {
        case (.sequence, _):
            throw DICOMWriteError.valueDoesNotFitVR(tag: tag, vr: vr.code)
        case let (.text(values), _) where vr.isText:
            out = try encodeText(values, vr: vr, tag: tag)
        case let (.bytes(b), _) where !vr.isText && vr != .SQ:
            out = b
        case let (.uint16(v), .US), let (.uint16(v), .OW):
            out = v.flatMap { le($0) }
        case let (.int16(v), .SS):
            out = v.flatMap { le(UInt16(bitPattern: $0)) }
        case let (.uint32(v), .UL), let (.uint32(v), .OL):
            out = v.flatMap { le($0) }
        case let (.int32(v), .SL):
            out = v.flatMap { le(UInt32(bitPattern: $0)) }
        case let (.float32(v), .FL), let (.float32(v), .OF):
            out = v.flatMap { le($0.bitPattern) }
        case let (.float64(v), .FD), let (.float64(v), .OD):
            out = v.flatMap { le($0.bitPattern) }
        case let (.tags(v), .AT):
            out = v.flatMap { le($0.group) + le($0.element) }
        default:
            throw DICOMWriteError.valueDoesNotFitVR(tag: tag, vr: vr.code)
        }
        if out.count % 2 == 1 { out.append(vr == .UI || !vr.isText ? 0x00 : 0x20) }
        return out
    }

    private func encodeText(_ values: [String], vr: VR, tag: Tag) throws -> [UInt8] {
        if vr.isSingleValuedText && values.count > 1 { throw DICOMWriteError.valueDoesNotFitVR(tag: tag, vr: vr.code) }
        for v in values {
            if let max = Self.maxLength(vr), v.count > max {
                throw DICOMWriteError.valueTooLong(tag: tag, vr: vr.code, length: v.utf8.count)
            }
            if !vr.isSingleValuedText && v.contains("\\") {
                throw DICOMWriteError.invalidCharacters(tag: tag, vr: vr.code, value: v)
            }
            for s in v.unicodeScalars {
                let allowedControl = (vr == .LT || vr == .ST || vr == .UT) && (s == "\r" || s == "\n" || s == "\u{0C}" || s == "\t")
                if s.value < 0x20 && !allowedControl || s.value == 0x7F {
                    throw DICOMWriteError.invalidCharacters(tag: tag, vr: vr.code, value: v)
                }
                if s.value > 0x7F && !(vr.usesSpecificCharacterSet && unicode) {
                    throw DICOMWriteError.invalidCharacters(tag: tag, vr: vr.code, value: v)
                }
            }
            if vr == .UI && !UIDGenerator.isValid(v) {
                throw DICOMWriteError.invalidCharacters(tag: tag, vr: vr.code, value: v)
            }
        }
        return Array(values.joined(separator: "\\").utf8)
    }

    private func le(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    private func le(_ v: UInt32) -> [UInt8] { (0 ..< 4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    private func le(_ v: UInt64) -> [UInt8] { (0 ..< 8).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) } }
}
