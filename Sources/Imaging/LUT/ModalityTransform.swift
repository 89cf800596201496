import DICOM

/// The Modality LUT stage (PS3.3 C.11.1): stored values → modality units (HU for CT).
public enum ModalityTransform: Sendable, Equatable {
    case rescale(slope: Double, intercept: Double)
    case table(LookupTable)

    public static let identity = ModalityTransform.rescale(slope: 1, intercept: 0)

    /// Reads Rescale Slope/Intercept, or a Modality LUT Sequence, from `ds`. A per-frame functional
    /// group's Pixel Value Transformation takes precedence for enhanced multi-frame objects.
    public init(_ ds: DataSet) {
        if let item = ds.sequence(.modalityLUTSequence).first, let lut = LookupTable(item: item) {
            self = .table(lut)
            return
        }
        var source = ds
        let shared = ds.sequence(Tag(0x5200, 0x9229)).first  // Shared Functional Groups Sequence
        if ds.double(.rescaleSlope) == nil, let transform = shared?.sequence(Tag(0x0028, 0x9145)).first {
            source = transform  // Pixel Value Transformation Sequence
        }
        let slope = source.double(.rescaleSlope) ?? 1
        self = .rescale(slope: slope == 0 || !slope.isFinite ? 1 : slope,
                        intercept: source.double(.rescaleIntercept).flatMap { $0.isFinite ? $0 : nil } ?? 0)
    }

    /// Applies the transform in place.
    public func apply(_ values: inout [Float]) {
        switch self {
        case let .rescale(slope, intercept):
            if slope == 1 && intercept == 0 { return }
            let s = Float(slope), b = Float(intercept)
            values.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = p[i] * s + b } }
        case let .table(lut):
            values.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = lut.lookup(p[i]) } }
        }
    }
}
