import CZlib

/// gzip (RFC 1952) decompression for `.nii.gz`, through the package's one zlib shim (CZlib). The
/// only file in Imaging that calls zlib.
enum Gunzip {
    /// Whether `bytes` starts with the gzip magic (1F 8B).
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// The first `limit` bytes of the decompressed stream (fewer when the stream is shorter or cut
    /// off: the caller compares the count with what it needs). Stopping at `limit` means a header
    /// read inflates a few hundred bytes, and a gzip bomb never inflates past what the header asks
    /// for. The output grows as data arrives (doubling), so a header that promises gigabytes over a
    /// few bytes of stream costs only what the stream holds. Concatenated gzip members (as
    /// `cat a.gz b.gz` makes) are read as one stream.
    static func inflate(_ input: [UInt8], limit: Int) throws(NIfTIError) -> [UInt8] {
        guard limit > 0, !input.isEmpty else { return [] }
        var stream = z_stream()
        // windowBits 15 + 32: zlib detects a gzip (or zlib) header itself.
        guard inflateInit2_(&stream, MAX_WBITS + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .gzip("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: min(limit, max(1 << 16, input.count.multipliedReportingOverflow(by: 4).partialValue)))
        var produced = 0, consumed = 0
        var finished = false
        while !finished, produced < limit, consumed < input.count {
            if produced == output.count {  // full: grow toward the limit
                output.append(contentsOf: repeatElement(0, count: min(limit, output.count * 2) - output.count))
            }
            let (status, used, made) = input.withUnsafeBufferPointer { src -> (Int32, Int, Int) in
                output.withUnsafeMutableBufferPointer { dst -> (Int32, Int, Int) in
                    guard let inBase = src.baseAddress, let outBase = dst.baseAddress else { return (Z_STREAM_ERROR, 0, 0) }
                    let inChunk = min(src.count - consumed, Int(UInt32.max))
                    let outChunk = min(dst.count - produced, Int(UInt32.max))
                    stream.next_in = UnsafeMutablePointer(mutating: inBase + consumed)
                    stream.avail_in = uInt(inChunk)
                    stream.next_out = outBase + produced
                    stream.avail_out = uInt(outChunk)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    return (status, inChunk - Int(stream.avail_in), outChunk - Int(stream.avail_out))
                }
            }
            consumed += used
            produced += made
            switch status {
            case Z_OK: continue
            case Z_STREAM_END:
                // Another member may follow; anything else (trailing zero padding) ends the stream.
                finished = !(consumed + 1 < input.count && input[consumed] == 0x1F && input[consumed + 1] == 0x8B
                    && inflateReset(&stream) == Z_OK)
            case Z_BUF_ERROR:
                // No progress: the output is full (grow and go on) or the input ended mid-stream
                // (a truncated file, judged by the caller).
                finished = produced < output.count
            default:
                throw .gzip("zlib status \(status) after \(consumed) compressed bytes")
            }
        }
        output.removeSubrange(produced...)
        return output
    }
}
