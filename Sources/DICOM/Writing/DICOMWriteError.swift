/// Why a data set could not be written. Each case names the element, so the caller can say which
/// attribute was wrong rather than producing a file other tools reject.
public enum DICOMWriteError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The value's kind does not fit the element's VR (e.g. text for a US element).
    case valueDoesNotFitVR(tag: Tag, vr: String)
    /// A value is too long for its VR (16-bit length field, or the VR's maximum).
    case valueTooLong(tag: Tag, vr: String, length: Int)
    /// Characters the VR does not allow (non-ASCII in a CS/UI/DA value, a non-UID in UI, control characters).
    case invalidCharacters(tag: Tag, vr: String, value: String)
    /// The file could not be written.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case let .valueDoesNotFitVR(tag, vr): "\(tag): value does not fit VR \(vr)"
        case let .valueTooLong(tag, vr, length): "\(tag): \(length)-byte value is too long for VR \(vr)"
        // Free-text VRs can hold names and IDs: their values are not repeated in messages.
        case let .invalidCharacters(tag, vr, value) where ["PN", "LO", "SH", "ST", "LT", "UC", "UT"].contains(vr):
            "\(tag): characters not allowed in VR \(vr) (\(value.count)-character value)"
        case let .invalidCharacters(tag, vr, value): "\(tag): characters not allowed in VR \(vr): \(value.debugDescription)"
        case let .io(path, reason): "\(path): \(reason)"
        }
    }
}
