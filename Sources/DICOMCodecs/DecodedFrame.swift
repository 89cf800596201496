/// One decoded frame: stored sample values, ready for the modality LUT.
///
/// Layout: little-endian, `bytesPerSample` bytes per sample (8 → 1, 16 → 2, 32 → 4), row-major, and
/// always colour-by-pixel (R,G,B,R,G,B…) when there are several samples per pixel, whatever the
/// data set's Planar Configuration says.
///
/// Signedness: samples hold what the codec reconstructed, widened to `bytesPerSample`. As pydicom does,
/// JPEG-LS output is sign-extended from its precision when Pixel Representation is 1, and JPEG 2000
/// output is corrected when the codestream's signedness disagrees with Pixel Representation.
/// Other codecs (RLE, JPEG) reproduce the encoded bit patterns unchanged.
public struct DecodedFrame: Sendable, Equatable {
    /// The sample bytes (count == rows × columns × samplesPerPixel × bytesPerSample).
    public var samples: [UInt8]
    /// Bytes per sample: 1, 2 or 4.
    public var bytesPerSample: Int
    /// What the samples really are after decoding, e.g. `YBR_FULL_422` for a YCbCr JPEG that was
    /// kept in YCbCr (upsampled, so the layout is full resolution), `RGB` for JPEG 2000 after
    /// OpenJPEG's inverse component transform.
    public var photometricInterpretation: String

    public init(samples: [UInt8], bytesPerSample: Int, photometricInterpretation: String) {
        self.samples = samples
        self.bytesPerSample = bytesPerSample
        self.photometricInterpretation = photometricInterpretation
    }
}
