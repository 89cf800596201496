#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place Lightbox calls POSIX functions directly (open, read, write, close, stat, rename,
/// chmod, unlink, terminal attributes, poll, ioctl).
///
/// Why: each caller used to compare results with -1, read `errno` (sometimes after another call
/// had overwritten it) and retry on `EINTR` — or forget to. Here every call that can fail throws
/// ``SystemCallError`` with the `errno` captured right after the call, and calls that an
/// interrupting signal can cut short are retried on `EINTR`. No pointer or C struct crosses this
/// API: callers pass paths, descriptors and byte arrays, and get Swift values back.
public enum SystemCall {
    // MARK: Files

    /// `open(path, O_RDONLY | O_CLOEXEC)`.
    public static func openForReading(_ path: String) throws(SystemCallError) -> Int32 {
        try retrying("open", path) { cOpen(path, O_RDONLY | O_CLOEXEC, 0) }
    }

    /// `open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)`: creates a new file, failing
    /// with `EEXIST` when one is there already.
    public static func createExclusively(_ path: String, mode: UInt32) throws(SystemCallError) -> Int32 {
        try retrying("open", path) { cOpen(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode)) }
    }

    /// `close(fd)`. Never retried: after `EINTR` Linux has already released the descriptor, and
    /// a retry could close one that another thread just opened.
    public static func close(_ fd: Int32) throws(SystemCallError) {
        if cClose(fd) == -1 { throw SystemCallError(call: "close", code: errno, subject: "fd \(fd)") }
    }

    /// One `read(2)` of at most `count` bytes; empty at end of file.
    public static func read(_ fd: Int32, upTo count: Int) throws(SystemCallError) -> [UInt8] {
        guard count > 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: count)
        let n = try retrying("read", "fd \(fd)") {
            buffer.withUnsafeMutableBytes { raw in cRead(fd, raw.baseAddress, raw.count) }
        }
        buffer.removeLast(count - n)
        return buffer
    }

    /// Reads until `count` bytes have arrived or the file ends: fewer bytes only at end of file.
    public static func read(_ fd: Int32, exactlyOrToEnd count: Int) throws(SystemCallError) -> [UInt8] {
        guard count > 0 else { return [] }
        // Uninitialised capacity: zeroing a buffer the kernel is about to fill cost an index scan
        // 5 % of its time (64 KiB per file).
        var failure: SystemCallError?
        let buffer = [UInt8](unsafeUninitializedCapacity: count) { raw, initialised in
            var total = 0
            while total < count {
                do throws(SystemCallError) {
                    let n = try retrying("read", "fd \(fd)") {
                        cRead(fd, raw.baseAddress.map { $0 + total }, count - total)
                    }
                    if n == 0 { break }
                    total += n
                } catch {
                    failure = error
                    break
                }
            }
            initialised = total
        }
        if let failure { throw failure }
        return buffer
    }

    /// One `write(2)`; returns how many bytes the kernel took.
    @discardableResult
    public static func write(_ fd: Int32, _ bytes: [UInt8]) throws(SystemCallError) -> Int {
        try retrying("write", "fd \(fd)") {
            bytes.withUnsafeBytes { raw in cWrite(fd, raw.baseAddress, raw.count) }
        }
    }

    /// Writes every byte, continuing after partial writes. A write that takes nothing throws `EIO`.
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(SystemCallError) {
        var offset = 0
        while offset < bytes.count {
            let n = try retrying("write", "fd \(fd)") {
                bytes.withUnsafeBytes { raw in
                    cWrite(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]).baseAddress, bytes.count - offset)
                }
            }
            if n == 0 { throw SystemCallError(call: "write", code: EIO, subject: "fd \(fd)") }
            offset += n
        }
    }

    /// `rename(2)`: atomically replaces `destination` when it exists (same file system).
    public static func rename(_ source: String, to destination: String) throws(SystemCallError) {
        _ = try retrying("rename", "\(source) → \(destination)") { cRename(source, destination) }
    }

    /// `unlink(2)`.
    public static func unlink(_ path: String) throws(SystemCallError) {
        _ = try retrying("unlink", path) { cUnlink(path) }
    }

    /// `chmod(2)`.
    public static func chmod(_ path: String, mode: UInt32) throws(SystemCallError) {
        _ = try retrying("chmod", path) { cChmod(path, mode_t(mode)) }
    }

    /// `fchmod(2)`.
    public static func chmod(_ fd: Int32, mode: UInt32) throws(SystemCallError) {
        _ = try retrying("fchmod", "fd \(fd)") { cFchmod(fd, mode_t(mode)) }
    }

    /// `stat(2)`, following symbolic links.
    public static func status(_ path: String) throws(SystemCallError) -> FileStatus {
        var st = stat()
        _ = try retrying("stat", path) { cStat(path, &st) }
        return FileStatus(st)
    }

    /// The names in folder `path` (without `.` and `..`), read with opendir/readdir: several times
    /// faster than FileManager's enumerator on large trees.
    public static func directoryEntries(_ path: String) throws(SystemCallError) -> [DirectoryEntry] {
        try directoryEntries(path, statusWhere: { _, _ in false })
    }

    /// The names in folder `path` as ``directoryEntries(_:)`` lists them, and each entry that
    /// readdir did not call a directory and that `wanted` accepts (given its name and what readdir
    /// said it is) `stat`ed, following links, relative to the open folder: `fstatat(folder, name)`
    /// resolves one name, where `stat` on the full path walks every component again. On an archive
    /// of 100,000 files in study folders those path walks were a third of the time spent stat'ing.
    public static func directoryEntries(_ path: String, statusWhere wanted: (String, DirectoryEntry.Kind) -> Bool)
        throws(SystemCallError) -> [DirectoryEntry] {
        // The folder is opened here and handed to fdopendir (which then owns it), rather than
        // asking opendir's DIR for its descriptor: `dirfd` is a macro in some C libraries.
        let folder = try retrying("open", path) { cOpen(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0) }
        guard let handle = fdopendir(folder) else {
            let code = errno
            _ = cClose(folder)
            throw SystemCallError(call: "fdopendir", code: code, subject: path)
        }
        defer { closedir(handle) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let type = Int32(entry.pointee.d_type)
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String? in
                let bytes = raw.prefix { $0 != 0 }
                if bytes.count <= 2, bytes.allSatisfy({ $0 == UInt8(ascii: ".") }) { return nil }  // "." and ".."
                return String(decoding: bytes, as: UTF8.self)
            }
            guard let name else { continue }
            let kind: DirectoryEntry.Kind
            switch type {
            case Int32(DT_REG): kind = .regularFile
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_UNKNOWN): kind = .unknown
            default: kind = .other
            }
            var status: FileStatus?
            if kind != .directory, wanted(name, kind) {
                var st = stat()
                // d_name is NUL-terminated within the entry: the file's own bytes, even where they
                // are not valid UTF-8 and `name` holds replacement characters.
                let statted = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    raw.withMemoryRebound(to: CChar.self) { cName in
                        (try? retrying("fstatat", name) { cFstatat(folder, cName.baseAddress!, &st, 0) }) != nil
                    }
                }
                if statted { status = FileStatus(st) }
            }
            entries.append(DirectoryEntry(name: name, kind: kind, status: status))
        }
        return entries
    }

    /// The process's effective user id.
    public static func effectiveUserID() -> UInt32 { UInt32(geteuid()) }

    // MARK: Terminals

    /// `isatty(fd)`.
    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// Runs `body` with `fd` in non-canonical, no-echo mode with `VMIN = VTIME = 0` (reads return
    /// what has arrived), and restores the saved attributes afterwards. Throws when the attributes
    /// cannot be read; a failure to change them is ignored, as the reads then still work.
    public static func withRawInput<T>(_ fd: Int32, _ body: () -> T) throws(SystemCallError) -> T {
        var saved = termios()
        _ = try retrying("tcgetattr", "fd \(fd)") { tcgetattr(fd, &saved) }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 0; cc[Int(VTIME)] = 0
        }
        _ = try? retrying("tcsetattr", "fd \(fd)") { tcsetattr(fd, TCSANOW, &raw) }
        defer { _ = try? retrying("tcsetattr", "fd \(fd)") { tcsetattr(fd, TCSANOW, &saved) } }
        return body()
    }

    /// `poll(2)` for input on one descriptor. Not retried on `EINTR` (it throws): the caller
    /// recomputes what is left of its deadline before waiting again.
    public static func waitForInput(_ fd: Int32, timeoutMilliseconds: Int32) throws(SystemCallError) -> PollOutcome {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = try retrying("poll", "fd \(fd)", retryOnInterrupt: false) { poll(&pfd, 1, timeoutMilliseconds) }
        if ready == 0 { return .timedOut }
        return pfd.revents & Int16(POLLIN) != 0 ? .readable : .closed
    }

    /// The window size of the terminal on `fd` (`ioctl(TIOCGWINSZ)`).
    public static func windowSize(_ fd: Int32) throws(SystemCallError) -> TerminalWindowSize {
        var ws = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        _ = try retrying("ioctl", "fd \(fd)") { ioctl(fd, request, &ws) }
        return TerminalWindowSize(columns: Int(ws.ws_col), rows: Int(ws.ws_row),
                                  pixelWidth: Int(ws.ws_xpixel), pixelHeight: Int(ws.ws_ypixel))
    }

    // MARK: Scheduling

    /// Raises the calling thread's nice value by `niceness` (lower CPU priority). On Linux the nice
    /// value is per thread, and threads it starts afterwards (an OpenMP team) inherit it; the rest
    /// of the process keeps its priority. False where refused, or where the call would lower the
    /// whole process (elsewhere than Linux, where nothing is changed).
    @discardableResult
    public static func lowerCurrentThreadPriority(by niceness: Int32) -> Bool {
        #if os(Linux)
        let which = __priority_which_t(PRIO_PROCESS.rawValue)
        errno = 0
        let now = getpriority(which, 0)
        guard errno == 0 else { return false }
        return setpriority(which, 0, min(19, now + max(0, niceness))) == 0
        #else
        return false
        #endif
    }

    /// The calling thread's nice value (Linux; the process's elsewhere).
    public static func currentThreadNiceness() -> Int32 {
        #if os(Linux)
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        #else
        return getpriority(PRIO_PROCESS, 0)
        #endif
    }

    // MARK: Clock and text

    /// Seconds on the monotonic clock (for deadlines; unaffected by changes of the wall clock).
    public static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// `strerror(code)`.
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    // MARK: The wrapper

    /// `EINTR`, for callers that do not import the C library.
    public static let interrupted: Int32 = EINTR

    /// Runs `body` (a C call that returns -1 and sets `errno` on failure), again while it fails
    /// with `EINTR` when `retryOnInterrupt`, and throws the `errno` of any other failure.
    static func retrying<T: SignedInteger>(_ call: String, _ subject: @autoclosure () -> String,
                                           retryOnInterrupt: Bool = true, _ body: () -> T) throws(SystemCallError) -> T {
        while true {
            let result = body()
            if result != -1 { return result }
            let code = errno
            if code == EINTR && retryOnInterrupt { continue }
            throw SystemCallError(call: call, code: code, subject: subject())
        }
    }
}

