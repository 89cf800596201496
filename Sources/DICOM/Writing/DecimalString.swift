import Foundation

/// Formats numbers for DS values, which hold at most 16 characters (PS3.5 §6.2).
public enum DecimalString {
    /// The shortest round-trip form of `value` when it fits in 16 characters, else the most significant
    /// digits that fit (plain or exponent notation). Non-finite values have no DS form and give nil.
    public static func format(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return "0" }
        let plain = "\(value)"
        if plain.count <= 16, !plain.contains("e") {
            return plain.hasSuffix(".0") ? String(plain.dropLast(2)) : plain
        }
        for digits in stride(from: 15, through: 1, by: -1) {
            let s = String(format: "%.\(digits)g", value)
            if s.count <= 16 { return s }
        }
        return nil
    }
}
