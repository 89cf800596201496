import XCTest
@testable import DICOMCodecs

/// Damaged input must produce a thrown ``CodecError`` (or, for a bit flip, possibly a frame of the
/// right size), never a trap or a crash. Runs over every committed fixture stream.
final class MalformedInputTests: XCTestCase {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    private struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private func streams() throws -> [(CodecFixture, [UInt8], any FrameDecoder)] {
        try CodecFixture.all().compactMap { f in
            guard let decoder = CodecRegistry.decoder(forTransferSyntax: f.transferSyntax) else { return nil }
            return (f, try CodecFixture.bytes(f.frames[0].compressed), decoder)
        }
    }

    func testTruncatedStreamsThrowCodecError() throws {
        var checked = 0
        for (f, bytes, decoder) in try streams() {
            // Cut at a quarter, half and three quarters of the data, and just after the first bytes.
            for cut in [2, 16, bytes.count / 4, bytes.count / 2, bytes.count * 3 / 4] where cut < bytes.count - 8 {
                let truncated = Array(bytes.prefix(cut))
                XCTAssertThrowsError(try decoder.decode(truncated, descriptor: f.frameDescriptor),
                                     "\(f.name) cut at \(cut) of \(bytes.count) decoded without error") {
                    XCTAssertNotNil($0 as? CodecError, "\(f.name): \($0) is not a CodecError")
                    XCTAssertTrue("\($0)".contains(decoder.codecName) || "\($0)".contains("JPEG"), "\($0)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }

    func testBitFlippedStreamsNeverTrap() throws {
        var rng = SplitMix64(state: 0x5EED)
        var outcomes = (decoded: 0, threw: 0)
        for (f, bytes, decoder) in try streams() {
            let descriptor = f.frameDescriptor
            // Large frames get fewer variants: the debug build decodes them slowly.
            let variants = descriptor.rows * descriptor.columns > 40_000 ? 3 : 12
            for _ in 0..<variants {
                var damaged = bytes
                // a few flips, biased to the first 512 bytes where the headers and tables are
                for _ in 0..<(1 + Int(rng.next() % 4)) {
                    let span = rng.next() % 2 == 0 ? min(512, damaged.count) : damaged.count
                    let i = Int(rng.next() % UInt64(span))
                    damaged[i] ^= UInt8(1 << (rng.next() % 8))
                }
                do {
                    let frame = try decoder.decode(damaged, descriptor: descriptor)
                    XCTAssertEqual(frame.samples.count, descriptor.rows * descriptor.columns
                                   * descriptor.samplesPerPixel * descriptor.bitsAllocated / 8, f.name)
                    outcomes.decoded += 1
                } catch is CodecError {
                    outcomes.threw += 1
                } catch {
                    XCTFail("\(f.name): \(error) is not a CodecError")
                }
            }
        }
        XCTAssertGreaterThan(outcomes.threw, 0)
        XCTAssertGreaterThan(outcomes.decoded + outcomes.threw, 250)
    }

    func testRandomBytesAfterValidHeadersNeverTrap() throws {
        // Keep each stream's first 40 bytes (SOI / SOF / RLE header…) and replace the rest with noise.
        var rng = SplitMix64(state: 42)
        for (f, bytes, decoder) in try streams() where bytes.count > 64 {
            var noisy = Array(bytes.prefix(40))
            for _ in 40..<bytes.count { noisy.append(UInt8(truncatingIfNeeded: rng.next())) }
            do {
                _ = try decoder.decode(noisy, descriptor: f.frameDescriptor)
            } catch {
                XCTAssertNotNil(error as? CodecError, "\(f.name): \(error)")
            }
        }
    }

    func testErrorMessagesNameCodecAndOffset() {
        let e = CodecError.truncatedStream(codec: "JPEG Lossless", detail: "entropy-coded data ends inside line 3",
                                           offset: 1234)
        XCTAssertEqual(e.description, "JPEG Lossless: truncated stream at byte offset 1234: entropy-coded data ends inside line 3")
        XCTAssertEqual(CodecError.unsupportedTransferSyntax("1.2.3").description,
                       "No pixel-data decoder for transfer syntax 1.2.3")
    }
}
