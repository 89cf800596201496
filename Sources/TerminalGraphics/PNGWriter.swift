/// A minimal PNG writer (8-bit RGB/RGBA, filter 0, deflate "stored" blocks).
///
/// The module takes no dependencies, so there is no zlib here: the image data is stored, not
/// compressed (a few bytes of framing per 64 KiB). That is larger than a real PNG but still a
/// valid one, and it is what iTerm2 needs (it accepts image files, not raw pixels). Callers
/// that have compressed PNG bytes (Imaging writes PNGs with libpng) can hand those to
/// ``ITermEncoder/encode(png:columns:rows:)`` or ``KittyEncoder/encode(png:columns:rows:)``.
public enum PNGWriter {
    static let crcTable: [UInt32] = (0..<256).map { n -> UInt32 in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFFFFFF
        for b in bytes { c = crcTable[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFFFFFF
    }

    static func appendBE(_ v: UInt32, into out: inout [UInt8]) {
        out.append(UInt8(v >> 24)); out.append(UInt8(v >> 16 & 0xFF)); out.append(UInt8(v >> 8 & 0xFF)); out.append(UInt8(v & 0xFF))
    }

    static func appendChunk(_ type: String, _ data: [UInt8], into out: inout [UInt8]) {
        appendBE(UInt32(data.count), into: &out)
        let start = out.count
        out.append(contentsOf: Array(type.utf8))
        out.append(contentsOf: data)
        appendBE(crc32(out[start...]), into: &out)
    }

    public static func encode(_ image: RGBImage) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var ihdr = [UInt8]()
        appendBE(UInt32(image.width), into: &ihdr); appendBE(UInt32(image.height), into: &ihdr)
        ihdr.append(contentsOf: [8, image.hasAlpha ? 6 : 2, 0, 0, 0])
        appendChunk("IHDR", ihdr, into: &out)

        let rowBytes = image.width * image.channels
        var raw = [UInt8](); raw.reserveCapacity((rowBytes + 1) * image.height)
        for y in 0..<image.height {
            raw.append(0)
            raw.append(contentsOf: image.pixels[(y * rowBytes)..<((y + 1) * rowBytes)])
        }
        var z: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let last = offset + n == raw.count
            z.append(last ? 1 : 0)
            z.append(UInt8(n & 0xFF)); z.append(UInt8(n >> 8))
            z.append(UInt8(~n & 0xFF)); z.append(UInt8((~n >> 8) & 0xFF))
            z.append(contentsOf: raw[offset..<(offset + n)])
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        appendBE(b << 16 | a, into: &z)
        appendChunk("IDAT", z, into: &out)
        appendChunk("IEND", [], into: &out)
        return out
    }
}
