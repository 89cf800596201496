import Foundation

/// A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, one server on a free
/// loopback port, removed by `stop()`.
///
/// Logins over TCP need a password (scram-sha-256, user `lightbox`, `password`), so tests exercise
/// the password paths; the superuser `postgres` logs in without one on the cluster's own Unix
/// socket, which only the tests use. `initdb` and the server refuse to run as root: as root
/// (CI), the folder is given to the `postgres` OS user and every command runs through
/// `runuser -u postgres --`. `start()` throws `Unavailable` only when the binaries are missing,
/// so the caller can skip with that message; anything else is a failure.
public final class PostgresTestCluster: @unchecked Sendable {
    /// The server binaries are not installed: the one reason to skip.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    /// Anything else that went wrong setting the cluster up.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let port: Int
    public let password = "s3cret-Lightbox-pw"
    public let user = "lightbox"
    let folder: String
    let bin: String
    let asPostgres: Bool
    private var databases = 0

    public var data: String { folder + "/data" }
    public var socketFolder: String { folder + "/socket" }

    /// The newest installed `…/bin` holding `initdb` and `pg_ctl`, or nil.
    public static func binaries() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return versions.sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }.map { "\(root)/\($0)/bin" }
            .first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl") }
    }

    /// Creates and starts a cluster (about 1–2 s).
    public static func start() throws -> PostgresTestCluster {
        guard let bin = binaries() else {
            throw Unavailable(description: "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (Debian package postgresql); PostgreSQL tests skipped")
        }
        return try PostgresTestCluster(bin: bin)
    }

    private init(bin: String) throws {
        self.bin = bin
        asPostgres = getuid() == 0
        folder = "/tmp/lightbox-pg-\(UUID().uuidString.prefix(8))"
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: folder + "/socket", withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        let pwfile = folder + "/pw"
        _ = FileManager.default.createFile(atPath: pwfile, contents: Data(password.utf8), attributes: [.posixPermissions: 0o600])
        if asPostgres {
            guard let pw = getpwnam("postgres") else { throw Failure(description: "running as root and no postgres OS user to run the server") }
            for p in [folder, folder + "/socket", pwfile] { chown(p, pw.pointee.pw_uid, pw.pointee.pw_gid) }
        }
        do {
            try run(bin + "/initdb", ["-D", data, "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C",
                                      "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile])
            try start()
            try psql("CREATE ROLE \(user) LOGIN PASSWORD '\(password)'")
        } catch {
            stop()
            throw error
        }
    }

    /// Starts (or, after `stop(keepFiles:)`, restarts) the server.
    public func start() throws {
        try run(bin + "/pg_ctl", ["-D", data, "-l", folder + "/server.log", "-w", "-t", "30", "-o",
                                  "-p \(port) -k \(socketFolder) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                                  "start"])
    }

    /// `pg_ctl restart`: every open connection is cut.
    public func restart() throws {
        try run(bin + "/pg_ctl", ["-D", data, "-w", "-t", "30", "-m", "fast", "restart"])
    }

    /// Stops the server and deletes the cluster.
    public func stop() {
        _ = try? run(bin + "/pg_ctl", ["-D", data, "-w", "-t", "30", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// A new empty database owned by `user`; returns its URL (no password in it).
    public func createDatabase() throws -> String {
        databases += 1
        let name = "t\(databases)"
        try psql("CREATE DATABASE \(name) OWNER \(user)")
        return url(name)
    }

    public func url(_ database: String) -> String { "postgresql://\(user)@127.0.0.1:\(port)/\(database)" }

    /// A copy of the password readable by this process only (mode 0600), for `?password_file=`.
    public var passwordFile: String {
        let path = folder + "/client-pw"
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: Data((password + "\n").utf8), attributes: [.posixPermissions: 0o600])
        }
        return path
    }

    /// `createDatabase()`'s URL with `?password_file=` added: what a test opens a store with.
    public func createDatabaseWithPasswordFile() throws -> String {
        try createDatabase() + "?password_file=" + passwordFile
    }

    /// Runs SQL as the superuser over the cluster's socket.
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run(bin + "/psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", socketFolder, "-p", String(port), "-U", "postgres",
                                "-d", database, "-c", sql])
    }

    /// Runs a server binary (as `postgres` when we are root); throws with its output on failure.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`: the
    /// server that `pg_ctl start` leaves running inherits the descriptors `Process` watches for the
    /// child's end, so `waitUntilExit` (or reading a pipe) would wait as long as the server runs.
    @discardableResult
    func run(_ tool: String, _ arguments: [String]) throws -> String {
        let argv = (asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", tool] : [tool]) + arguments
        let outPath = NSTemporaryDirectory() + "lightbox-pg-out-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var env = ProcessInfo.processInfo.environment
        env["PGPASSWORD"] = nil
        env["LC_ALL"] = "C"
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        let args = argv.map { strdup($0) } + [nil]
        defer { (envp + args).forEach { free($0) } }
        var pid: pid_t = 0
        let rc = "/tmp".withCString { _ in posix_spawn(&pid, argv[0], &actions, nil, args, envp) }
        guard rc == 0 else { throw Failure(description: "\(argv[0]): posix_spawn failed (\(rc))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0, code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw Failure(description: "\((tool as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }

    /// A loopback TCP port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        guard bound else { throw Failure(description: "bind: \(errno)") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
