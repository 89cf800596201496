import CZlib

/// zlib (RFC 1950) compression for the kitty protocol's `o=z` payloads: the one place
/// TerminalGraphics calls zlib.
enum Zlib {
    /// `bytes` deflated at `level` (1: fastest; a slice step must stay within milliseconds), or nil
    /// when zlib fails.
    static func compress(_ bytes: [UInt8], level: Int32 = 1) -> [UInt8]? {
        guard !bytes.isEmpty, bytes.count < Int(UInt32.max) else { return nil }
        var size = compressBound(uLong(bytes.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { dst in
            bytes.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &size, src.baseAddress, uLong(bytes.count), level)
            }
        }
        guard status == Z_OK else { return nil }
        out.removeSubrange(Int(size)...)
        return out
    }
}
