import Foundation
import SystemCalls

/// Reads the start of a file with open/read/close (no mapping, no Foundation file objects): the
/// cheapest way to get at a DICOM header when thousands of files are indexed.
enum HeadReader {
    /// Up to `bytes` bytes from the start of `path`, and whether that is the whole file.
    /// Nil when the file cannot be opened or read (the caller then reports the error through Foundation).
    static func read(_ path: String, bytes: Int) -> (Data, complete: Bool)? {
        guard let fd = try? SystemCall.openForReading(path) else { return nil }
        defer { try? SystemCall.close(fd) }
        // One byte more than asked tells whether the file goes on.
        guard let head = try? SystemCall.read(fd, exactlyOrToEnd: bytes + 1) else { return nil }
        let complete = head.count <= bytes
        return (complete ? Data(head) : Data(head[..<bytes]), complete)
    }
}
