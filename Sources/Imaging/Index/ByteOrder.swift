#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Orders strings by their UTF-8 bytes, as SQLite's BINARY collation does. Swift's `<` and `==`
/// compare canonical equivalents (NFC) instead, so two file names that differ only in Unicode
/// normalisation would be one key to Swift and two to SQLite; the index's merge join needs the
/// database's order.
enum ByteOrder {
    /// memcmp order, shorter first on a common prefix: <0, 0, >0.
    static func compare(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Int {
        let n = min(a.count, b.count)
        if n > 0, let pa = a.baseAddress, let pb = b.baseAddress {
            let c = memcmp(pa, pb, n)
            if c != 0 { return Int(c) }
        }
        return a.count - b.count
    }

    static func compare(_ a: UnsafeRawBufferPointer, _ b: String) -> Int {
        if let r = b.utf8.withContiguousStorageIfAvailable({ compare(a, UnsafeRawBufferPointer($0)) }) { return r }
        return Array(b.utf8).withUnsafeBytes { compare(a, $0) }
    }

    static func compare(_ a: String, _ b: String) -> Int {
        if let r = a.utf8.withContiguousStorageIfAvailable({ pa in compare(UnsafeRawBufferPointer(pa), b) }) { return r }
        return Array(a.utf8).withUnsafeBytes { compare($0, b) }
    }

    static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }
}
