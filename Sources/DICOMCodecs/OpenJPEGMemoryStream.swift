import COpenJPEG

/// An `opj_stream_t` that reads from a byte buffer in memory, so OpenJPEG never touches files.
///
/// OpenJPEG calls back through C function pointers that cannot capture Swift context; the context
/// travels as `user_data`, an unretained pointer to this object. The object and the buffer must
/// therefore outlive the stream: ``OpenJPEGDecoder`` keeps both alive for the whole decode and
/// destroys the stream before returning.
final class OpenJPEGMemoryStream {
    private let buffer: UnsafeRawBufferPointer
    private var position = 0

    init(buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    /// Creates the `opj_stream_t`; the caller destroys it with `opj_stream_destroy`.
    func makeStream() -> UnsafeMutablePointer<opj_stream_t?>? {
        // OpenJPEG's own default chunk (OPJ_J2K_STREAM_CHUNK_SIZE, 1 MiB): smaller chunks crashed OpenJPEG 2.5.0
        // inside opj_read_header on a JP2 file whose tile data spans several chunks.
        guard let stream = opj_stream_create(Int(1 << 20), 1) else { return nil }
        opj_stream_set_user_data(stream, Unmanaged.passUnretained(self).toOpaque(), nil)
        opj_stream_set_user_data_length(stream, UInt64(buffer.count))
        opj_stream_set_read_function(stream) { destination, count, context in
            guard let destination, let context else { return OPJ_SIZE_T.max }
            return Unmanaged<OpenJPEGMemoryStream>.fromOpaque(context).takeUnretainedValue()
                .read(into: destination, count: Int(clamping: count))
        }
        opj_stream_set_skip_function(stream) { count, context in
            guard let context else { return -1 }
            return Unmanaged<OpenJPEGMemoryStream>.fromOpaque(context).takeUnretainedValue().skip(Int(count))
        }
        opj_stream_set_seek_function(stream) { offset, context in
            guard let context else { return 0 }
            return Unmanaged<OpenJPEGMemoryStream>.fromOpaque(context).takeUnretainedValue().seek(to: Int(offset)) ? 1 : 0
        }
        return stream
    }

    /// Copies up to `count` bytes; returns (OPJ_SIZE_T)-1 at the end, as OpenJPEG expects.
    private func read(into destination: UnsafeMutableRawPointer, count: Int) -> OPJ_SIZE_T {
        let available = buffer.count - position
        guard available > 0, count > 0 else { return OPJ_SIZE_T.max }
        let n = min(count, available)
        if let base = buffer.baseAddress {
            destination.copyMemory(from: base + position, byteCount: n)
        }
        position += n
        return OPJ_SIZE_T(n)
    }

    /// Skips forward (or back); returns how far it moved, or −1 when that leaves the buffer.
    private func skip(_ count: Int) -> OPJ_OFF_T {
        let (target, overflow) = position.addingReportingOverflow(count)
        guard !overflow, target >= 0 else { return -1 }
        let clamped = min(target, buffer.count)
        let moved = clamped - position
        position = clamped
        return OPJ_OFF_T(moved)
    }

    private func seek(to offset: Int) -> Bool {
        guard offset >= 0, offset <= buffer.count else { return false }
        position = offset
        return true
    }
}
