import Foundation

/// Reads the password named by `password_file=PATH` in a review-store URL.
///
/// Like libpq's `~/.pgpass`, the file must not be readable or writable by group or others: a
/// password others can read is a shared password. Refused with a message saying how to fix it,
/// rather than used with a warning. The first line is the password (a trailing newline is dropped).
enum PasswordFile {
    /// Files larger than this are not password files (a mistaken path to a database or a log).
    static let maximumBytes = 4096

    static func read(_ path: String) throws -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw PostgresError(.configuration, "password_file \(path): \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw PostgresError(.configuration, "password_file \(path) is not a regular file")
        }
        guard st.st_mode & 0o077 == 0 else {
            throw PostgresError(.configuration, "password_file \(path) is readable by group or others (mode \(String(st.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        guard st.st_size <= maximumBytes else {
            throw PostgresError(.configuration, "password_file \(path) is \(st.st_size) bytes; a password file holds one line")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PostgresError(.configuration, "password_file \(path) cannot be read")
        }
        let text = String(decoding: data, as: UTF8.self)
        let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let password = line.hasSuffix("\r") ? String(line.dropLast()) : line
        guard !password.isEmpty else { throw PostgresError(.configuration, "password_file \(path) is empty") }
        return password
    }
}
