/// Finds the JPEG 2000 codestream inside a JP2 file (ISO/IEC 15444-1 Annex I boxes).
///
/// DICOM requires a bare codestream, but some writers wrap frames in JP2 boxes. Rather than let
/// OpenJPEG parse the boxes (OpenJPEG 2.5.0 crashed in `opj_decode` on the JP2 wrapper of
/// pydicom's GDCMJ2K_TextGBR.dcm, while the same codestream decodes cleanly as J2K), we locate the
/// contiguous codestream box `jp2c` here and hand only that to OpenJPEG. Colour boxes are ignored:
/// the data set's Photometric Interpretation is what counts in DICOM.
enum JP2Container {
    static let signature: [UInt8] = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]

    static func isJP2(_ data: [UInt8]) -> Bool {
        data.count >= 12 && Array(data[0..<12]) == signature
    }

    /// The byte range of the `jp2c` box payload.
    static func codestreamRange(in data: [UInt8], codec: String) throws -> Range<Int> {
        var offset = 0
        while offset + 8 <= data.count {
            var length = Int(UInt32(data[offset]) << 24 | UInt32(data[offset + 1]) << 16
                             | UInt32(data[offset + 2]) << 8 | UInt32(data[offset + 3]))
            let type = Array(data[(offset + 4)..<(offset + 8)])
            var header = 8
            if length == 1 {                           // 64-bit XLBox follows
                guard offset + 16 <= data.count else { break }
                var xl: UInt64 = 0
                for i in 8..<16 { xl = xl << 8 | UInt64(data[offset + i]) }
                guard xl <= UInt64(data.count) else {
                    throw CodecError.malformedStream(codec: codec, detail: "JP2 box length \(xl) exceeds the data",
                                                     offset: offset)
                }
                length = Int(xl)
                header = 16
            } else if length == 0 {                    // box runs to the end of the data
                length = data.count - offset
            }
            guard length >= header else {
                throw CodecError.malformedStream(codec: codec, detail: "JP2 box of length \(length) is malformed",
                                                 offset: offset)
            }
            guard length <= data.count - offset else {
                throw CodecError.truncatedStream(codec: codec, detail:
                    "JP2 box of \(length) bytes runs past the end of the \(data.count)-byte frame", offset: offset)
            }
            if type == Array("jp2c".utf8) {
                return (offset + header)..<(offset + length)
            }
            offset += length
        }
        throw CodecError.malformedStream(codec: codec, detail: "JP2 file has no contiguous codestream (jp2c) box",
                                         offset: offset)
    }
}
