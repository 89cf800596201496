import Foundation
import Review
import Synchronization

/// While the workstation owns the terminal, anything written to stderr (a library's message, the
/// archive mirror's progress) goes to `lightbox.log` beside the review database instead of into
/// the middle of the screen. `lightbox open` begins it before it starts any background work, so
/// that work's first lines land in the log too; `Runtime.run` begins it if nobody has.
public enum StandardErrorLog {
    /// The terminal's stderr while redirected; -1 when not. Behind a lock, so two threads that
    /// begin or end at once cannot both swap file descriptor 2.
    private static let saved = Mutex<Int32>(-1)

    /// Redirects stderr to `lightbox.log` in the database's folder (for a PostgreSQL store, the
    /// default local data folder) (created 0600: a message may
    /// quote a path or a header). A no-op when already redirected or when the log cannot be opened.
    public static func begin(databasePath: String) {
        saved.withLock { saved in
            guard saved < 0 else { return }
            saved = redirect(databasePath: databasePath)
        }
    }

    /// Points descriptor 2 at the log; returns the terminal's descriptor, or -1 when nothing changed.
    private static func redirect(databasePath: String) -> Int32 {
        let folder = (try? ReviewLocation(databasePath).localFolder()) ?? (databasePath as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let path = (folder as NSString).appendingPathComponent("lightbox.log")
        let log = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard log >= 0 else { return -1 }
        fchmod(log, 0o600)
        let terminal = dup(2)
        guard terminal >= 0 else { close(log); return -1 }
        dup2(log, 2)
        close(log)
        return terminal
    }

    /// Gives stderr back to the terminal.
    public static func end() {
        saved.withLock { saved in
            guard saved >= 0 else { return }
            dup2(saved, 2)
            close(saved)
            saved = -1
        }
    }
}
