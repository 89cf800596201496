import Foundation

/// The bytes a data set was parsed from. Element values are ranges into it, so parsing copies nothing;
/// when the buffer is a memory-mapped file, pixel data is only paged in when it is read.
public final class DICOMBuffer: Sendable {
    /// Immutable after init.
    public let data: Data

    public init(_ data: Data) { self.data = data }

    public var count: Int { data.count }

    /// Copies `range` out (ranges come from the parser and are always inside the buffer).
    @inlinable public func bytes(_ range: Range<Int>) -> [UInt8] {
        let lower = data.startIndex + range.lowerBound
        return [UInt8](data[lower ..< lower + range.count])
    }

    /// Calls `body` with the bytes of `range`, without copying.
    @inlinable public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try data.withUnsafeBytes { all in
            try body(UnsafeRawBufferPointer(rebasing: all[range]))
        }
    }
}
