/// Why bytes from a peer could not be read as a PDU. Each case carries a human-readable detail; none
/// carries patient data (PDUs before the data set hold only AE titles and UIDs).
public enum PDUError: Error, Equatable, CustomStringConvertible {
    /// A length field promised more bytes than the PDU or item holds.
    case truncated(String)
    /// A length field exceeds the limit this side accepts.
    case tooLong(String)
    /// An unknown PDU or item type, or a field with an impossible value.
    case malformed(String)

    public var description: String {
        switch self {
        case .truncated(let s): return "truncated PDU: \(s)"
        case .tooLong(let s): return "PDU too long: \(s)"
        case .malformed(let s): return "malformed PDU: \(s)"
        }
    }
}
