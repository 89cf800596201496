import ByteWriting

/// An in-memory grid of cells, row-major: what a cell blitter renders and ``CellCanvas`` diffs.
public struct CellBuffer: Hashable, Sendable {
    public let columns: Int
    public let rows: Int
    public var cells: [Cell]

    public init(columns: Int, rows: Int, fill: Cell = .blank) {
        self.columns = columns; self.rows = rows
        cells = [Cell](repeating: fill, count: columns * rows)
    }

    public subscript(column: Int, row: Int) -> Cell {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    /// The whole buffer as a stream that draws at the cursor: rows end with `ESC[0m` and a
    /// line feed (the reset keeps a scrolling terminal from painting the new line with the last
    /// background). With ``ColorDepth/none`` no escape sequence is written at all.
    public func frameBytes(depth: ColorDepth) -> [UInt8] {
        var out = ByteWriter(reservingCapacity: columns * rows * (depth == .none ? 1 : 24) + rows * 8)
        var writer = SGRWriter(depth: depth)
        cells.withUnsafeBufferPointer { c in
            for row in 0..<rows {
                for col in 0..<columns { writer.write(c[row * columns + col], into: &out) }
                writer.endLine(into: &out)
            }
        }
        return out.bytes
    }
}
