import DICOMCodecs

/// Extracts and decodes frames of (7FE0,0010) Pixel Data, native or encapsulated.
///
/// The data set's bytes stay where they are (memory-mapped when the file was); only the frame asked
/// for is copied and decoded. Compressed frames go to `DICOMCodecs`; a syntax without a decoder fails
/// here, after the data set has parsed, with an error naming the syntax.
public struct PixelDataReader: Sendable {
    public let description: ImagePixelDescription
    public let transferSyntax: TransferSyntax
    private let dataSet: DataSet
    private let element: DataElement
    private let source: String?

    public init(_ file: DICOMFile) throws {
        try self.init(dataSet: file.dataSet, transferSyntax: file.transferSyntax, source: file.source)
    }

    public init(dataSet: DataSet, transferSyntax: TransferSyntax, source: String? = nil) throws {
        guard let element = dataSet[.pixelData] else {
            throw DICOMError.pixelData(file: source, reason: "the data set has no Pixel Data (7FE0,0010)")
        }
        self.description = try ImagePixelDescription(dataSet, source: source)
        self.dataSet = dataSet
        self.element = element
        self.transferSyntax = transferSyntax
        self.source = source
    }

    public var frameCount: Int { description.numberOfFrames }

    private func fail(_ reason: String) -> DICOMError { .pixelData(file: source, reason: reason) }

    /// Decodes frame `index` (0-based) to stored values.
    public func frame(_ index: Int) throws -> PixelFrame {
        guard index >= 0 && index < frameCount else {
            throw fail("frame \(index) is out of range (the image has \(frameCount) frame\(frameCount == 1 ? "" : "s"))")
        }
        let d = description
        switch element.value {
        case let .bytes(range):
            var samples = try NativePixelUnpacker.unpack(buffer: dataSet.buffer, range: range, frame: index,
                                                         description: d, bigEndian: dataSet.byteOrder == .big,
                                                         wordValue: element.vr == .OW, source: source)
            SampleMasking.apply(to: &samples, description: d)
            return PixelFrame(rows: d.rows, columns: d.columns, samplesPerPixel: d.samplesPerPixel,
                              bytesPerSample: d.bytesPerSample, isSigned: d.isSigned,
                              photometricInterpretation: d.photometricInterpretation == "YBR_FULL_422" ? "YBR_FULL" : d.photometricInterpretation,
                              samples: samples)
        case let .encapsulated(pixels):
            guard let decoder = CodecRegistry.decoder(forTransferSyntax: transferSyntax.uid) else {
                throw DICOMError.unsupportedTransferSyntax(uid: transferSyntax.uid, name: transferSyntax.name, file: source)
            }
            let bytes = try FrameLocator(pixels: pixels, dataSet: dataSet, frameCount: frameCount, source: source)
                .bytes(ofFrame: index)
            let descriptor = FrameDescriptor(rows: d.rows, columns: d.columns, samplesPerPixel: d.samplesPerPixel,
                                             bitsAllocated: max(8, d.bitsAllocated), bitsStored: d.bitsStored,
                                             pixelRepresentation: d.isSigned ? 1 : 0,
                                             planarConfiguration: d.planarConfiguration,
                                             photometricInterpretation: d.photometricInterpretation)
            let decoded: DecodedFrame
            do {
                decoded = try decoder.decode(bytes, descriptor: descriptor)
            } catch {
                throw fail("\(transferSyntax.name): frame \(index): \(error)")
            }
            guard decoded.samples.count == d.decodedSamplesPerFrame * d.bytesPerSample,
                  decoded.bytesPerSample == d.bytesPerSample else {
                throw fail("\(transferSyntax.name) decoder returned \(decoded.samples.count) bytes for frame \(index); \(d.decodedSamplesPerFrame * d.bytesPerSample) expected")
            }
            var samples = decoded.samples
            SampleMasking.apply(to: &samples, description: d)
            return PixelFrame(rows: d.rows, columns: d.columns, samplesPerPixel: d.samplesPerPixel,
                              bytesPerSample: d.bytesPerSample, isSigned: d.isSigned,
                              photometricInterpretation: decoded.photometricInterpretation, samples: samples)
        case .sequence:
            throw fail("Pixel Data is encoded as a sequence")
        }
    }
}
