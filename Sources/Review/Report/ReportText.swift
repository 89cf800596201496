/// A report's two sections as the reader signs them. The editor shows them as one text under
/// "FINDINGS:" and "IMPRESSION:" headings (`text`) and reads the edited text back (`init(parsing:)`),
/// so the reader can edit everything, headings included, and the sections still come apart.
public struct ReportText: Sendable, Equatable {
    public var findings: String
    public var impression: String

    public init(findings: String, impression: String) { self.findings = findings; self.impression = impression }

    public static let findingsHeading = "FINDINGS:"
    public static let impressionHeading = "IMPRESSION:"

    /// Both sections under their headings, as the editor and the text export show them.
    public var text: String {
        "\(Self.findingsHeading)\n\(findings)\n\n\(Self.impressionHeading)\n\(impression)"
    }

    public var isEmpty: Bool { findings.isEmpty && impression.isEmpty }

    /// Splits edited text at the first line that is only the impression heading (any case, colon
    /// optional); a leading findings heading is dropped. Without an impression heading everything is
    /// findings. Blank lines at either end of a section are trimmed; lines keep their own spacing.
    public init(parsing text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0.trimmingTrailingCarriageReturn) }
        func isHeading(_ line: String, _ word: String) -> Bool {
            let t = line.trimmingSpaces.uppercased()
            return t == word || t == word + ":"
        }
        let split = lines.firstIndex { isHeading($0, "IMPRESSION") }
        var findings = Array(lines[..<(split ?? lines.count)])
        if let first = findings.firstIndex(where: { !$0.trimmingSpaces.isEmpty }), isHeading(findings[first], "FINDINGS") {
            findings.remove(at: first)
        }
        let impression = split.map { Array(lines[($0 + 1)...]) } ?? []
        self.init(findings: Self.trimmed(findings), impression: Self.trimmed(impression))
    }

    static func trimmed(_ lines: [String]) -> String {
        var l = lines[...]
        while let f = l.first, f.trimmingSpaces.isEmpty { l = l.dropFirst() }
        while let b = l.last, b.trimmingSpaces.isEmpty { l = l.dropLast() }
        return l.joined(separator: "\n")
    }
}

private extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
    var trimmingTrailingCarriageReturn: Substring {
        let s = Substring(self)
        return s.hasSuffix("\r") ? s.dropLast() : s
    }
}
