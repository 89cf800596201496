/// A transfer syntax: how a data set's bytes are laid out and how its pixel data is compressed.
///
/// The support table lives in docs/TRANSFER_SYNTAXES.md. A syntax that is not listed still parses
/// when its data set encoding is the default one (explicit VR little endian, encapsulated pixel data);
/// only pixel decoding then fails, naming the syntax.
public struct TransferSyntax: Hashable, Sendable, CustomStringConvertible {
    public enum ByteOrder: Sendable { case little, big }

    public let uid: String
    public let name: String
    public let explicitVR: Bool
    public let byteOrder: ByteOrder
    /// The data set after the file meta group is a raw deflate stream (PS3.5 §A.5).
    public let deflated: Bool
    /// Pixel data is encapsulated in fragments (PS3.5 §A.4).
    public let encapsulated: Bool
    /// The compressed form loses information (lossy JPEG, JPEG 2000 irreversible, JPEG-LS near-lossless).
    public let lossy: Bool

    public init(uid: String, name: String, explicitVR: Bool = true, byteOrder: ByteOrder = .little,
                deflated: Bool = false, encapsulated: Bool = true, lossy: Bool = false) {
        self.uid = uid; self.name = name; self.explicitVR = explicitVR; self.byteOrder = byteOrder
        self.deflated = deflated; self.encapsulated = encapsulated; self.lossy = lossy
    }

    public var description: String { "\(name) (\(uid))" }

    public static let implicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2", name: "Implicit VR Little Endian", explicitVR: false, encapsulated: false)
    public static let explicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1", name: "Explicit VR Little Endian", encapsulated: false)
    public static let deflatedExplicitVRLittleEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.1.99", name: "Deflated Explicit VR Little Endian", deflated: true, encapsulated: false)
    public static let explicitVRBigEndian = TransferSyntax(
        uid: "1.2.840.10008.1.2.2", name: "Explicit VR Big Endian", byteOrder: .big, encapsulated: false)

    /// Every syntax this reader knows by name. Encapsulated ones are decoded by `DICOMCodecs` where it can.
    public static let known: [TransferSyntax] = [
        implicitVRLittleEndian, explicitVRLittleEndian, deflatedExplicitVRLittleEndian, explicitVRBigEndian,
        .init(uid: "1.2.840.10008.1.2.4.50", name: "JPEG Baseline (Process 1)", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.51", name: "JPEG Extended (Process 2 & 4)", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.57", name: "JPEG Lossless, Non-Hierarchical (Process 14)"),
        .init(uid: "1.2.840.10008.1.2.4.70", name: "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
        .init(uid: "1.2.840.10008.1.2.4.80", name: "JPEG-LS Lossless"),
        .init(uid: "1.2.840.10008.1.2.4.81", name: "JPEG-LS Lossy (Near-Lossless)", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.90", name: "JPEG 2000 Image Compression (Lossless Only)"),
        .init(uid: "1.2.840.10008.1.2.4.91", name: "JPEG 2000 Image Compression", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.201", name: "High-Throughput JPEG 2000 (Lossless Only)"),
        .init(uid: "1.2.840.10008.1.2.4.202", name: "High-Throughput JPEG 2000 with RPCL Options (Lossless Only)"),
        .init(uid: "1.2.840.10008.1.2.4.203", name: "High-Throughput JPEG 2000", lossy: true),
        .init(uid: "1.2.840.10008.1.2.5", name: "RLE Lossless"),
        .init(uid: "1.2.840.10008.1.2.4.100", name: "MPEG2 Main Profile / Main Level", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.101", name: "MPEG2 Main Profile / High Level", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.102", name: "MPEG-4 AVC/H.264 High Profile / Level 4.1", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.103", name: "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1", lossy: true),
        .init(uid: "1.2.840.10008.1.2.4.110", name: "JPEG XL Lossless"),
        .init(uid: "1.2.840.10008.1.2.4.112", name: "JPEG XL", lossy: true),
    ]

    private static let byUID: [String: TransferSyntax] = Dictionary(known.map { ($0.uid, $0) }, uniquingKeysWith: { a, _ in a })

    /// Looks up a syntax by UID. An unknown UID is assumed to be explicit VR little endian with
    /// encapsulated pixel data, which is what every compressed syntax uses (PS3.5 §10).
    public static func lookup(_ uid: String) -> TransferSyntax {
        byUID[uid] ?? TransferSyntax(uid: uid, name: "Unknown transfer syntax", encapsulated: true)
    }

    public var isKnown: Bool { Self.byUID[uid] != nil }
}
