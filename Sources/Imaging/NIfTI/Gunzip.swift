import CZlib

/// gzip (RFC 1952) decompression for `.nii.gz`, through the package's one zlib shim (CZlib). The
/// only file in Imaging that calls zlib.
enum Gunzip {
    /// Whether `bytes` starts with the gzip magic (1F 8B).
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The first `limit` bytes of the decompressed stream (fewer when the stream is shorter or cut
    /// off: the caller compares the count with what it needs). Stopping at `limit` means a header
    /// read inflates a few hundred bytes, and a gzip bomb never inflates past what the header asks for.
    /// Concatenated gzip members (as `cat a.gz b.gz` makes) are read as one stream.
    static func inflate(_ input: [UInt8], limit: Int) throws(NIfTIError) -> [UInt8] {
        guard limit > 0, !input.isEmpty else { return [] }
        var stream = z_stream()
        // windowBits 15 + 32: zlib detects a gzip (or zlib) header itself.
        guard inflateInit2_(&stream, MAX_WBITS + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .gzip("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: limit)
        var produced = 0
        var failure: String?
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                guard let inBase = src.baseAddress, let outBase = dst.baseAddress else { return }
                var consumed = 0
                while produced < limit, consumed < src.count {
                    let inChunk = min(src.count - consumed, Int(UInt32.max))
                    let outChunk = min(limit - produced, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                    stream.avail_in = uInt(inChunk)
                    stream.next_out = outBase + produced
                    stream.avail_out = uInt(outChunk)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    consumed += inChunk - Int(stream.avail_in)
                    produced += outChunk - Int(stream.avail_out)
                    switch status {
                    case Z_OK: continue
                    case Z_STREAM_END:
                        // Another member may follow; trailing zero padding ends the stream.
                        guard consumed + 1 < src.count, src[consumed] == 0x1F, src[consumed + 1] == 0x8B,
                              inflateReset(&stream) == Z_OK else { return }
                    case Z_BUF_ERROR: return  // input ends mid-stream: a truncated file, judged by the caller
                    default:
                        failure = "zlib status \(status) after \(consumed) compressed bytes"
                        return
                    }
                }
            }
        }
        if let failure { throw .gzip(failure) }
        output.removeSubrange(produced...)
        return output
    }
}