// The C functions under names that the members above do not shadow.
private func cOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func cClose(_ fd: Int32) -> Int32 { close(fd) }
private func cRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func cWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
private func cRename(_ source: String, _ destination: String) -> Int32 { rename(source, destination) }
private func cUnlink(_ path: String) -> Int32 { unlink(path) }
private func cChmod(_ path: String, _ mode: mode_t) -> Int32 { chmod(path, mode) }
private func cFchmod(_ fd: Int32, _ mode: mode_t) -> Int32 { fchmod(fd, mode) }
private func cStat(_ path: String, _ st: inout stat) -> Int32 { stat(path, &st) }
private func cFstatat(_ folder: Int32, _ name: UnsafePointer<CChar>, _ st: inout stat, _ flags: Int32) -> Int32 {
    fstatat(folder, name, &st, flags)
}

extension FileStatus {
    init(_ st: stat) {
        #if canImport(Darwin)
        let t = st.st_mtimespec
        #else
        let t = st.st_mtim
        #endif
        let type = UInt32(st.st_mode) & UInt32(S_IFMT)
        self.init(size: Int64(st.st_size),
                  modifiedNanoseconds: Int64(t.tv_sec) &* 1_000_000_000 &+ Int64(t.tv_nsec),
                  inode: Int64(bitPattern: UInt64(st.st_ino)), mode: UInt32(st.st_mode), owner: UInt32(st.st_uid),
                  isRegularFile: type == UInt32(S_IFREG), isDirectory: type == UInt32(S_IFDIR))
    }
}
