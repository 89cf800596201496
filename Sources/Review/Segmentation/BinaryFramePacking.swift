/// Packs binary segmentation frames into Pixel Data with Bits Allocated 1 (PS3.5 §8.1.1, PS3.3
/// C.8.20.2): pixels of all frames form one continuous bit stream (a frame does not start on a byte
/// boundary), the first pixel in the least significant bit of the first byte; the value is padded
/// to an even length. O(total pixels).
enum BinaryFramePacking {
    /// `frames`: each a row-major array of 0/1 bytes of the same size.
    static func pack(_ frames: [[UInt8]]) -> [UInt8] {
        let total = frames.reduce(0) { $0 + $1.count }
        var out = [UInt8](repeating: 0, count: (total + 7) / 8)
        var bit = 0
        for frame in frames {
            for p in frame {
                if p != 0 { out[bit >> 3] |= UInt8(1) << UInt8(bit & 7) }
                bit += 1
            }
        }
        if out.count % 2 == 1 { out.append(0) }
        return out
    }
}
