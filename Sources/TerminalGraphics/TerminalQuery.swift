import SystemCalls

/// Sends the capability queries and collects the replies, with a hard timeout.
///
/// This is the module's only terminal I/O. The queries go out in one write, DA1 last: every
/// terminal answers DA1, and replies arrive in order, so its answer ends the wait early; a
/// terminal that answers nothing costs exactly `timeout`. When `input` is a terminal it is put
/// in non-canonical, no-echo mode for the duration and restored afterwards (so replies are not
/// echoed or line-buffered). When `input` is not readable or `output` not writable (pipes in
/// tests, `render > file`), nothing is sent and the result is empty.
public enum TerminalQuery {
    /// kitty `a=q` probe, XTVERSION, XTSMGRAPHICS (read registers), cell size, text area, DA1.
    public static let queryBytes: [UInt8] = Array(
        ("\u{1B}_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\u{1B}\\" + "\u{1B}[>0q" + "\u{1B}[?1;1;0S" +
         "\u{1B}[16t" + "\u{1B}[14t" + "\u{1B}[c").utf8)

    public static func run(input: Int32, output: Int32, timeout: Double, insideTmux: Bool = false) -> TerminalReplies {
        guard SystemCall.isTerminal(input), SystemCall.isTerminal(output) else { return TerminalReplies() }
        let query = insideTmux ? Array("\u{1B}[16t\u{1B}[14t\u{1B}[c".utf8) : queryBytes
        let replies = try? SystemCall.withRawInput(input) { () -> TerminalReplies in
            guard let written = try? SystemCall.write(output, query), written == query.count else { return TerminalReplies() }
            return collect(from: input, timeout: timeout)
        }
        return replies ?? TerminalReplies()
    }

    /// Reads from `fd` until a DA1 reply arrives or `timeout` seconds pass. Works on any
    /// pollable descriptor (tests feed it a pipe).
    public static func collect(from fd: Int32, timeout: Double) -> TerminalReplies {
        var bytes = [UInt8]()
        let deadline = now() + timeout
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { break }
            let outcome: PollOutcome
            do {
                outcome = try SystemCall.waitForInput(fd, timeoutMilliseconds: Int32(max(1, (remaining * 1000).rounded(.up))))
            } catch where error.isInterruption {
                continue   // a signal: wait again for what is left of the deadline
            } catch { break }
            if outcome != .readable { break }   // timed out, hang-up or error
            guard let chunk = try? SystemCall.read(fd, upTo: 4096), !chunk.isEmpty else { break }
            bytes.append(contentsOf: chunk)
            if bytes.count > 65536 { break }
            if TerminalReplies(parsing: bytes).complete { break }
        }
        return TerminalReplies(parsing: bytes)
    }

    static func now() -> Double { SystemCall.monotonicSeconds() }
}
