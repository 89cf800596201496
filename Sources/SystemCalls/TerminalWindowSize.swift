/// The `TIOCGWINSZ` answer: cells, and pixels where the terminal fills them in (many leave 0).
public struct TerminalWindowSize: Equatable, Sendable {
    public let columns: Int
    public let rows: Int
    public let pixelWidth: Int
    public let pixelHeight: Int

    public init(columns: Int, rows: Int, pixelWidth: Int, pixelHeight: Int) {
        self.columns = columns; self.rows = rows; self.pixelWidth = pixelWidth; self.pixelHeight = pixelHeight
    }
}
