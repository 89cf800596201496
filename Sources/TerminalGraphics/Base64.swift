/// Standard base64 (RFC 4648, with padding), appended into a caller's buffer.
public enum Base64 {
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func encodedLength(_ n: Int) -> Int { (n + 2) / 3 * 4 }

    public static func encode(_ bytes: ArraySlice<UInt8>, into out: inout [UInt8]) {
        alphabet.withUnsafeBufferPointer { a in
            var i = bytes.startIndex
            let end = bytes.endIndex
            while i + 3 <= end {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
                out.append(a[Int(v >> 6 & 63)]); out.append(a[Int(v & 63)])
                i += 3
            }
            let rest = end - i
            if rest > 0 {
                let v = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                out.append(a[Int(v >> 18)]); out.append(a[Int(v >> 12 & 63)])
                out.append(rest == 2 ? a[Int(v >> 6 & 63)] : 0x3D); out.append(0x3D)
            }
        }
    }

    public static func encode(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(encodedLength(bytes.count))
        encode(bytes[...], into: &out)
        return out
    }
}
