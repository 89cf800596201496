#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        guard isatty(input) == 1, isatty(output) == 1 else { return TerminalReplies() }
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return TerminalReplies() }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0; cc[Int(VTIME)] = 0
        }
        _ = tcsetattr(input, TCSANOW, &raw)
        defer { _ = tcsetattr(input, TCSANOW, &saved) }
        let query = insideTmux ? Array("\u{1B}[16t\u{1B}[14t\u{1B}[c".utf8) : queryBytes
        let written = query.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
        guard written == query.count else { return TerminalReplies() }
        return collect(from: input, timeout: timeout)
    }

    /// Reads from `fd` until a DA1 reply arrives or `timeout` seconds pass. Works on any
    /// pollable descriptor (tests feed it a pipe).
    public static func collect(from fd: Int32, timeout: Double) -> TerminalReplies {
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = now() + timeout
        while true {
            let remaining = deadline - now()
            if remaining <= 0 { break }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(max(1, (remaining * 1000).rounded(.up))))
            if ready < 0 { if errno == EINTR { continue }; break }
            if ready == 0 { break }
            if pfd.revents & Int16(POLLIN) == 0 { break }   // hang-up or error
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 65536 { break }
            if TerminalReplies(parsing: bytes).complete { break }
        }
        return TerminalReplies(parsing: bytes)
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
