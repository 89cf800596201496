import DICOM

/// A UID that is the same each time for the same key: `2.25.` and 128 bits from two 64-bit FNV-1a
/// style hashes of the key (not cryptographic; the keys are UIDs and names, not secrets). Used for
/// what must not multiply when made again: a finding's Tracking UID, and the SR and SEG of a signed
/// reading (sent to the archive once per sign-off, however often they are made).
public enum StableUID {
    public static func make(_ key: String) -> String {
        var a: UInt64 = 0xcbf29ce484222325, b: UInt64 = 0x84222325cbf29ce4
        for byte in key.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100000001b3
            b = (b ^ UInt64(byte)) &* 0x1000193 &+ 0x9e3779b97f4a7c15
        }
        let bytes = (0 ..< 8).map { UInt8(truncatingIfNeeded: a >> (8 * $0)) } + (0 ..< 8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) }
        return "2.25." + UIDGenerator.decimal(bigEndian: bytes)
    }

    /// Series and instance UIDs of the `kind` ("sr", "seg") object of a signed reading.
    public static func signed(_ kind: String, studyUID: String, reader: String, signedAt: String) -> (series: String, instance: String) {
        let key = "\(kind)|\(studyUID)|\(reader)|\(signedAt)"
        return (make("series|" + key), make("instance|" + key))
    }
}
