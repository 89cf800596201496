import XCTest
import Foundation
@testable import TerminalGraphics

final class SixelEncoderTests: XCTestCase {
    /// Decodes sixel bytes with libsixel's `sixel2png` (an independent implementation) and
    /// reads the PNG back with a stdlib-only Python helper.
    func decodeWithLibsixel(_ sixel: [UInt8]) throws -> RGBImage {
        let tools = ["/usr/bin/sixel2png", "/usr/bin/python3"]
        for t in tools where !FileManager.default.isExecutableFile(atPath: t) { throw XCTSkip("\(t) not installed") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-sixel-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let six = dir.appendingPathComponent("in.six"), png = dir.appendingPathComponent("out.png"), raw = dir.appendingPathComponent("out.rgb")
        try Data(sixel).write(to: six)
        try run("/usr/bin/sixel2png", ["-i", six.path, "-o", png.path])
        try run("/usr/bin/python3", ["-c", Self.pngToRaw, png.path, raw.path])
        let data = [UInt8](try Data(contentsOf: raw))
        let w = Int(data[0]) << 8 | Int(data[1]), h = Int(data[2]) << 8 | Int(data[3])
        return try RGBImage(width: w, height: h, pixels: Array(data[4...]))
    }

    func run(_ tool: String, _ args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, "\(tool) failed")
    }

    /// PNG (8-bit; grey, RGB, palette, with or without alpha) → "w h" as 2+2 bytes + RGB.
    static let pngToRaw = """
    import sys, zlib, struct
    d = open(sys.argv[1], 'rb').read(); i = 8; idat = b''; plte = None
    while i < len(d):
        n, t = struct.unpack('>I4s', d[i:i+8]); body = d[i+8:i+8+n]; i += 12 + n
        if t == b'IHDR': w, h, depth, ct = struct.unpack('>IIBB', body[:10])
        elif t == b'PLTE': plte = body
        elif t == b'IDAT': idat += body
    assert depth == 8
    bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ct]; raw = zlib.decompress(idat); stride = w * bpp
    out = bytearray(); prev = bytearray(stride); p = 0
    for y in range(h):
        f = raw[p]; line = bytearray(raw[p+1:p+1+stride]); p += 1 + stride
        for x in range(stride):
            a = line[x-bpp] if x >= bpp else 0; b = prev[x]; c = prev[x-bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        prev = line
        for x in range(w):
            px = line[x*bpp:(x+1)*bpp]
            if ct == 3: out += plte[3*px[0]:3*px[0]+3]
            elif ct in (0, 4): out += bytes([px[0]] * 3)
            else: out += px[:3]
    open(sys.argv[2], 'wb').write(struct.pack('>HH', w, h) + bytes(out))
    """

    func testGreySliceThroughLibsixelHasHighPSNR() throws {
        let grid = CellGrid(columns: 10, rows: 4)
        let enc = SixelEncoder()
        let layout = enc.layout(for: try TestImages.slice(), in: grid)
        let raster = Resampler.resample(try TestImages.slice(), width: layout.sampleWidth, height: layout.sampleHeight)
        let bytes = enc.encode(raster: raster, layout: layout)
        let decoded = try decodeWithLibsixel(bytes)
        XCTAssertEqual(decoded.width, raster.width); XCTAssertEqual(decoded.height, raster.height)
        // Only percent rounding of the grey levels remains (≤ 1.3 levels).
        XCTAssertGreaterThan(psnr(decoded, raster), 45)
    }

    func testOverlayColoursSurviveWithFewRegisters() throws {
        var raster = try TestImages.slice(width: 60, height: 50)
        for x in 10..<50 { raster[x, 20] = RGBColor(r: 255, g: 0, b: 0); raster[x, 21] = RGBColor(r: 255, g: 0, b: 0) }
        let enc = SixelEncoder(registers: 16)
        let layout = ImageLayout(columns: 8, rows: 4, sampleWidth: 60, sampleHeight: 50, grid: CellGrid(columns: 8, rows: 4))
        let bytes = enc.encode(raster: raster, layout: layout)
        let text = String(decoding: bytes, as: UTF8.self)
        // Never addresses a register beyond the reported count.
        let regs = text.split(separator: "#").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
        XCTAssertLessThan(regs.max()!, 16)
        let decoded = try decodeWithLibsixel(bytes)
        XCTAssertEqual(decoded[30, 20], RGBColor(r: 255, g: 0, b: 0))
        XCTAssertGreaterThan(psnr(decoded, raster), 28)
    }

    func testTransparencySetsP2AndLeavesPixelsUnset() throws {
        var rgba = [UInt8](repeating: 0, count: 12 * 12 * 4)
        for i in 0..<(12 * 12) where i % 12 < 6 { rgba[4 * i] = 200; rgba[4 * i + 3] = 255 }
        let raster = try RGBImage(width: 12, height: 12, channels: 4, pixels: rgba)
        let layout = ImageLayout(columns: 2, rows: 1, sampleWidth: 12, sampleHeight: 12, grid: CellGrid(columns: 2, rows: 1))
        let bytes = SixelEncoder().encode(raster: raster, layout: layout)
        XCTAssertEqual(Array(bytes.prefix(8)), Array("\u{1B}P0;1;0q".utf8))
        let opaque = SixelEncoder().encode(raster: raster.flattened(), layout: layout)
        XCTAssertEqual(Array(opaque.prefix(8)), Array("\u{1B}P0;0;0q".utf8))
        // Opaque half only: each band row stops at x = 5 (no sixels for the transparent half).
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).contains("#0!6~-#0!6~"))
    }

    func testGoldenSixelBytes() throws {
        // 4×6: left two columns black, right two white; one band, two registers, runs < 4 literal.
        var raster = try RGBImage(width: 4, height: 6, filledWith: RGBColor(grey: 0))
        for y in 0..<6 { raster[2, y] = RGBColor(grey: 255); raster[3, y] = RGBColor(grey: 255) }
        let layout = ImageLayout(columns: 1, rows: 1, sampleWidth: 4, sampleHeight: 6, grid: CellGrid(columns: 1, rows: 1))
        XCTAssertEqual(String(decoding: SixelEncoder().encode(raster: raster, layout: layout), as: UTF8.self),
                       "\u{1B}P0;0;0q\"1;1;4;6#0;2;0;0;0#1;2;100;100;100#0~~$#1??~~\u{1B}\\")
        // A run of 8 uses the repeat introducer.
        let wide = try RGBImage(width: 8, height: 6, filledWith: RGBColor(grey: 255))
        XCTAssertEqual(String(decoding: SixelEncoder().encode(raster: wide, layout: layout), as: UTF8.self),
                       "\u{1B}P0;0;0q\"1;1;8;6#0;2;100;100;100#0!8~\u{1B}\\")
    }

    func testPaletteSpendsRegistersOnGreysPresent() throws {
        // 40 distinct percent levels present: all exact.
        var g = [UInt8](); for v in 0..<40 { g.append(contentsOf: [UInt8](repeating: UInt8(v * 6), count: 10)) }
        let img = RGBImage(try GreyImage(width: 40, height: 10, pixels: g))
        let palette = SixelPalette(for: img, registers: 256)
        XCTAssertEqual(palette.greyRegisterCount, 40)
        XCTAssertEqual(palette.count, 40)
        // With 8 registers the k-means levels still span the range.
        let small = SixelPalette(for: img, registers: 8)
        XCTAssertLessThanOrEqual(small.count, 8)
        XCTAssertLessThan(Int(small.color(0).r), 30)
        XCTAssertGreaterThan(Int(small.color(small.count - 1).r), 200)
    }
}
