#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal window size from `TIOCGWINSZ`: cells, and pixels where the terminal fills
/// them in (many do not, leaving 0).
public struct WindowSize: Equatable, Sendable {
    public var columns: Int
    public var rows: Int
    public var pixelWidth: Int
    public var pixelHeight: Int

    public init(columns: Int, rows: Int, pixelWidth: Int = 0, pixelHeight: Int = 0) {
        self.columns = columns; self.rows = rows; self.pixelWidth = pixelWidth; self.pixelHeight = pixelHeight
    }

    public var cellWidth: Int? { columns > 0 && pixelWidth > 0 ? pixelWidth / columns : nil }
    public var cellHeight: Int? { rows > 0 && pixelHeight > 0 ? pixelHeight / rows : nil }

    /// Nil when `fd` is not a terminal (a pipe or a file).
    public static func of(fd: Int32) -> WindowSize? {
        guard isatty(fd) == 1 else { return nil }
        var ws = winsize()
        #if canImport(Glibc)
        let request = UInt(TIOCGWINSZ)
        #else
        let request = TIOCGWINSZ
        #endif
        guard ioctl(fd, request, &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return nil }
        return WindowSize(columns: Int(ws.ws_col), rows: Int(ws.ws_row), pixelWidth: Int(ws.ws_xpixel), pixelHeight: Int(ws.ws_ypixel))
    }
}
