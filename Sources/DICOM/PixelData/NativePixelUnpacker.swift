/// Copies one frame of native (uncompressed) pixel data into little-endian, interleaved samples.
///
/// Handles byte swapping for big-endian data, planar configuration 1, 1-bit packed data (frames need
/// not start on a byte boundary) and YBR_FULL_422 (two luma samples share one chroma pair), which is
/// expanded to three samples per pixel.
enum NativePixelUnpacker {
    static func unpack(buffer: DICOMBuffer, range: Range<Int>, frame: Int, description d: ImagePixelDescription,
                       bigEndian: Bool, wordValue: Bool = false, source: String?) throws -> [UInt8] {
        let bitsPerFrame = d.nativeBitsPerFrame
        let neededBits = bitsPerFrame * (frame + 1)
        guard range.count * 8 >= neededBits else {
            throw DICOMError.pixelData(file: source, reason:
                "Pixel Data holds \(range.count) bytes; frame \(frame) of \(d.rows) × \(d.columns) × \(d.samplesPerPixel) × \(d.bitsAllocated)-bit samples needs \((neededBits + 7) / 8)")
        }
        if d.bitsAllocated == 1 {
            return unpackBits(buffer: buffer, range: range, firstBit: bitsPerFrame * frame, count: d.decodedSamplesPerFrame)
        }
        let frameBytes = bitsPerFrame / 8
        let start = range.lowerBound + frameBytes * frame
        var bytes: [UInt8]
        if bigEndian && wordValue && d.bytesPerSample == 1 {
            // 8-bit samples in an OW value of a big-endian data set are byte-swapped in 16-bit words
            // (PS3.5 §7.3): swap whole words from an even offset, then cut the frame out.
            let alignedStart = start - (start - range.lowerBound) % 2
            let alignedEnd = min(range.upperBound, start + frameBytes + 1)
            var words = buffer.bytes(alignedStart ..< alignedEnd)
            swapBytes(&words, width: 2)
            bytes = Array(words[(start - alignedStart) ..< (start - alignedStart + frameBytes)])
        } else {
            bytes = buffer.bytes(start ..< start + frameBytes)
            if bigEndian && d.bytesPerSample > 1 { swapBytes(&bytes, width: d.bytesPerSample) }
        }
        if d.photometricInterpretation == "YBR_FULL_422" && d.samplesPerPixel == 3 {
            bytes = expand422(bytes, description: d)
        } else if d.planarConfiguration == 1 && d.samplesPerPixel > 1 {
            bytes = interleave(bytes, samples: d.samplesPerPixel, width: d.bytesPerSample)
        }
        return bytes
    }

    /// 1-bit samples, least significant bit first (PS3.5 §8.1.1 / D.2).
    static func unpackBits(buffer: DICOMBuffer, range: Range<Int>, firstBit: Int, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        buffer.withBytes(range) { raw in
            for i in 0 ..< count {
                let bit = firstBit + i
                out[i] = (raw[bit >> 3] >> UInt8(bit & 7)) & 1
            }
        }
        return out
    }

    static func swapBytes(_ bytes: inout [UInt8], width: Int) {
        bytes.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i + width <= p.count {
                if width == 2 { p.swapAt(i, i + 1) } else { p.swapAt(i, i + 3); p.swapAt(i + 1, i + 2) }
                i += width
            }
        }
    }

    /// R…G…B… planes → RGBRGB….
    static func interleave(_ planar: [UInt8], samples: Int, width: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: planar.count)
        let pixels = planar.count / (samples * width)
        planar.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for s in 0 ..< samples {
                    for p in 0 ..< pixels {
                        for b in 0 ..< width { dst[(p * samples + s) * width + b] = src[(s * pixels + p) * width + b] }
                    }
                }
            }
        }
        return out
    }

    /// Y1 Y2 Cb Cr → Y1 Cb Cr Y2 Cb Cr (8-bit, the only depth YBR_FULL_422 is used with natively).
    static func expand422(_ packed: [UInt8], description d: ImagePixelDescription) -> [UInt8] {
        let pixels = d.rows * d.columns
        var out = [UInt8](repeating: 0, count: pixels * 3)
        var o = 0, i = 0
        while i + 3 < packed.count && o + 5 < out.count {
            let cb = packed[i + 2], cr = packed[i + 3]
            out[o] = packed[i]; out[o + 1] = cb; out[o + 2] = cr
            out[o + 3] = packed[i + 1]; out[o + 4] = cb; out[o + 5] = cr
            i += 4; o += 6
        }
        return out
    }
}
