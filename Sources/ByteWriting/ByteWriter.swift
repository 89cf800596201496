/// A growable, bounds-checked byte buffer: the one way Lightbox writes wire bytes (sixel and SGR
/// terminal output, DICOM upper-layer PDUs, DIMSE command sets).
///
/// Why one type: the sixel encoder used to store through a raw pointer into a buffer sized by a
/// worst-case formula (one wrong term and it wrote past the end), while the SGR and PDU writers
/// each appended to arrays their own way. Here every write goes through `Array` storage, so no
/// write can land outside the buffer, and the hot paths stay cheap: callers reserve capacity up
/// front, and runs, decimals and byte sequences are appended in one call each.
///
/// An optional `limit` caps the length. A write that would pass it is not performed: the writer
/// keeps the bytes written before it, remembers the overflow (``hasOverflowed``), and ignores every
/// later write, so the output is always a clean prefix. ``finish()`` then throws
/// ``ByteLimitExceeded`` instead of the process trapping. Without a limit (the default) the writer
/// only grows.
public struct ByteWriter: Sendable {
    @usableFromInline var storage: [UInt8]
    /// The most bytes this writer will hold (`Int.max` when unlimited).
    public let limit: Int
    /// The length a refused write would have reached; nil while every write fitted.
    @usableFromInline var refusedLength: Int?

    /// An empty writer with room for `capacity` bytes before it reallocates.
    @inlinable
    public init(reservingCapacity capacity: Int = 0, limit: Int = .max) {
        storage = []
        self.limit = max(0, limit)
        refusedLength = nil
        storage.reserveCapacity(min(max(0, capacity), self.limit))
    }

    /// A writer that appends after `bytes` (taken over, not copied, when the caller lets go of them).
    @inlinable
    public init(appendingTo bytes: [UInt8], limit: Int = .max) {
        storage = bytes
        self.limit = max(0, limit)
        refusedLength = bytes.count > self.limit ? bytes.count : nil
    }

    /// The bytes written so far.
    @inlinable public var bytes: [UInt8] { storage }
    /// How many bytes have been written.
    @inlinable public var count: Int { storage.count }
    @inlinable public var isEmpty: Bool { storage.isEmpty }
    /// True once a write was refused because it would have passed ``limit``.
    @inlinable public var hasOverflowed: Bool { refusedLength != nil }

    /// The bytes written, or ``ByteLimitExceeded`` when a write was refused at the limit.
    @inlinable
    public func finish() throws(ByteLimitExceeded) -> [UInt8] {
        if let refusedLength { throw ByteLimitExceeded(limit: limit, attemptedLength: refusedLength, written: storage.count) }
        return storage
    }

    /// Makes room for `n` more bytes (never beyond the limit).
    @inlinable
    public mutating func reserveCapacity(additional n: Int) {
        storage.reserveCapacity(min(storage.count + max(0, n), limit))
    }

    /// True when `n` more bytes fit; otherwise records the overflow. Every write asks first.
    @inlinable @inline(__always)
    mutating func admit(_ n: Int) -> Bool {
        if refusedLength != nil { return false }
        if n <= limit &- storage.count { return true }
        refusedLength = storage.count + n
        return false
    }

    // MARK: Raw bytes

    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        guard admit(1) else { return }
        storage.append(byte)
    }

    /// Appends a byte sequence in one bulk copy (all of it or, past the limit, none of it).
    @inlinable
    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        guard admit(bytes.count) else { return }
        storage.append(contentsOf: bytes)
    }

    /// Appends `count` copies of `byte` in one bulk write.
    @inlinable
    public mutating func append(_ byte: UInt8, count n: Int) {
        guard n > 0, admit(n) else { return }
        storage.append(contentsOf: repeatElement(byte, count: n))
    }

    // MARK: Text

    /// The decimal digits of `value` in ASCII; negative values are written as `0` (every caller
    /// writes sizes, counts and colour components).
    @inlinable
    public mutating func appendDecimal(_ value: Int) {
        let v = max(value, 0)
        if v < 10 { append(UInt8(truncatingIfNeeded: 0x30 &+ v)); return }
        if v < 100 {
            guard admit(2) else { return }
            storage.append(UInt8(truncatingIfNeeded: 0x30 &+ v / 10)); storage.append(UInt8(truncatingIfNeeded: 0x30 &+ v % 10))
            return
        }
        if v < 1000 {
            guard admit(3) else { return }
            storage.append(UInt8(truncatingIfNeeded: 0x30 &+ v / 100))
            storage.append(UInt8(truncatingIfNeeded: 0x30 &+ v / 10 % 10))
            storage.append(UInt8(truncatingIfNeeded: 0x30 &+ v % 10))
            return
        }
        append(contentsOf: String(v).utf8)   // rare: sizes, long runs
    }

    /// A Unicode scalar value as UTF-8 (1 to 4 bytes); the caller passes a valid scalar.
    @inlinable
    public mutating func appendUTF8(_ scalar: UInt32) {
        if scalar < 0x80 { append(UInt8(truncatingIfNeeded: scalar)); return }
        if scalar < 0x800 {
            guard admit(2) else { return }
            storage.append(UInt8(truncatingIfNeeded: 0xC0 | scalar >> 6))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        } else if scalar < 0x10000 {
            guard admit(3) else { return }
            storage.append(UInt8(truncatingIfNeeded: 0xE0 | scalar >> 12))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        } else {
            guard admit(4) else { return }
            storage.append(UInt8(truncatingIfNeeded: 0xF0 | scalar >> 18))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 12 & 0x3F))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar >> 6 & 0x3F))
            storage.append(UInt8(truncatingIfNeeded: 0x80 | scalar & 0x3F))
        }
    }

    /// The UTF-8 bytes of `text`.
    @inlinable
    public mutating func appendUTF8(_ text: String) { append(contentsOf: text.utf8) }

    // MARK: Integers

    @inlinable
    public mutating func appendBigEndian(_ v: UInt16) {
        guard admit(2) else { return }
        storage.append(UInt8(truncatingIfNeeded: v >> 8)); storage.append(UInt8(truncatingIfNeeded: v))
    }

    @inlinable
    public mutating func appendBigEndian(_ v: UInt32) {
        guard admit(4) else { return }
        storage.append(UInt8(truncatingIfNeeded: v >> 24)); storage.append(UInt8(truncatingIfNeeded: v >> 16))
        storage.append(UInt8(truncatingIfNeeded: v >> 8)); storage.append(UInt8(truncatingIfNeeded: v))
    }

    @inlinable
    public mutating func appendLittleEndian(_ v: UInt16) {
        guard admit(2) else { return }
        storage.append(UInt8(truncatingIfNeeded: v)); storage.append(UInt8(truncatingIfNeeded: v >> 8))
    }

    @inlinable
    public mutating func appendLittleEndian(_ v: UInt32) {
        guard admit(4) else { return }
        storage.append(UInt8(truncatingIfNeeded: v)); storage.append(UInt8(truncatingIfNeeded: v >> 8))
        storage.append(UInt8(truncatingIfNeeded: v >> 16)); storage.append(UInt8(truncatingIfNeeded: v >> 24))
    }
}
