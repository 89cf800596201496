import Imaging
import Review

/// The open study in the viewer, in parts that change for different reasons: how its images are
/// shown (`display`), the click tools (`tools`), how the AI's output is drawn (`overlay`), the
/// reader's findings review (`review`), and the second-reader screening read (`screening`).
///
/// Update code binds the viewer once per entry (`guard let viewer = state.viewer`, returning
/// when no study is open) and reads from that binding. It changes a part through the part's
/// methods, either on a copy of the part stored back once (`performImageDisplay`) or in place
/// through `state.viewer?.part`, so that what it asks the state next (the viewports, the
/// current frame) already sees the change. No update force-unwraps `state.viewer`.
public struct ViewerState: Sendable {
    /// `mpr`: axial | coronal | sagittal of one series, side by side, with reference lines.
    public enum Layout: String, CaseIterable, Sendable { case single = "1×1", sideBySide = "1×2", grid = "2×2", mpr = "MPR 1×3" }
    public enum Orientation: String, CaseIterable, Sendable { case axial, coronal, sagittal }

    public var studyUID: String
    /// Series, slices, planes, layout, window, zoom, pan, cursor, slab, links.
    public var display = ViewerDisplay()
    /// Pointer, measure or box, and what a drag or a half-placed tool holds.
    public var tools = ViewerTools()
    /// AI overlay, heatmap, outlines, opacity, withheld output.
    public var overlay = AIOverlaySettings()
    /// Finding selection, decisions, reader marks, sign-off and undo.
    public var review = FindingsReview()
    /// Key images: the reader's marks and the study's KOS / presentation state files.
    public var keyImages = KeyImageMarks()
    /// The reader's report: the saved version and the text kept from the editor.
    public var report = ReaderReport()
    /// The second-reader read of this study (screening workflows only).
    public var screening: ScreeningRead?

    public init(studyUID: String) { self.studyUID = studyUID }
}
