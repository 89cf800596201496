import Foundation

/// Golden files: a test's whole output compared byte for byte with a file kept in the repository.
///
/// `UPDATE_GOLDENS=1 swift test --filter …` writes the actual output over the golden instead (review
/// the `git diff` before committing it). Otherwise a mismatch, or a golden that does not exist yet,
/// is a failure whose message shows the first differing lines. Callers normalise what legitimately
/// varies (timings, absolute paths) before comparing, and say so where they do.
///
/// No XCTest here (this is a plain target): `check` returns the failure text, the test reports it.
public enum Golden {
    /// Whether this run rewrites goldens instead of comparing.
    public static var updating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDENS"] == "1" }

    /// nil when `actual` equals the golden at `url` (or was written there because `updating`);
    /// otherwise a readable failure message.
    public static func check(_ actual: String, against url: URL) -> String? {
        if updating {
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(actual.utf8).write(to: url, options: .atomic)
                return nil
            } catch {
                return "cannot write golden \(url.path): \(error)"
            }
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            return "no golden at \(url.path); write it with UPDATE_GOLDENS=1 swift test --filter <target> and review it"
        }
        guard let expected = String(data: data, encoding: .utf8) else { return "golden \(url.path) is not UTF-8" }
        if expected == actual { return nil }
        return "output differs from golden \(url.lastPathComponent) (UPDATE_GOLDENS=1 rewrites it):\n"
            + diff(expected: expected, actual: actual)
    }

    /// The first differing lines: `-` is the golden, `+` the actual output. With as many lines on both
    /// sides, each differing line is shown by its number; otherwise the differing block, with context.
    public static func diff(expected: String, actual: String, context: Int = 3, maxLines: Int = 12) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var first = 0
        while first < e.count, first < a.count, e[first] == a[first] { first += 1 }
        if e.count == a.count {
            // Same length: each differing line against its golden, by line number.
            let differing = (0 ..< e.count).filter { e[$0] != a[$0] }
            var out = ["\(differing.count) of \(e.count) lines differ (- golden, + output):"]
            for i in differing.prefix(maxLines) {
                out += ["@@ line \(i + 1)", "- " + visible(e[i]), "+ " + visible(a[i])]
            }
            if differing.count > maxLines { out.append("… \(differing.count - maxLines) more differing lines") }
            return out.joined(separator: "\n")
        }
        // Resynchronise after the first difference: the shortest common tail tells how many lines differ.
        var tail = 0
        while tail < e.count - first, tail < a.count - first, e[e.count - 1 - tail] == a[a.count - 1 - tail] { tail += 1 }
        let eEnd = e.count - tail, aEnd = a.count - tail
        var out = ["@@ line \(first + 1): golden has \(e.count) lines, output \(a.count) @@"]
        for i in max(0, first - context) ..< first { out.append("  " + visible(e[i])) }
        for i in first ..< min(eEnd, first + maxLines) { out.append("- " + visible(e[i])) }
        if eEnd - first > maxLines { out.append("- … \(eEnd - first - maxLines) more") }
        for i in first ..< min(aEnd, first + maxLines) { out.append("+ " + visible(a[i])) }
        if aEnd - first > maxLines { out.append("+ … \(aEnd - first - maxLines) more") }
        for i in max(eEnd, first) ..< min(e.count, max(eEnd, first) + context) { out.append("  " + visible(e[i])) }
        return out.joined(separator: "\n")
    }

    /// Trailing spaces and control characters made visible, so a diff of whitespace can be read.
    static func visible(_ line: String) -> String {
        var s = ""
        for u in line.unicodeScalars {
            if u.value < 0x20 || u.value == 0x7F { s += String(format: "\\x%02X", u.value) } else { s.unicodeScalars.append(u) }
        }
        var trailing = 0
        while trailing < s.count, s[s.index(s.endIndex, offsetBy: -1 - trailing)] == " " { trailing += 1 }
        return trailing > 0 ? String(s.dropLast(trailing)) + String(repeating: "·", count: trailing) : s
    }
}
