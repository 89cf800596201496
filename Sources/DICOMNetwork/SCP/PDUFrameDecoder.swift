import NIOCore

/// Splits the TCP stream into PDUs. The 6-byte header's length is checked against `maximumLength`
/// before any body is buffered, so a peer cannot make us allocate an arbitrary amount of memory.
final class PDUFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = PDU
    let maximumLength: UInt32

    init(maximumLength: UInt32) { self.maximumLength = maximumLength }

    func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let head = buffer.getBytes(at: buffer.readerIndex, length: min(buffer.readableBytes, PDUDecoding.headerLength)),
              let (kind, length) = try PDUDecoding.header(head[...], maximumLength: maximumLength) else {
            return .needMoreData
        }
        guard buffer.readableBytes - PDUDecoding.headerLength >= length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: PDUDecoding.headerLength)
        guard let body = buffer.readBytes(length: length) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(try PDUDecoding.decode(kind: kind, body: body)))
        return .continue
    }

    func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A PDU cut off by the connection closing is dropped; the association handler sees the close.
        .needMoreData
    }
}
