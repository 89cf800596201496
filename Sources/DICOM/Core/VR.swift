/// Value Representations (PS3.5 §6.2).
///
/// `unknown` stands for a VR code this implementation does not recognise. PS3.5 §6.2 says such an
/// element is handled as UN: it has the explicit-VR layout with a 32-bit length, and its bytes are kept.
public enum VR: Hashable, Sendable {
    case AE, AS, AT, CS, DA, DS, DT, FL, FD, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS,
         ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV
    /// A two-character code we do not know (kept so dumps can show what the file said).
    case unknown(UInt8, UInt8)

    /// Parses the two VR bytes of an explicit-VR element header.
    @inlinable public init(_ a: UInt8, _ b: UInt8) {
        switch (a, b) {
        case (0x41, 0x45): self = .AE
        case (0x41, 0x53): self = .AS
        case (0x41, 0x54): self = .AT
        case (0x43, 0x53): self = .CS
        case (0x44, 0x41): self = .DA
        case (0x44, 0x53): self = .DS
        case (0x44, 0x54): self = .DT
        case (0x46, 0x4C): self = .FL
        case (0x46, 0x44): self = .FD
        case (0x49, 0x53): self = .IS
        case (0x4C, 0x4F): self = .LO
        case (0x4C, 0x54): self = .LT
        case (0x4F, 0x42): self = .OB
        case (0x4F, 0x44): self = .OD
        case (0x4F, 0x46): self = .OF
        case (0x4F, 0x4C): self = .OL
        case (0x4F, 0x56): self = .OV
        case (0x4F, 0x57): self = .OW
        case (0x50, 0x4E): self = .PN
        case (0x53, 0x48): self = .SH
        case (0x53, 0x4C): self = .SL
        case (0x53, 0x51): self = .SQ
        case (0x53, 0x53): self = .SS
        case (0x53, 0x54): self = .ST
        case (0x53, 0x56): self = .SV
        case (0x54, 0x4D): self = .TM
        case (0x55, 0x43): self = .UC
        case (0x55, 0x49): self = .UI
        case (0x55, 0x4C): self = .UL
        case (0x55, 0x4E): self = .UN
        case (0x55, 0x52): self = .UR
        case (0x55, 0x53): self = .US
        case (0x55, 0x54): self = .UT
        case (0x55, 0x56): self = .UV
        default: self = .unknown(a, b)
        }
    }

    /// Parses a VR code such as `"PN"` (used by the generated dictionary).
    public init?(code: String) {
        let u = Array(code.utf8)
        guard u.count == 2 else { return nil }
        let vr = VR(u[0], u[1])
        if case .unknown = vr { return nil }
        self = vr
    }

    public var code: String {
        switch self {
        case .AE: "AE"; case .AS: "AS"; case .AT: "AT"; case .CS: "CS"; case .DA: "DA"; case .DS: "DS"
        case .DT: "DT"; case .FL: "FL"; case .FD: "FD"; case .IS: "IS"; case .LO: "LO"; case .LT: "LT"
        case .OB: "OB"; case .OD: "OD"; case .OF: "OF"; case .OL: "OL"; case .OV: "OV"; case .OW: "OW"
        case .PN: "PN"; case .SH: "SH"; case .SL: "SL"; case .SQ: "SQ"; case .SS: "SS"; case .ST: "ST"
        case .SV: "SV"; case .TM: "TM"; case .UC: "UC"; case .UI: "UI"; case .UL: "UL"; case .UN: "UN"
        case .UR: "UR"; case .US: "US"; case .UT: "UT"; case .UV: "UV"
        case let .unknown(a, b):
            (0x20...0x7E).contains(a) && (0x20...0x7E).contains(b)
                ? String(decoding: [a, b], as: UTF8.self) : "??"
        }
    }

    /// Explicit-VR encodings of these VRs use 2 reserved bytes and a 32-bit length (PS3.5 Table 7.1-1).
    /// Unknown VRs are treated the same way, as the standard directs for UN.
    @inlinable public var hasLongLength: Bool {
        switch self {
        case .OB, .OD, .OF, .OL, .OV, .OW, .SQ, .SV, .UC, .UN, .UR, .UT, .UV, .unknown: true
        default: false
        }
    }

    /// VRs whose text is decoded with the data set's Specific Character Set (PS3.5 §6.1.2.3).
    public var usesSpecificCharacterSet: Bool {
        switch self {
        case .SH, .LO, .ST, .LT, .UC, .UT, .PN: true
        default: false
        }
    }

    /// Text VRs, as opposed to binary ones.
    public var isText: Bool {
        switch self {
        case .AE, .AS, .CS, .DA, .DS, .DT, .IS, .LO, .LT, .PN, .SH, .ST, .TM, .UC, .UI, .UR, .UT: true
        default: false
        }
    }

    /// Text VRs that never hold several values (the backslash is an ordinary character in them).
    public var isSingleValuedText: Bool {
        switch self {
        case .LT, .ST, .UT, .UR: true
        default: false
        }
    }
}
