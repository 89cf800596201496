/// Collects OpenJPEG's error messages (delivered through `opj_set_error_handler`) so they can be
/// put into the thrown ``CodecError``. Passed to OpenJPEG as an unretained context pointer.
final class OpenJPEGMessageLog {
    private(set) var messages: [String] = []

    func append(_ message: String) {
        let trimmed = message.trimmingTrailingNewlines()
        if messages.count < 8 { messages.append(trimmed) }
    }

    /// The collected messages, or `fallback` when OpenJPEG said nothing.
    func summary(or fallback: String) -> String {
        messages.isEmpty ? fallback : messages.joined(separator: "; ")
    }
}

private extension String {
    func trimmingTrailingNewlines() -> String {
        var s = Substring(self)
        while let last = s.last, last == "\n" || last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
