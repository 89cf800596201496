import Foundation

/// Unique identifiers without a registered root: `2.25.` followed by a UUID read as one 128-bit
/// unsigned decimal number (PS3.5 §B.2, ISO/IEC 9834-8). At most 44 characters, so always under UI's 64.
public enum UIDGenerator {
    /// A new random UID.
    public static func make() -> String { uid(from: UUID()) }

    /// The `2.25` UID of `uuid`.
    public static func uid(from uuid: UUID) -> String {
        let b = uuid.uuid
        let bytes = [b.0, b.1, b.2, b.3, b.4, b.5, b.6, b.7, b.8, b.9, b.10, b.11, b.12, b.13, b.14, b.15]
        return "2.25." + decimal(bigEndian: bytes)
    }

    /// Decimal digits of an unsigned big-endian integer of any width (repeated division by 10); with
    /// 16 bytes of a hash after `2.25.` it gives a UID that is stable for the same input.
    public static func decimal(bigEndian bytes: [UInt8]) -> String {
        var n = bytes.drop { $0 == 0 }.map { UInt32($0) }
        if n.isEmpty { return "0" }
        var digits: [UInt8] = []
        while !n.isEmpty {
            var remainder: UInt32 = 0
            var quotient: [UInt32] = []
            quotient.reserveCapacity(n.count)
            for byte in n {
                let cur = remainder << 8 | byte
                let q = cur / 10
                remainder = cur % 10
                if !(quotient.isEmpty && q == 0) { quotient.append(q) }
            }
            digits.append(UInt8(remainder) + 0x30)
            n = quotient
        }
        return String(decoding: digits.reversed(), as: UTF8.self)
    }

    /// True when `s` is a syntactically valid UID: 1–64 characters, numeric components separated by
    /// dots, no leading zeros in a component (PS3.5 §9.1).
    public static func isValid(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 64 else { return false }
        for comp in s.split(separator: ".", omittingEmptySubsequences: false) {
            guard !comp.isEmpty, comp.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if comp.count > 1 && comp.first == "0" { return false }
        }
        return true
    }
}
