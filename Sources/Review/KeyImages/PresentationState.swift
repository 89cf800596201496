/// What a Grayscale Softcopy Presentation State says, as `PresentationStateReader` reads it: one
/// `ImagePresentation` per referenced image (or frame), plus what applies to all of them.
public struct PresentationState: Sendable, Equatable {
    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var label: String
    public var contentDescription: String
    public var creator: String
    /// Presentation LUT Shape: `IDENTITY`, `INVERSE`, or empty when the state has a LUT table instead.
    public var presentationLUTShape: String
    public var rescale: ModalityRescale?
    /// Image Rotation (degrees clockwise) and Image Horizontal Flip.
    public var rotation: Int
    public var horizontalFlip: Bool
    public var images: [ImagePresentation]

    /// How `sopInstanceUID` (frame `frame`) is to be shown, when this state names it. A presentation
    /// for the whole image answers for each of its frames.
    public func presentation(for sopInstanceUID: String, frame: Int? = nil) -> ImagePresentation? {
        images.first { $0.image.sopInstanceUID == sopInstanceUID && $0.image.frame == frame }
            ?? images.first { $0.image.sopInstanceUID == sopInstanceUID && ($0.image.frame == nil || frame == nil) }
    }

    /// Whether the state shows an image inverted compared with its own photometric interpretation:
    /// INVERSE on a MONOCHROME2 image, IDENTITY on a MONOCHROME1 image (whose intended display a
    /// presentation state gives with INVERSE).
    public func invertsDisplay(photometricInterpretation: String) -> Bool {
        (presentationLUTShape == "INVERSE") != (photometricInterpretation == "MONOCHROME1")
    }
}
