/// The area an image may occupy, in terminal cells, and the pixel size of one cell.
///
/// The cell size comes from TIOCGWINSZ or `CSI 16 t` (see ``TerminalCapabilities``); when none
/// can be learned (output to a pipe or a file) ``defaultCellWidth`` × ``defaultCellHeight`` =
/// 8 × 16 is assumed, and `--cell-size WxH` overrides via ``init(columns:rows:cellSize:)``.
public struct CellGrid: Hashable, Sendable {
    public static let defaultCellWidth = 8
    public static let defaultCellHeight = 16

    public var columns: Int
    public var rows: Int
    public var cellWidth: Int
    public var cellHeight: Int

    public init(columns: Int, rows: Int, cellWidth: Int = CellGrid.defaultCellWidth,
                cellHeight: Int = CellGrid.defaultCellHeight) {
        precondition(columns > 0 && rows > 0 && cellWidth > 0 && cellHeight > 0, "empty cell grid")
        self.columns = columns; self.rows = rows; self.cellWidth = cellWidth; self.cellHeight = cellHeight
    }

    /// Parses a `--cell-size` argument such as `10x20`. Returns nil unless both are in 1...512.
    public static func parseCellSize(_ text: String) -> (width: Int, height: Int)? {
        let parts = text.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]),
              (1...512).contains(w), (1...512).contains(h) else { return nil }
        return (w, h)
    }

    /// Width over height of one cell in physical pixels.
    public var cellAspect: Double { Double(cellWidth) / Double(cellHeight) }
}
