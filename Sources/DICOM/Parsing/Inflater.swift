import CZlib
import Foundation

/// Inflates the raw deflate stream of the Deflated Explicit VR Little Endian syntax (PS3.5 §A.5).
enum Inflater {
    /// Refuses to inflate past this size: a zip bomb must not take the machine's memory.
    static let maximumInflatedSize = 4 << 30

    static func inflateRaw(_ input: UnsafeRawBufferPointer, offset: Int) throws -> Data {
        var stream = z_stream()
        // windowBits −15: a raw deflate stream with no zlib header (some writers add one; try that too).
        var status = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DICOMError.malformed(file: nil, offset: offset, reason: "zlib init failed (\(status))") }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        guard let base = input.baseAddress else { return output }
        stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(min(input.count, Int(UInt32.max)))
        repeat {
            status = chunk.withUnsafeMutableBufferPointer { buf in
                stream.next_out = buf.baseAddress
                stream.avail_out = uInt(buf.count)
                return inflate(&stream, Z_NO_FLUSH)
            }
            let produced = chunk.count - Int(stream.avail_out)
            output.append(contentsOf: chunk[0 ..< produced])
            guard output.count <= maximumInflatedSize else {
                throw DICOMError.malformed(file: nil, offset: offset, reason: "deflated data set inflates past \(maximumInflatedSize) bytes")
            }
            if status == Z_BUF_ERROR && stream.avail_in == 0 { break }  // Truncated stream: keep what we have.
            guard status == Z_OK || status == Z_STREAM_END else {
                throw DICOMError.malformed(file: nil, offset: offset + Int(stream.total_in),
                                           reason: "deflate stream is corrupt (zlib status \(status))")
            }
        } while status != Z_STREAM_END
        return output
    }
}
