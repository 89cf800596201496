public struct JPEGDCTDecoder: FrameDecoder {
    public var codecName: String { "JPEG DCT" }
    public init() {}
    public func decode(_ data: [UInt8], descriptor: FrameDescriptor) throws -> DecodedFrame {
        throw CodecError.unsupportedFeature(codec: codecName, detail: "not yet", offset: nil)
    }
}
