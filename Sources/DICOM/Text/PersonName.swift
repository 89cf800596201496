import Foundation

/// A Person Name (PN) value split into its component groups (PS3.5 §6.2.1.2).
///
/// Up to three groups separated by "=": alphabetic ("Yamada^Tarou"), ideographic ("山田^太郎")
/// and phonetic ("やまだ^たろう"); within a group, "^" separates family, given, middle, prefix and
/// suffix. Japanese, Chinese and Korean names often carry the ideographic group, and sometimes
/// only that one, so a display that showed the alphabetic group alone would show nothing.
public struct PersonName: Equatable, Sendable {
    public var alphabetic: String
    public var ideographic: String
    public var phonetic: String

    /// Splits a decoded PN value (the first value of a multi-valued one).
    public init(_ value: String) {
        let first = value.split(separator: "\\", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let groups = first.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
        alphabetic = groups.indices.contains(0) ? groups[0] : ""
        ideographic = groups.indices.contains(1) ? groups[1] : ""
        phonetic = groups.indices.contains(2) ? groups[2] : ""
    }

    /// A group for reading: components joined by spaces, empty ones dropped ("Yamada Tarou").
    public static func readable(_ group: String) -> String {
        group.split(separator: "^").map(trimmed).filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// `component` without leading and trailing blanks (what `trimmingCharacters(in: .whitespaces)`
    /// removes: tab, the space separators and U+200B), in the standard library: Foundation's character
    /// sets were most of a worklist's first paint, at one name per study.
    private static func trimmed(_ component: Substring) -> Substring {
        func isBlank(_ u: Unicode.Scalar) -> Bool {
            // U+200B, the zero width space, was a space separator until Unicode 4.0.1, and Foundation still trims it.
            u.value < 0x80 ? u == " " || u == "\t" : u.properties.generalCategory == .spaceSeparator || u.value == 0x200B
        }
        let scalars = component.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return Substring(scalars[first ... last])
    }

    /// The name for a worklist or header: the alphabetic group, then the ideographic one when it
    /// says something else ("Yamada Tarou 山田 太郎"); the phonetic group only when neither exists.
    public var displayName: String {
        let a = Self.readable(alphabetic), i = Self.readable(ideographic)
        let parts = [a, i == a ? "" : i].filter { !$0.isEmpty }
        return parts.isEmpty ? Self.readable(phonetic) : parts.joined(separator: " ")
    }
}

