import DICOMweb
import Foundation

/// libFuzzer entry point for the multipart/related parser that reads WADO-RS bodies from an archive.
/// Input layout: byte 0 = boundary length (0–70, any bytes, even empty), byte 1 = chunk size for the
/// incremental pass, then the boundary, then the body. The body is parsed whole and in chunks; when
/// both passes succeed they must give the same parts (incremental parsing must not change the result).
/// The rest of the input is also tried as a Content-Type header for `multipartBoundary(fromContentType:)`.
@_cdecl("LLVMFuzzerTestOneInput")
public func lightboxFuzzMultipart(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = [UInt8](UnsafeRawBufferPointer(start: start, count: count))
    guard bytes.count >= 2 else { return 0 }
    let boundaryLength = min(Int(bytes[0]) % 71, bytes.count - 2)
    let chunk = Int(bytes[1]) % 97 + 1
    let boundary = String(decoding: bytes[2 ..< 2 + boundaryLength], as: UTF8.self)
    let body = Data(bytes[(2 + boundaryLength)...])

    _ = multipartBoundary(fromContentType: String(decoding: body.prefix(512), as: UTF8.self))

    // Small part limit so the size check is reached too.
    let limit = 4096
    var whole = MultipartParser(boundary: boundary, maximumPartSize: limit)
    let wholeParts = try? whole.feed(body)
    let wholeOK = wholeParts != nil && (try? whole.finish()) != nil

    var incremental = MultipartParser(boundary: boundary, maximumPartSize: limit)
    var chunkParts: [MultipartPart]? = []
    var offset = body.startIndex
    while offset < body.endIndex {
        let end = min(offset + chunk, body.endIndex)
        guard let parts = try? incremental.feed(body[offset ..< end]) else { chunkParts = nil; break }
        chunkParts?.append(contentsOf: parts)
        offset = end
    }
    let chunkOK = chunkParts != nil && (try? incremental.finish()) != nil
    if wholeOK, chunkOK, let a = wholeParts, let b = chunkParts {
        let same = a.count == b.count && zip(a, b).allSatisfy { $0.headers == $1.headers && $0.body == $1.body }
        if !same { fatalError("multipart: whole-body parse gave \(a.count) part(s), chunked (\(chunk) B) gave \(b.count) or different ones") }
    }
    return 0
}
