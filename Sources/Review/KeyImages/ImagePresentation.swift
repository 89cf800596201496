/// How one image is to be shown, as a presentation state says it: grey-scale window, the area shown
/// (zoom and pan) and the graphics and texts drawn over it. This is what the writer takes per image
/// and what the reader gives back, so a viewer reopening a study applies it as it is.
public struct ImagePresentation: Sendable, Equatable {
    public var image: SOPReference
    /// Window centre and width, in the values the Modality LUT gives (HU on CT); nil: the image's own.
    public var windowCenter: Double?
    public var windowWidth: Double?
    /// The VOI LUT function (`LINEAR`, `LINEAR_EXACT`, `SIGMOID`); nil: LINEAR.
    public var voiFunction: String?
    public var displayedArea: DisplayedArea
    /// Row and column spacing (mm) the area is shown with; nil: square pixels.
    public var pixelSpacing: [Double]?
    public var graphics: [PresentationGraphic]
    public var texts: [PresentationText]

    public init(image: SOPReference, windowCenter: Double? = nil, windowWidth: Double? = nil, voiFunction: String? = nil,
                displayedArea: DisplayedArea, pixelSpacing: [Double]? = nil, graphics: [PresentationGraphic] = [],
                texts: [PresentationText] = []) {
        self.image = image; self.windowCenter = windowCenter; self.windowWidth = windowWidth; self.voiFunction = voiFunction
        self.displayedArea = displayedArea; self.pixelSpacing = pixelSpacing; self.graphics = graphics; self.texts = texts
    }

    /// Both window values, when the presentation sets them (a width below 1 is not a window).
    public var window: (center: Double, width: Double)? {
        guard let c = windowCenter, let w = windowWidth, c.isFinite, w.isFinite, w >= 1 else { return nil }
        return (c, w)
    }
}
