import Foundation

/// An incremental multipart (RFC 2046) parser: feed bytes as they arrive, complete parts come out as
/// soon as their closing delimiter has been seen — so the first instance of a series is usable while
/// the rest is still downloading. Limits bound memory: part headers to 16 KiB, each part to
/// `maximumPartSize`.
public struct MultipartParser {
    public enum State: Equatable { case preamble, headers, body, epilogue }

    public private(set) var state = State.preamble
    public private(set) var partsEmitted = 0
    public let maximumPartSize: Int
    static let maximumHeaderSize = 16 << 10

    private let delimiter: [UInt8]      // "\r\n--boundary"
    private var buffer: [UInt8] = []
    private var headers: [String: String] = [:]
    /// Where to resume searching for the delimiter in `buffer` (everything before it was checked).
    private var scanFrom = 0

    public init(boundary: String, maximumPartSize: Int = 2 << 30) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        self.maximumPartSize = maximumPartSize
        // The first delimiter may open the body without a preceding CRLF.
        buffer = Array("\r\n".utf8)
    }

    /// Adds bytes; returns the parts completed by them.
    public mutating func feed(_ data: Data) throws -> [MultipartPart] {
        buffer.append(contentsOf: data)
        var parts: [MultipartPart] = []
        while let part = try step() { parts.append(part) }
        return parts
    }

    /// Call at the end of the stream: throws unless the closing delimiter was seen.
    public func finish() throws {
        switch state {
        case .epilogue: return
        case .preamble:
            throw DICOMwebError.malformedMultipart(partsEmitted == 0 ? "no boundary delimiter in the body" : "body ends before the closing delimiter",
                                                   partsReceived: partsEmitted)
        case .headers, .body:
            throw DICOMwebError.malformedMultipart("body ends inside part \(partsEmitted + 1)", partsReceived: partsEmitted)
        }
    }

    /// Advances as far as the buffer allows; returns a part when one completes.
    private mutating func step() throws -> MultipartPart? {
        while true {
            switch state {
            case .epilogue:
                buffer.removeAll(keepingCapacity: false)
                return nil
            case .preamble:
                guard let at = find(delimiter, from: 0) else {
                    // Keep only a tail that could still begin a delimiter.
                    if buffer.count > delimiter.count { buffer.removeFirst(buffer.count - delimiter.count) }
                    return nil
                }
                guard try consumeDelimiterTail(after: at + delimiter.count) else { return nil }
            case .headers:
                if buffer.count < 2 { return nil }
                if buffer[0] == 0x0D, buffer[1] == 0x0A {
                    // No header lines: the blank line follows the delimiter line directly.
                    headers = [:]
                    state = .body
                    scanFrom = 0
                    continue
                }
                guard let end = find(Array("\r\n\r\n".utf8), from: 0) else {
                    if buffer.count > Self.maximumHeaderSize {
                        throw DICOMwebError.malformedMultipart("part \(partsEmitted + 1) headers exceed 16 KiB", partsReceived: partsEmitted)
                    }
                    return nil
                }
                headers = try parseHeaders(Array(buffer[0 ..< end]))
                buffer.removeFirst(end + 4)
                // Keep a leading CRLF so an empty body's delimiter ("\r\n--b") is found at 0.
                buffer.insert(contentsOf: [0x0D, 0x0A], at: 0)
                state = .body
                scanFrom = 0
            case .body:
                guard let at = find(delimiter, from: scanFrom) else {
                    scanFrom = max(0, buffer.count - delimiter.count + 1)
                    if buffer.count - 2 > maximumPartSize {
                        throw DICOMwebError.malformedMultipart("part \(partsEmitted + 1) exceeds \(maximumPartSize) bytes", partsReceived: partsEmitted)
                    }
                    return nil
                }
                // buffer[0 ..< 2] is the CRLF that ends the headers; a delimiter found at 0 shares it
                // ("--b\r\n\r\n--b", or headers ending "\r\n\r\n--b"): an empty body, never 2 ..< 0.
                // The limit holds however the bytes were chunked (a part that arrived in one feed too).
                if at - 2 > maximumPartSize {
                    throw DICOMwebError.malformedMultipart("part \(partsEmitted + 1) exceeds \(maximumPartSize) bytes", partsReceived: partsEmitted)
                }
                let body = at > 2 ? Data(buffer[2 ..< at]) : Data()
                let part = MultipartPart(headers: headers, body: body)
                buffer.removeFirst(at)
                // The buffer now starts with the delimiter.
                guard try consumeDelimiterTail(after: delimiter.count) else {
                    // Wait for the bytes after the delimiter; re-find it from the start next time.
                    state = .preamble
                    partsEmitted += 1
                    return part
                }
                partsEmitted += 1
                return part
            }
        }
    }

    /// After a delimiter: "--" closes the body, otherwise optional whitespace and CRLF open a part.
    /// Returns false when more bytes are needed (the buffer is left positioned at the delimiter).
    private mutating func consumeDelimiterTail(after index: Int) throws -> Bool {
        let start = index - delimiter.count
        guard buffer.count >= index + 2 else {
            buffer.removeFirst(start)
            return false
        }
        if buffer[index] == 0x2D, buffer[index + 1] == 0x2D {
            state = .epilogue
            buffer.removeAll()
            return true
        }
        var p = index
        while p < buffer.count, buffer[p] == 0x20 || buffer[p] == 0x09 { p += 1 }
        guard buffer.count >= p + 2 else { buffer.removeFirst(start); return false }
        guard buffer[p] == 0x0D, buffer[p + 1] == 0x0A else {
            throw DICOMwebError.malformedMultipart("boundary delimiter not followed by CRLF", partsReceived: partsEmitted)
        }
        buffer.removeFirst(p + 2)
        state = .headers
        return true
    }

    private func parseHeaders(_ bytes: [UInt8]) throws -> [String: String] {
        var result: [String: String] = [:]
        guard !bytes.isEmpty else { return result }
        for line in String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw DICOMwebError.malformedMultipart("part \(partsEmitted + 1) has a header line without a colon", partsReceived: partsEmitted)
            }
            result[line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] =
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// First index of `needle` in `buffer` at or after `from`.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        let n = needle.count
        guard buffer.count >= n, from <= buffer.count - n else { return nil }
        let first = needle[0]
        return buffer.withUnsafeBufferPointer { hay -> Int? in
            guard let base = hay.baseAddress else { return nil }
            var i = from
            let last = hay.count - n
            while i <= last {
                // memchr jumps to the next candidate first byte (vectorised in libc).
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                var j = 1
                while j < n && hay[i + j] == needle[j] { j += 1 }
                if j == n { return i }
                i += 1
            }
            return nil
        }
    }
}
