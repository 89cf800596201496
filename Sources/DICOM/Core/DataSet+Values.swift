import Foundation

/// Typed access to element values. Text is decoded with the data set's character set and trimmed of
/// the padding the standard allows; numbers are read in the transfer syntax's byte order.
extension DataSet {
    /// The element's value as text, with multiple values joined by `\` as stored.
    /// Returns nil when the element is absent, empty, or binary.
    public func string(_ tag: Tag) -> String? {
        guard let e = self[tag], let range = e.byteRange, !range.isEmpty else { return nil }
        let vr = effectiveVR(e)
        guard vr.isText else { return nil }
        let text = buffer.withBytes(range) { raw -> String in
            // Padding is trimmed on the bytes, before decoding: 0x20 and 0x00 are a space and a NUL in
            // every character set DICOM allows (multi-byte sets use neither as a trailing byte), and
            // trimming a decoded String walks grapheme clusters (a tenth of an index scan's time).
            var lo = 0, hi = raw.count
            while hi > lo && (raw[hi - 1] == 0x20 || raw[hi - 1] == 0) { hi -= 1 }
            if !DataSet.keepsLeadingSpaces(vr) { while lo < hi && raw[lo] == 0x20 { lo += 1 } }
            let body = UnsafeRawBufferPointer(rebasing: raw[lo ..< hi])
            return vr.usesSpecificCharacterSet ? characterSet.decode(body, vr: vr) : SpecificCharacterSet.decodeASCII(body)
        }
        // A decoder can still end on padding (an ISO 2022 escape after the spaces): trim that too.
        let scalars = text.unicodeScalars
        let padded = scalars.last == " " || scalars.last == "\0" || (!DataSet.keepsLeadingSpaces(vr) && scalars.first == " ")
        let trimmed = padded ? DataSet.trim(text, vr: vr) : text
        return trimmed.isEmpty ? nil : trimmed
    }

    /// The element's values as text, split at `\` (except for single-valued VRs such as LT).
    public func strings(_ tag: Tag) -> [String] {
        guard let e = self[tag], let s = string(tag) else { return [] }
        if effectiveVR(e).isSingleValuedText { return [s] }
        return s.split(separator: "\\", omittingEmptySubsequences: false).map {
            DataSet.trim(String($0), vr: effectiveVR(e))
        }
    }

    /// Numeric values of a binary (US, SS, UL, SL, FL, FD, SV, UV, AT) or decimal-string (DS, IS) element.
    public func doubles(_ tag: Tag) -> [Double] {
        guard let e = self[tag], let range = e.byteRange else { return [] }
        switch effectiveVR(e) {
        case .DS, .IS:
            // Parsed straight from the ASCII bytes: this runs for every header the index reads.
            return buffer.withBytes(range) { raw in
                var out: [Double] = []
                var start = 0
                for i in 0 ... raw.count where i == raw.count || raw[i] == 0x5C {
                    var lo = start, hi = i
                    while lo < hi && (raw[lo] == 0x20 || raw[lo] == 0) { lo += 1 }
                    while hi > lo && (raw[hi - 1] == 0x20 || raw[hi - 1] == 0) { hi -= 1 }
                    if hi > lo, let v = Double(String(decoding: UnsafeRawBufferPointer(rebasing: raw[lo ..< hi]), as: UTF8.self)) {
                        out.append(v)
                    }
                    start = i + 1
                }
                return out
            }
        case .US: return readBinary(range, size: 2) { Double($0.loadUInt16(big: $1)) }
        case .SS: return readBinary(range, size: 2) { Double(Int16(bitPattern: $0.loadUInt16(big: $1))) }
        case .UL: return readBinary(range, size: 4) { Double($0.loadUInt32(big: $1)) }
        case .SL: return readBinary(range, size: 4) { Double(Int32(bitPattern: $0.loadUInt32(big: $1))) }
        case .FL: return readBinary(range, size: 4) { Double(Float(bitPattern: $0.loadUInt32(big: $1))) }
        case .FD: return readBinary(range, size: 8) { Double(bitPattern: $0.loadUInt64(big: $1)) }
        case .SV: return readBinary(range, size: 8) { Double(Int64(bitPattern: $0.loadUInt64(big: $1))) }
        case .UV: return readBinary(range, size: 8) { Double($0.loadUInt64(big: $1)) }
        default: return []
        }
    }

    public func double(_ tag: Tag) -> Double? { doubles(tag).first }

    /// The first value as an integer, from binary or IS/DS elements; nil if absent or not integral.
    public func int(_ tag: Tag) -> Int? {
        guard let d = double(tag), d.isFinite, d.rounded() == d, abs(d) < 9.0e15 else { return nil }
        return Int(d)
    }

    /// Tags held by an AT element.
    public func attributeTags(_ tag: Tag) -> [Tag] {
        guard let e = self[tag], let range = e.byteRange else { return [] }
        let big = byteOrder == .big
        return buffer.withBytes(range) { raw in
            stride(from: 0, through: raw.count - 4, by: 4).map { i in
                let p = UnsafeRawBufferPointer(rebasing: raw[i ..< i + 4])
                return Tag(p.loadUInt16(big: big), UnsafeRawBufferPointer(rebasing: raw[(i + 2)...]).loadUInt16(big: big))
            }
        }
    }

    /// The VR to interpret an element with: UN elements take the dictionary's VR when it knows one.
    public func effectiveVR(_ e: DataElement) -> VR {
        if e.vr == .UN, let known = DataDictionary.entry(for: e.tag)?.vr, known != .UN, known != .SQ { return known }
        return e.vr
    }

    private func readBinary(_ range: Range<Int>, size: Int, _ read: (UnsafeRawBufferPointer, Bool) -> Double) -> [Double] {
        let big = byteOrder == .big
        return buffer.withBytes(range) { raw in
            var out: [Double] = []
            out.reserveCapacity(raw.count / size)
            var i = 0
            while i + size <= raw.count {
                out.append(read(UnsafeRawBufferPointer(rebasing: raw[i ..< i + size]), big))
                i += size
            }
            return out
        }
    }

    /// Strips the padding PS3.5 §6.2 allows: trailing spaces and NULs everywhere, leading spaces where
    /// they are insignificant.
    static func trim(_ s: String, vr: VR) -> String {
        var scalars = Substring(s).unicodeScalars
        while let last = scalars.last, last == " " || last == "\0" { scalars.removeLast() }
        if !keepsLeadingSpaces(vr) { while let first = scalars.first, first == " " { scalars.removeFirst() } }
        return String(scalars)
    }

    /// Text VRs whose leading spaces are significant (PS3.5 §6.2: LT, ST, UT, UR keep them).
    static func keepsLeadingSpaces(_ vr: VR) -> Bool {
        switch vr {
        case .LT, .ST, .UT, .UR: return true
        default: return false
        }
    }
}

extension UnsafeRawBufferPointer {
    @inlinable func loadUInt16(big: Bool, at offset: Int = 0) -> UInt16 {
        let v = loadUnaligned(fromByteOffset: offset, as: UInt16.self)
        return big ? v.byteSwapped : v
    }
    @inlinable func loadUInt32(big: Bool, at offset: Int = 0) -> UInt32 {
        let v = loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        return big ? v.byteSwapped : v
    }
    @inlinable func loadUInt64(big: Bool, at offset: Int = 0) -> UInt64 {
        let v = loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        return big ? v.byteSwapped : v
    }
}
