import Foundation
import SystemCalls

/// The in-memory screen of the last frame drawn, written to a file when `LIGHTBOX_SCREEN_DUMP`
/// names one: what `Tests/Conformance/real_terminals.py` compares a real terminal's screenshot
/// with, cell by cell (every cell outside the images must show what the screen holds, and no
/// glyph may appear where it holds a blank).
///
/// The file holds patient text as drawn, so it is created 0600 and only when asked for.
/// Format (UTF-8): `lightbox-screen 1`, then `COLUMNS ROWS`, `cell WIDTH HEIGHT` when the terminal
/// told its cell size in pixels, one `image ROW COLUMN ROWS COLUMNS`
/// line per image placement, `text`, and the rows (a wide character once, its continuation cell
/// left out, so each line draws the row in a terminal).
enum ScreenDump {
    static let path: String? = ProcessInfo.processInfo.environment["LIGHTBOX_SCREEN_DUMP"].flatMap { $0.isEmpty ? nil : $0 }

    static func text(_ screen: Screen, cell: (width: Int?, height: Int?) = (nil, nil)) -> String {
        var out = "lightbox-screen 1\n\(screen.columns) \(screen.rows)\n"
        if let w = cell.width, let h = cell.height { out += "cell \(w) \(h)\n" }
        for p in screen.images { out += "image \(p.row) \(p.column) \(p.rows) \(p.columns)\n" }
        out += "text\n"
        for r in 0 ..< screen.rows {
            var line = ""
            for c in 0 ..< screen.columns where !screen[r, c].isContinuation { line.append(screen[r, c].character) }
            out += line + "\n"
        }
        return out
    }

    /// Writes the dump beside `path` and renames it over (a reader never sees half a frame).
    static func write(_ screen: Screen, cell: (width: Int?, height: Int?) = (nil, nil), to path: String) {
        let temporary = path + ".tmp"
        guard let fd = try? SystemCall.createExclusively(temporary, mode: 0o600) else {
            try? SystemCall.unlink(temporary)
            return
        }
        _ = try? SystemCall.writeAll(fd, Array(text(screen, cell: cell).utf8))
        try? SystemCall.close(fd)
        try? SystemCall.rename(temporary, to: path)
    }
}
