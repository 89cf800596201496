/// The Modality LUT a presentation state applies before its window (PS3.3 C.11.1): a linear rescale
/// of stored values, e.g. to Hounsfield units. A presentation state holds one for all its images.
public struct ModalityRescale: Sendable, Equatable {
    public var slope: Double
    public var intercept: Double
    /// `HU` on CT, `US` (unspecified) otherwise.
    public var type: String

    public init(slope: Double, intercept: Double, type: String) {
        self.slope = slope; self.intercept = intercept; self.type = type
    }
}
