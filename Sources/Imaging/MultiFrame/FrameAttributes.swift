import DICOM

/// What is known about one frame of an image object: where it lies, how its stored values map to
/// modality values, and the acquisition facts that tell one stack of a multi-frame object from
/// another (b-value, stack, time point).
///
/// For an Enhanced (multi-frame) object the values come from the Shared and Per-frame Functional
/// Groups, per-frame winning; for a classic image they come from the top-level attributes, so code
/// that sorts frames never needs to know which kind of object it was given.
public struct FrameAttributes: Sendable, Equatable {
    /// The frame's index in the object's pixel data (0-based).
    public var index: Int
    /// Image Position (Patient) of the first pixel, mm; empty when the object does not say.
    public var imagePosition: [Double] = []
    /// Image Orientation (Patient): row then column direction cosines; empty when absent.
    public var imageOrientation: [Double] = []
    /// Pixel Spacing: row spacing then column spacing, mm.
    public var pixelSpacing: [Double] = []
    public var sliceThickness: Double?
    public var rescaleSlope: Double = 1
    public var rescaleIntercept: Double = 0
    /// The first window the object offers for this frame, if any.
    public var windowCenter: Double?
    public var windowWidth: Double?
    public var stackID: String?
    public var inStackPosition: Int?
    public var temporalPositionIndex: Int?
    public var dimensionIndexValues: [Int] = []
    /// Diffusion b-value in s/mm²; nil for non-diffusion images.
    public var diffusionBValue: Double?
    /// DIRECTIONAL, BMATRIX, ISOTROPIC or NONE.
    public var diffusionDirectionality: String?
    /// Frame Type (Enhanced) or Image Type (classic), upper-cased values.
    public var imageType: [String] = []
    /// Echo Time, ms (Effective Echo Time in Enhanced MR).
    public var echoTime: Double?
    /// Repetition Time, ms.
    public var repetitionTime: Double?
    /// Inversion Time, ms; nil when the sequence has no inversion pulse.
    public var inversionTime: Double?
    public var flipAngle: Double?

    public init(index: Int) { self.index = index }

    /// The unit normal of the frame's plane (row × column), or nil without a usable orientation.
    public var normal: SIMD3<Double>? {
        guard imageOrientation.count == 6 else { return nil }
        let r = SIMD3(imageOrientation[0], imageOrientation[1], imageOrientation[2])
        let c = SIMD3(imageOrientation[3], imageOrientation[4], imageOrientation[5])
        let n = SIMD3(r.y * c.z - r.z * c.y, r.z * c.x - r.x * c.z, r.x * c.y - r.y * c.x)
        let length = (n * n).sum().squareRoot()
        guard length > 1e-6, length.isFinite else { return nil }
        return n / length
    }

    /// The frame's position along `normal`, mm: the coordinate slices of one stack are sorted by.
    public func distance(along normal: SIMD3<Double>) -> Double? {
        guard imagePosition.count == 3 else { return nil }
        return (SIMD3(imagePosition[0], imagePosition[1], imagePosition[2]) * normal).sum()
    }
}
