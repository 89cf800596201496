import SystemCalls

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
        guard SystemCall.isTerminal(fd), let ws = try? SystemCall.windowSize(fd), ws.columns > 0, ws.rows > 0 else { return nil }
        return WindowSize(columns: ws.columns, rows: ws.rows, pixelWidth: ws.pixelWidth, pixelHeight: ws.pixelHeight)
    }
}
