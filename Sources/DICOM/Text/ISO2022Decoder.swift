/// Decodes DICOM text that uses ISO 2022 code extensions (PS3.5 §6.1.2.5, PS3.3 Table C.12-3/C.12-4).
///
/// Bytes below 0x80 are read in the set designated to G0, bytes from 0x80 in the set designated to G1.
/// Each run of bytes in one set is handed to the decoder for that set.
struct ISO2022Decoder {
    /// A graphic character set that an escape sequence can designate.
    enum CharacterSet: Equatable {
        case ascii, jisRoman, jisKatakana, jisX0208, jisX0212, ksX1001, gb2312
        case iso8859(String)  // iconv name of a single-byte G1 set
    }

    private let initialG0: CharacterSet
    private let initialG1: CharacterSet?

    init(initial term: String) {
        switch term {
        case "ISO 2022 IR 13": initialG0 = .jisRoman; initialG1 = .jisKatakana
        case "ISO 2022 IR 100": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-1")
        case "ISO 2022 IR 101": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-2")
        case "ISO 2022 IR 109": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-3")
        case "ISO 2022 IR 110": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-4")
        case "ISO 2022 IR 144": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-5")
        case "ISO 2022 IR 127": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-6")
        case "ISO 2022 IR 126": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-7")
        case "ISO 2022 IR 138": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-8")
        case "ISO 2022 IR 148": initialG0 = .ascii; initialG1 = .iso8859("ISO-8859-9")
        case "ISO 2022 IR 166": initialG0 = .ascii; initialG1 = .iso8859("TIS-620")
        case "ISO 2022 IR 149": initialG0 = .ascii; initialG1 = .ksX1001
        case "ISO 2022 IR 58": initialG0 = .ascii; initialG1 = .gb2312
        default: initialG0 = .ascii; initialG1 = nil
        }
    }

    func decode(_ raw: UnsafeRawBufferPointer) -> String {
        var g0 = initialG0, g1 = initialG1
        var out = ""
        var run: [UInt8] = []
        var runSet: CharacterSet? = nil

        func flush() {
            if let set = runSet, !run.isEmpty { out += Self.decodeRun(run, in: set) }
            run.removeAll(keepingCapacity: true)
        }
        func append(_ byte: UInt8, in set: CharacterSet) {
            if runSet != set { flush(); runSet = set }
            run.append(byte)
        }

        var i = 0
        let n = raw.count
        while i < n {
            let b = raw[i]
            if b == 0x1B, let (length, designation) = Self.escape(raw, at: i) {
                flush()
                switch designation {
                case let .g0(set): g0 = set
                case let .g1(set): g1 = set
                }
                i += length
                continue
            }
            if b < 0x80 {
                if g0 == .jisX0208 || g0 == .jisX0212 {
                    if b < 0x21 { // Control characters and space end a two-byte run.
                        append(b, in: .ascii); i += 1; continue
                    }
                    guard i + 1 < n else { i += 1; continue }
                    append(b, in: g0); append(raw[i + 1], in: g0)
                    i += 2
                    continue
                }
                if b == 0x5C || b == 0x5E || b == 0x3D || b == 0x0D || b == 0x0A {
                    // Delimiters: the first value's sets are active again after them.
                    append(b, in: .ascii)
                    g0 = initialG0; g1 = initialG1
                    i += 1
                    continue
                }
                append(b, in: g0 == .jisKatakana ? .ascii : g0)
                i += 1
            } else {
                let set = g1 ?? .iso8859("ISO-8859-1")
                if set == .ksX1001 || set == .gb2312 {
                    guard i + 1 < n else { i += 1; continue }
                    append(b, in: set); append(raw[i + 1], in: set)
                    i += 2
                } else {
                    append(b, in: set)
                    i += 1
                }
            }
        }
        flush()
        return out
    }

    private enum Designation { case g0(CharacterSet), g1(CharacterSet) }

    /// Recognises the escape sequences of PS3.3 Table C.12-4 at `i`; nil for anything else.
    private static func escape(_ raw: UnsafeRawBufferPointer, at i: Int) -> (Int, Designation)? {
        func at(_ k: Int) -> UInt8? { i + k < raw.count ? raw[i + k] : nil }
        switch (at(1), at(2), at(3)) {
        case (0x28, 0x42, _): return (3, .g0(.ascii))          // ESC ( B
        case (0x28, 0x4A, _): return (3, .g0(.jisRoman))       // ESC ( J
        case (0x29, 0x49, _): return (3, .g1(.jisKatakana))    // ESC ) I
        case (0x24, 0x42, _): return (3, .g0(.jisX0208))       // ESC $ B
        case (0x24, 0x28, 0x44): return (4, .g0(.jisX0212))    // ESC $ ( D
        case (0x24, 0x29, 0x43): return (4, .g1(.ksX1001))     // ESC $ ) C
        case (0x24, 0x29, 0x41): return (4, .g1(.gb2312))      // ESC $ ) A
        case (0x2D, let f?, _):                                // ESC - F: a 96-character G1 set
            let names: [UInt8: String] = [0x41: "ISO-8859-1", 0x42: "ISO-8859-2", 0x43: "ISO-8859-3",
                                          0x44: "ISO-8859-4", 0x4C: "ISO-8859-5", 0x47: "ISO-8859-6",
                                          0x46: "ISO-8859-7", 0x48: "ISO-8859-8", 0x4D: "ISO-8859-9",
                                          0x54: "TIS-620"]
            guard let name = names[f] else { return nil }
            return (3, .g1(.iso8859(name)))
        default: return nil
        }
    }

    private static func decodeRun(_ run: [UInt8], in set: CharacterSet) -> String {
        run.withUnsafeBytes { raw in
            switch set {
            case .ascii: return SpecificCharacterSet.decodeASCII(raw)
            case .jisRoman, .jisKatakana: return decodeJISX0201(raw)
            case .jisX0208:
                // JIS X 0208 in G0 is EUC-JP with the high bit cleared: set it and let iconv decode.
                return raw.map { $0 | 0x80 }.withUnsafeBytes { IconvDecoder.decode($0, from: "EUC-JP") }
            case .jisX0212:
                var euc: [UInt8] = []
                var k = 0
                while k + 1 < raw.count { euc += [0x8F, raw[k] | 0x80, raw[k + 1] | 0x80]; k += 2 }
                return euc.withUnsafeBytes { IconvDecoder.decode($0, from: "EUC-JP") }
            case .ksX1001: return IconvDecoder.decode(raw, from: "EUC-KR")
            case .gb2312: return IconvDecoder.decode(raw, from: "GB2312")
            case let .iso8859(name):
                return name == "ISO-8859-1" ? SpecificCharacterSet.decodeASCII(raw) : IconvDecoder.decode(raw, from: name)
            }
        }
    }

    /// JIS X 0201: ASCII-compatible Romaji below 0x80, half-width katakana at 0xA1–0xDF.
    static func decodeJISX0201(_ raw: UnsafeRawBufferPointer) -> String {
        var scalars = String.UnicodeScalarView()
        for b in raw {
            if (0xA1...0xDF).contains(b), let s = Unicode.Scalar(0xFF61 + UInt32(b) - 0xA1) {
                scalars.append(s)
            } else if b < 0x80 {
                scalars.append(Unicode.Scalar(b))
            } else {
                scalars.append("\u{FFFD}")
            }
        }
        return String(scalars)
    }
}
