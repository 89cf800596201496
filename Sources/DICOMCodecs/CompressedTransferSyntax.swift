/// The encapsulated transfer syntaxes this module decodes, by UID.
public enum CompressedTransferSyntax: String, CaseIterable, Sendable {
    case rleLossless = "1.2.840.10008.1.2.5"
    case jpegBaseline = "1.2.840.10008.1.2.4.50"
    case jpegExtended = "1.2.840.10008.1.2.4.51"
    case jpegLossless = "1.2.840.10008.1.2.4.57"
    case jpegLosslessSV1 = "1.2.840.10008.1.2.4.70"
    case jpegLSLossless = "1.2.840.10008.1.2.4.80"
    case jpegLSNearLossless = "1.2.840.10008.1.2.4.81"
    case jpeg2000Lossless = "1.2.840.10008.1.2.4.90"
    case jpeg2000 = "1.2.840.10008.1.2.4.91"
    case htj2kLossless = "1.2.840.10008.1.2.4.201"
    case htj2kLosslessRPCL = "1.2.840.10008.1.2.4.202"
    case htj2k = "1.2.840.10008.1.2.4.203"

    /// The UID as it appears in (0002,0010).
    public var uid: String { rawValue }
}
