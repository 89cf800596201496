/// The part of an image a viewport shows: the zoom and pan a presentation state keeps as its
/// Displayed Area Selection (PS3.3 C.10.4). Corners are DICOM pixel positions, 1-based and inclusive
/// ((1,1) is the top left pixel, (columns, rows) the bottom right); they may lie outside the image
/// when the reader panned past its edge.
public struct DisplayedArea: Sendable, Equatable {
    public var left: Int
    public var top: Int
    public var right: Int
    public var bottom: Int

    public init(left: Int, top: Int, right: Int, bottom: Int) {
        self.left = left; self.top = top; self.right = right; self.bottom = bottom
    }

    /// The whole image (what "scale to fit" shows without zoom).
    public init(columns: Int, rows: Int) {
        self.init(left: 1, top: 1, right: max(columns, 1), bottom: max(rows, 1))
    }

    /// A usable area has its bottom right corner below and right of its top left one.
    public var isValid: Bool { right >= left && bottom >= top }

    public var width: Int { right - left + 1 }
    public var height: Int { bottom - top + 1 }
}
