/// Specific Character Set (0008,0005) and the decoding of text values it governs (PS3.5 §6.1, PS3.3 C.12.1.1.2).
///
/// Single-byte and multi-byte sets without code extensions are decoded whole. With ISO 2022 code
/// extensions the value is split at escape sequences and each run is decoded in the set it invokes;
/// at the delimiters `\`, `^`, `=` and at line ends the first value's set becomes active again.
public struct SpecificCharacterSet: Hashable, Sendable {
    /// The defined terms as stored, e.g. `["", "ISO 2022 IR 87"]`.
    public let terms: [String]

    public static let `default` = SpecificCharacterSet(terms: [])

    public init(terms: [String]) {
        self.terms = terms.map { $0.trimmingSpaces() }
    }

    /// Parses the raw value of (0008,0005).
    public init(rawValue: String) {
        self.init(terms: rawValue.split(separator: "\\", omittingEmptySubsequences: false).map(String.init))
    }

    var usesCodeExtensions: Bool { terms.count > 1 || (terms.first?.hasPrefix("ISO 2022") ?? false) }

    /// Decodes one text value of VR `vr`.
    public func decode(_ raw: UnsafeRawBufferPointer, vr: VR) -> String {
        if !usesCodeExtensions {
            return Self.decodeSingle(raw, term: terms.first ?? "")
        }
        return ISO2022Decoder(initial: terms.first ?? "").decode(raw)
    }

    /// Decodes text in VRs outside the character-set rules (CS, UI, DA, …): ASCII, other bytes as Latin-1.
    public static func decodeASCII(_ raw: UnsafeRawBufferPointer) -> String {
        if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
        return String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
    }

    /// Decodes a value in a character set without code extensions.
    static func decodeSingle(_ raw: UnsafeRawBufferPointer, term: String) -> String {
        switch term {
        case "", "ISO_IR 6", "ISO_IR 100":
            // The default repertoire is ASCII; real files often carry Latin-1 anyway, so read it as such.
            return decodeASCII(raw)
        case "ISO_IR 192":
            return String(decoding: raw, as: UTF8.self)
        case "ISO_IR 13":
            return ISO2022Decoder.decodeJISX0201(raw)
        default:
            if let encoding = iconvName[term] { return IconvDecoder.decode(raw, from: encoding) }
            return decodeASCII(raw)
        }
    }

    /// iconv names for the single-byte and multi-byte sets of PS3.3 Table C.12-2 and C.12-5.
    static let iconvName: [String: String] = [
        "ISO_IR 101": "ISO-8859-2", "ISO_IR 109": "ISO-8859-3", "ISO_IR 110": "ISO-8859-4",
        "ISO_IR 144": "ISO-8859-5", "ISO_IR 127": "ISO-8859-6", "ISO_IR 126": "ISO-8859-7",
        "ISO_IR 138": "ISO-8859-8", "ISO_IR 148": "ISO-8859-9", "ISO_IR 203": "ISO-8859-15",
        "ISO_IR 166": "TIS-620", "GB18030": "GB18030", "GBK": "GBK",
    ]
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " || s.last == "\0" { s.removeLast() }
        return String(s)
    }
}
