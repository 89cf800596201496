import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the start of a file with open/read/close (no mapping, no Foundation file objects): the
/// cheapest way to get at a DICOM header when thousands of files are indexed.
enum HeadReader {
    /// Up to `bytes` bytes from the start of `path`, and whether that is the whole file.
    /// Nil when the file cannot be opened (the caller then reports the error through Foundation).
    static func read(_ path: String, bytes: Int) -> (Data, complete: Bool)? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: bytes + 1)
        var total = 0
        while total < buffer.count {
            let n = buffer.withUnsafeMutableBytes { raw in
                posixRead(fd, raw.baseAddress! + total, raw.count - total)
            }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            total += n
        }
        // One byte more than asked tells whether the file goes on.
        let complete = total <= bytes
        return (Data(buffer[0 ..< min(total, bytes)]), complete)
    }
}

/// `read(2)`, named apart from `HeadReader.read`.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}
