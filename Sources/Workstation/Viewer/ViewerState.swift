import Imaging
import Review

/// Everything about the open study's display and review.
public struct ViewerState: Sendable {
    /// `mpr`: axial | coronal | sagittal of one series, side by side, with reference lines.
    public enum Layout: String, CaseIterable, Sendable { case single = "1×1", sideBySide = "1×2", grid = "2×2", mpr = "MPR 1×3" }
    public enum Orientation: String, CaseIterable, Sendable { case axial, coronal, sagittal }
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

    public var studyUID: String
    public var seriesIndex = 0
    /// Current slice (frame index into the stack) per series.
    public var slices: [String: Int] = [:]
    /// nil: the file's own window (or the full range).
    public var window: VOITransform.Window?
    public var invert = false
    /// 1 = fit; >1 magnifies.
    public var zoom = 1.0
    /// Centre of the view in image pixels; nil = image centre.
    public var pan: ImagePoint?
    /// The cursor, in image pixels of the current frame.
    public var cursor: ImagePoint?
    public var layout: Layout = .single
    /// Mammography hanging protocol (RCC|LCC over RMLO|LMLO).
    public var hanging = false
    /// The viewport keys and findings act on (hanging protocol).
    public var activeViewport = 0
    public var showPrior = false
    public var priorStudyUID: String?
    /// The plane keys act on; in the MPR layout, the active viewport's.
    public var orientation: Orientation = .axial
    /// Thick-slab projection of the planes shown (every viewport of a volume).
    public var slab = SlabSettings()
    /// Where the other viewports' planes cut each viewport (multi-viewport layouts).
    public var referenceLines = true
    /// Linked scrolling, its reader-set offsets, and linked zoom (`SliceLinking`).
    var link = SliceLinking()
    public var cine = false
    public var annotations = true
    public var aiOverlay = true
    /// The reader asked to see what an abstaining AI withheld (findings and heatmaps, marked OOD).
    public var showWithheld = false
    public var heatmap = true
    public var outlines = true
    public var opacity = 0.5
    public var tool: Tool = .pointer
    public var measurement: (ImagePoint, ImagePoint)?
    /// Where a left-button drag started (screen cell), for W/L by dragging.
    public var dragOrigin: (row: Int, column: Int, window: VOITransform.Window)?
    public var findingSelection = 0
    /// Findings panel focus: keys go to the list rather than the slices.
    public var decisions: [String: FindingDecision] = [:]
    public var readerFindings: [ReaderFindingRecord] = []
    public var signoff: SignoffRecord?
    /// Actions undo can revert, newest last. Rebuilt from the store on every review load, so undo
    /// reaches back past a restart.
    public var undoStack: [UndoEntry] = []
    /// The second-reader read of this study (screening workflows only).
    public var screening: ScreeningRead?

    public init(studyUID: String) { self.studyUID = studyUID }
}

/// A point in image pixels.
public struct ImagePoint: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Something undo can revert.
public enum UndoEntry: Equatable, Sendable {
    /// A decision; `recordID` 0 until the store has answered (then the finding's current one).
    case decision(findingKey: String, recordID: Int64)
    case readerFinding(key: String)
}
