import DICOM

/// Turns a decoded frame into a `DisplayImage`: Modality LUT → VOI LUT → presentation (MONOCHROME1
/// inverted) for grey images; colour conversion or palette lookup for colour ones.
public struct FrameRenderer: Sendable {
    public let modality: ModalityTransform
    /// The file's own window, if it has one.
    public let fileVOI: VOITransform?
    public let photometricInterpretation: String
    public let pixelAspectRatio: Double
    private let palette: PaletteColorTable?

    public init(_ ds: DataSet) {
        modality = ModalityTransform(ds)
        fileVOI = VOITransform(ds)
        photometricInterpretation = ds.string(.photometricInterpretation)?.uppercased() ?? "MONOCHROME2"
        palette = photometricInterpretation == "PALETTE COLOR" ? try? PaletteColorTable(ds) : nil
        pixelAspectRatio = PixelGeometry(dataSet: ds).aspectRatio
    }

    /// Modality values (HU for CT) of a grey frame.
    public func modalityValues(_ frame: PixelFrame) -> [Float] {
        var v = frame.floatValues()
        modality.apply(&v)
        return v
    }

    /// Renders `frame`; `window` overrides the file's VOI (and, failing both, the full range is used).
    public func render(_ frame: PixelFrame, window: VOITransform.Window? = nil, invert: Bool = false) throws -> DisplayImage {
        let w = frame.columns, h = frame.rows
        if frame.samplesPerPixel == 1 && photometricInterpretation == "PALETTE COLOR" {
            guard let palette else { throw DICOMError.pixelData(file: nil, reason: "PALETTE COLOR image without a usable palette") }
            return try DisplayImage(width: w, height: h, channels: 3, pixels: palette.apply(frame.floatValues()), pixelAspectRatio: pixelAspectRatio)
        }
        if frame.samplesPerPixel >= 3 {
            var rgb = [UInt8](repeating: 0, count: w * h * 3)
            let values = frame.floatValues()
            let maxValue = Float((1 << min(frame.bytesPerSample * 8, 24)) - 1)
            let spp = frame.samplesPerPixel
            for p in 0 ..< w * h {
                for c in 0 ..< 3 {
                    let v = values[p * spp + c]
                    rgb[3 * p + c] = frame.bytesPerSample == 1 ? UInt8(clamping: Int(v)) : ColorConversion.clamp(v / maxValue * 255)
                }
            }
            if frame.photometricInterpretation.hasPrefix("YBR_FULL") { ColorConversion.ybrFullToRGB(&rgb) }
            if invert { for i in rgb.indices { rgb[i] = 255 - rgb[i] } }
            return try DisplayImage(width: w, height: h, channels: 3, pixels: rgb, pixelAspectRatio: pixelAspectRatio)
        }
        let values = modalityValues(frame)
        let voi = window.map { VOITransform.window($0) } ?? fileVOI ?? VOITransform.fullRange(of: values)
        var grey = [UInt8](repeating: 0, count: w * h)
        voi.apply(values, into: &grey)
        if (photometricInterpretation == "MONOCHROME1") != invert {
            for i in grey.indices { grey[i] = 255 - grey[i] }
        }
        return try DisplayImage(width: w, height: h, channels: 1, pixels: grey, pixelAspectRatio: pixelAspectRatio)
    }
}
