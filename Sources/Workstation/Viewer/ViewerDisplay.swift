import Imaging

/// How the open study's images are shown: which series and slices, in which plane and layout,
/// with which window, zoom and pan, and where the cursor is. Nothing here is a clinical record;
/// it is what the session file and the screen need.
public struct ViewerDisplay: Sendable {
    /// A pan or cursor step on screen.
    public enum Direction: Sendable { case left, right, up, down }

    public var seriesIndex = 0
    /// Current slice (frame index into the stack) per series and plane (`sliceKey`).
    public var slices: [String: Int] = [:]
    /// The plane keys act on; in the MPR layout, the active viewport's.
    public var orientation: ViewerState.Orientation = .axial
    public var layout: ViewerState.Layout = .single
    /// Mammography hanging protocol (RCC|LCC over RMLO|LMLO).
    public var hanging = false
    /// Comparison layouts (1×2, 2×2): the series (index in the study) each viewport shows, set by
    /// the MR hanging (`MRHanging`) or by the series keys on the active viewport. Empty: viewport k
    /// shows series `seriesIndex + k`.
    public var viewportSeries: [Int] = []
    /// An MR study opened in its multi-sequence hanging: viewports are (re)assigned by sequence as
    /// the stacks load, until the reader assigns one by hand.
    public var mrHanging = false
    /// The viewport keys and findings act on (hanging protocol, comparison layouts).
    public var activeViewport = 0
    public var showPrior = false
    public var priorStudyUID: String?
    /// A CT follow-up opened beside its prior (`PriorHanging`): in the 1×2 layout the right-hand
    /// viewport shows the prior's volume, linked by anatomy.
    public var comparePrior = false
    /// The prior is on screen beside the current scan (the 1×2 layout of a prior comparison).
    public var showsPriorBeside: Bool { comparePrior && layout == .sideBySide && !hanging }
    /// nil: the file's own window (or the full range).
    public var window: VOITransform.Window?
    public var invert = false
    /// 1 = fit; >1 magnifies.
    public var zoom = 1.0
    /// Centre of the view in image pixels; nil = image centre.
    public var pan: ImagePoint?
    /// The cursor, in image pixels of the current frame.
    public var cursor: ImagePoint?
    /// Thick-slab projection of the planes shown (every viewport of a volume).
    public var slab = SlabSettings()
    /// Where the other viewports' planes cut each viewport (multi-viewport layouts).
    public var referenceLines = true
    /// Linked scrolling, its reader-set offsets, and linked zoom (`SliceLinking`).
    var link = SliceLinking()
    public var cine = false
    /// Corner annotations of each viewport.
    public var annotations = true

    public init() {}

    /// Slice-memory key: axial uses the series UID, reformats their own.
    static func sliceKey(_ seriesUID: String, _ o: ViewerState.Orientation) -> String {
        o == .axial ? seriesUID : seriesUID + "#" + o.rawValue
    }

    /// Remembers `index` as the slice of `seriesUID` in the current plane.
    mutating func setSlice(_ index: Int, series seriesUID: String) {
        slices[Self.sliceKey(seriesUID, orientation)] = index
    }

    /// Back to the whole image with no cursor: pan, zoom and cursor belong to the image left.
    mutating func resetFraming() {
        pan = nil; cursor = nil; zoom = 1
    }

    /// The reader's window, inversion, zoom and pan undone (the `reset` key).
    mutating func resetImage() {
        window = nil; invert = false; zoom = 1; pan = nil
    }

    mutating func fit() { zoom = 1; pan = nil }
    mutating func zoomIn() { zoom = min(16, zoom * 1.5) }
    mutating func zoomOut() { zoom = max(1, zoom / 1.5) }

    /// The series viewport `k` of a comparison layout shows.
    func seriesIndex(viewport k: Int) -> Int {
        k < viewportSeries.count ? viewportSeries[k] : seriesIndex + k
    }

    /// The next or previous of `count` series, wrapping; the framing starts over. In a comparison
    /// layout only the active viewport changes series (the others keep theirs), so any series can
    /// be put beside any other.
    mutating func stepSeries(_ delta: Int, of count: Int, comparison viewports: Int = 0) {
        if viewports > 1 {
            if viewportSeries.count < viewports { viewportSeries = (0 ..< viewports).map { seriesIndex(viewport: $0) } }
            let k = min(max(0, activeViewport), viewports - 1)
            viewportSeries[k] = ((viewportSeries[k] + delta) % count + count) % count
            mrHanging = false
        } else {
            seriesIndex = (seriesIndex + delta + count) % count
        }
        resetFraming()
    }

    /// The next layout; the first viewport becomes the active one.
    mutating func cycleLayout() {
        let all = ViewerState.Layout.allCases
        layout = all[((all.firstIndex(of: layout) ?? 0) + 1) % all.count]
        activeViewport = 0
    }

    /// Makes `o` the plane keys act on; the reader's pan, zoom and cursor belong to the old one.
    mutating func selectPlane(_ o: ViewerState.Orientation) {
        orientation = o
        resetFraming()
    }

    /// The plane after the current one (axial → coronal → sagittal → axial).
    var nextOrientation: ViewerState.Orientation {
        let all = ViewerState.Orientation.allCases
        return all[((all.firstIndex(of: orientation) ?? 0) + 1) % all.count]
    }

    /// Moves the view centre an eighth of the image in `direction`, kept on the image.
    mutating func pan(_ direction: Direction, width: Int, height: Int) {
        let step = Double(max(width, height)) / (8 * zoom)
        var c = pan ?? ImagePoint(x: Double(width) / 2, y: Double(height) / 2)
        c.move(direction, by: step)
        c.x = min(max(0, c.x), Double(width)); c.y = min(max(0, c.y), Double(height))
        pan = c
    }

    /// Moves the cursor about a 64th of the image (at least a pixel) in `direction`, kept on a pixel.
    mutating func moveCursor(_ direction: Direction, width: Int, height: Int) {
        let step = max(1, Double(max(width, height)) / (64 * zoom))
        var c = cursor ?? ImagePoint(x: Double(width) / 2, y: Double(height) / 2)
        c.move(direction, by: step)
        c.x = min(max(0, c.x), Double(width - 1)); c.y = min(max(0, c.y), Double(height - 1))
        cursor = c
    }

    /// The cursor, or the centre of a `width` × `height` image when there is none.
    func cursorOrCentre(width: Int, height: Int) -> ImagePoint {
        cursor ?? ImagePoint(x: Double(width) / 2, y: Double(height) / 2)
    }
}

private extension ImagePoint {
    mutating func move(_ direction: ViewerDisplay.Direction, by step: Double) {
        switch direction {
        case .left: x -= step
        case .right: x += step
        case .up: y -= step
        case .down: y += step
        }
    }
}
