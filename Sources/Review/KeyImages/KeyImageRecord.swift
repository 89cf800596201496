/// An image the reader marked as key, as the review store holds it: which image (and frame of a
/// multi-frame image), the reader's note, and the view it was marked in (window, inversion, zoom and
/// pan), which the export carries into the presentation state.
public struct KeyImageRecord: Sendable, Equatable {
    /// Row id (0 for a record not yet stored).
    public var id: Int64
    public var reader: String
    /// When it was marked (ISO 8601, UTC).
    public var at: String
    public var studyUID: String
    public var seriesUID: String
    public var sopUID: String
    /// 1-based frame of a multi-frame image; nil for a single-frame image (or the whole image).
    public var frame: Int?
    public var note: String
    public var windowCenter: Double?
    public var windowWidth: Double?
    /// The reader inverted the grey scale.
    public var inverted: Bool
    /// What the viewport showed; nil: the whole image.
    public var displayedArea: DisplayedArea?

    public init(id: Int64 = 0, reader: String = "", at: String = "", studyUID: String, seriesUID: String, sopUID: String,
                frame: Int? = nil, note: String = "", windowCenter: Double? = nil, windowWidth: Double? = nil,
                inverted: Bool = false, displayedArea: DisplayedArea? = nil) {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID; self.seriesUID = seriesUID
        self.sopUID = sopUID; self.frame = frame; self.note = note; self.windowCenter = windowCenter
        self.windowWidth = windowWidth; self.inverted = inverted; self.displayedArea = displayedArea
    }
}
