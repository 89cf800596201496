import Imaging

/// What a click on the image does, and what a tool in progress holds: the start of a
/// measurement or box (placed by two clicks or two key presses), the last measurement, and the
/// start of a W/L drag.
public struct ViewerTools: Sendable {
    /// What a click on the image does.
    public enum Tool: Equatable, Sendable {
        case pointer
        case measure(start: ImagePoint?)
        case box(start: ImagePoint?)
        var name: String {
            switch self {
            case .pointer: return "pointer"
            case .measure: return "measure"
            case .box: return "box"
            }
        }
    }

    public var tool: Tool = .pointer
    public var measurement: (ImagePoint, ImagePoint)?
    /// Where a left-button drag started (screen cell), for W/L by dragging.
    public var dragOrigin: (row: Int, column: Int, window: VOITransform.Window)?

    public init() {}

    /// Back to the pointer, the measurement cleared.
    mutating func reset() {
        tool = .pointer; measurement = nil
    }

    /// Places one end of a measurement at `p`: the second end finishes it and returns both ends
    /// (the pointer is back); the first starts it and returns nil.
    mutating func measure(at p: ImagePoint) -> (ImagePoint, ImagePoint)? {
        if case .measure(let start?) = tool {
            measurement = (start, p)
            tool = .pointer
            return (start, p)
        }
        tool = .measure(start: p)
        measurement = nil
        return nil
    }

    /// Places one corner of a box at `p`: the second corner finishes it and returns both corners
    /// (the pointer is back); the first starts it and returns nil.
    mutating func box(at p: ImagePoint) -> (ImagePoint, ImagePoint)? {
        if case .box(let start?) = tool {
            tool = .pointer
            return (start, p)
        }
        tool = .box(start: p)
        return nil
    }
}
