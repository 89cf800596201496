#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes bytes in a legacy encoding to a Swift string through the C library's iconv.
///
/// This file is the only place the DICOM module calls C: iconv is part of the C library on every
/// platform we build on, so it needs no shim target. Invalid sequences become U+FFFD; nothing throws.
enum IconvDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, from encoding: String) -> String {
        if bytes.isEmpty { return "" }
        let cd = iconv_open("UTF-8", encoding)
        guard cd != iconv_t(bitPattern: -1) else { return String(decoding: bytes, as: UTF8.self) }
        defer { iconv_close(cd) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 3)
        var input = [UInt8](bytes)
        var scratch = [UInt8](repeating: 0, count: 4 * bytes.count + 16)
        var offset = 0
        while offset < input.count {
            let (consumed, produced, failed) = input.withUnsafeMutableBufferPointer { ib in
                scratch.withUnsafeMutableBufferPointer { ob -> (Int, Int, Bool) in
                    guard let ibase = ib.baseAddress, let obase = ob.baseAddress else { return (0, 0, true) }
                    var ip: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(ibase + offset).assumingMemoryBound(to: CChar.self)
                    var op: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(obase).assumingMemoryBound(to: CChar.self)
                    var il = ib.count - offset, ol = ob.count
                    let r = iconv(cd, &ip, &il, &op, &ol)
                    return ((ib.count - offset) - il, ob.count - ol, r == -1)
                }
            }
            output.append(contentsOf: scratch[0 ..< produced])
            offset += consumed
            if failed {
                // Skip one undecodable byte, mark it, and reset the converter's shift state.
                output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                offset += 1
                iconv(cd, nil, nil, nil, nil)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
