import ByteWriting

/// A stateful cell surface at a fixed screen position that sends only the cells that changed.
///
/// Scrolling through a series redraws one slice after another at the same place; most cells
/// (air, table, background, unchanged anatomy) stay identical. `draw` compares the new buffer
/// with the one last sent and writes, per row, runs of changed cells preceded by a cursor
/// position (`CSI row;col H`). Gaps of up to ``mergeGap`` unchanged cells inside a run are
/// rewritten rather than skipped, because a cursor move costs more than a few cells.
/// Cost: O(cells) comparisons per frame; output O(changed cells).
///
/// Drawing absolute positions means the canvas assumes it owns that screen area; call
/// ``invalidate()`` after anything else drew over it (resize, dialog, clear screen).
public final class CellCanvas {
    /// 1-based screen row and column of the top-left cell.
    public var originRow: Int
    public var originColumn: Int
    public let depth: ColorDepth
    public var mergeGap = 4
    private var previous: CellBuffer?

    public init(originRow: Int = 1, originColumn: Int = 1, depth: ColorDepth) {
        self.originRow = originRow; self.originColumn = originColumn; self.depth = depth
    }

    /// Forget what was sent, so the next `draw` repaints everything.
    public func invalidate() { previous = nil }

    /// Bytes that bring the screen from the last drawn buffer to `buffer`.
    public func draw(_ buffer: CellBuffer) -> [UInt8] {
        let full = previous == nil || previous!.columns != buffer.columns || previous!.rows != buffer.rows
        var out = ByteWriter(reservingCapacity: full ? buffer.cells.count * 20 : 256)
        var writer = SGRWriter(depth: depth)
        let old = full ? nil : previous!.cells
        buffer.cells.withUnsafeBufferPointer { new in
            for row in 0..<buffer.rows {
                let base = row * buffer.columns
                var cursor = -1   // column the terminal cursor is at on this row, -1 unknown
                var col = 0
                while col < buffer.columns {
                    if let old, old[base + col] == new[base + col] { col += 1; continue }
                    if cursor != col {
                        if cursor >= 0 && col - cursor <= mergeGap {
                            for c in cursor..<col { writer.write(new[base + c], into: &out) }
                        } else {
                            Self.appendCursorPosition(row: originRow + row, column: originColumn + col, into: &out)
                        }
                    }
                    writer.write(new[base + col], into: &out)
                    col += 1; cursor = col
                }
            }
        }
        writer.reset(into: &out)
        previous = buffer
        return out.bytes
    }

    /// `CSI row;col H` (1-based).
    static func appendCursorPosition(row: Int, column: Int, into out: inout ByteWriter) {
        out.append(0x1B); out.append(0x5B)
        out.appendUTF8(String(row)); out.append(0x3B)
        out.appendUTF8(String(column)); out.append(0x48)
    }
}
