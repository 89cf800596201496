import Foundation
import XCTest
import DICOMCodecs

/// One case of Tests/Fixtures/codecs/manifest.json, written by Tools/codecs/make_fixtures.py from
/// pydicom's decoding of the pydicom / pydicom-data corpus (plus synthetic JPEG Lossless streams).
struct CodecFixture: Decodable {
    struct Descriptor: Decodable {
        var rows, columns, samplesPerPixel, bitsAllocated, bitsStored, pixelRepresentation, planarConfiguration: Int
        var photometricInterpretation: String
    }

    struct Frame: Decodable {
        var index: Int
        var compressed: String
        var expected: String?
        var expectedLength: Int
        var expectedFNV1a64: String
        /// For 8-bit JPEG DCT frames: the hash of the system libjpeg-turbo's output (islow IDCT,
        /// fancy upsampling, no colour conversion), which the Swift decoder must match exactly.
        var libjpegTurboFNV1a64: String?
    }

    var name: String
    var source: String
    var transferSyntax: String
    var descriptor: Descriptor
    var tolerance: Int
    var expectedPhotometricInterpretation: String
    var frames: [Frame]

    var frameDescriptor: FrameDescriptor {
        FrameDescriptor(rows: descriptor.rows, columns: descriptor.columns, samplesPerPixel: descriptor.samplesPerPixel,
                        bitsAllocated: descriptor.bitsAllocated, bitsStored: descriptor.bitsStored,
                        pixelRepresentation: descriptor.pixelRepresentation,
                        planarConfiguration: descriptor.planarConfiguration,
                        photometricInterpretation: descriptor.photometricInterpretation)
    }

    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("codecs")

    static func all(in directory: URL = directory) throws -> [CodecFixture] {
        struct Manifest: Decodable { var cases: [CodecFixture] }
        let data = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        return try JSONDecoder().decode(Manifest.self, from: data).cases
    }

    static func bytes(_ name: String, in directory: URL = directory) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
    }
}

/// FNV-1a 64-bit, the same hash make_fixtures.py records for frames too large to commit.
func fnv1a64(_ bytes: [UInt8]) -> String {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes {
        h ^= UInt64(b)
        h = h &* 0x0000_0100_0000_01B3
    }
    let hex = String(h, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

/// Reads sample `i` of a little-endian frame as a signed or unsigned integer.
func sampleValue(_ bytes: [UInt8], _ i: Int, width: Int, signed: Bool) -> Int64 {
    var v: UInt64 = 0
    for b in 0..<width { v |= UInt64(bytes[i * width + b]) << UInt64(8 * b) }
    if signed {
        let shift = UInt64(64 - 8 * width)
        return Int64(bitPattern: v << shift) >> Int64(shift)
    }
    return Int64(v)
}
