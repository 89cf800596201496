import XCTest
@testable import TerminalGraphics

final class CellEncoderTests: XCTestCase {
    let grid = CellGrid(columns: 40, rows: 20)

    func decode(_ bytes: [UInt8], _ layout: ImageLayout, across: Int, down: Int) throws -> (RGBImage, Int) {
        var d = ReferenceCellDecoder(columns: layout.columns, rows: layout.rows)
        d.feed(bytes)
        return (try d.samples(across: across, down: down), d.unknownSequences)
    }

    func raster(_ image: RGBImage, _ enc: some CellEncoder) -> (RGBImage, ImageLayout) {
        let layout = enc.layout(for: image, in: grid)
        return (Resampler.resample(image, width: layout.sampleWidth, height: layout.sampleHeight), layout)
    }

    func testHalfBlockTrueColourReconstructsTheRasterExactly() throws {
        let enc = HalfBlockEncoder(depth: .trueColor)
        let (r, layout) = raster(try TestImages.slice(), enc)
        let (decoded, unknown) = try decode(enc.encode(raster: r, layout: layout), layout, across: 1, down: 2)
        XCTAssertEqual(unknown, 0)
        XCTAssertEqual(decoded.pixels, r.pixels)
    }

    func testHalfBlock256GreyPSNR() throws {
        let enc = HalfBlockEncoder(depth: .xterm256)
        let (r, layout) = raster(try TestImages.slice(), enc)
        let (decoded, _) = try decode(enc.encode(raster: r, layout: layout), layout, across: 1, down: 2)
        // 30 greys, max step 20 between 0 and 8 / 238 and 255 → error ≤ ~5 levels.
        XCTAssertGreaterThan(psnr(decoded, r), 38)
    }

    func testHalfBlock256ColourStaysNearColour() throws {
        let enc = HalfBlockEncoder(depth: .xterm256)
        let (r, layout) = raster(try TestImages.colourBars(width: 40, height: 20), enc)
        let (decoded, _) = try decode(enc.encode(raster: r, layout: layout), layout, across: 1, down: 2)
        XCTAssertGreaterThan(psnr(decoded, r), 25)
    }

    func testDitheringKeepsMeanButChangesPattern() throws {
        let flat = try RGBImage(width: 40, height: 40, filledWith: RGBColor(grey: 123))
        let plain = HalfBlockEncoder(depth: .xterm256).encode(flat, fitting: grid)
        let dithered = HalfBlockEncoder(depth: .xterm256, dithering: .ordered).encode(flat, fitting: grid)
        XCTAssertNotEqual(plain, dithered)
        let layout = HalfBlockEncoder().layout(for: flat, in: grid)
        let (d, _) = try decode(dithered, layout, across: 1, down: 2)
        let mean = d.pixels.reduce(0) { $0 + Double($1) } / Double(d.pixels.count)
        XCTAssertEqual(mean, 123, accuracy: 3)
        let (p, _) = try decode(plain, layout, across: 1, down: 2)
        XCTAssertEqual(Set(p.pixels).count, 1, "undithered flat grey is one palette entry")
    }

    func testSextantTrueColourPSNRAndTwoColourEdgesAreExact() throws {
        let enc = SextantEncoder(depth: .trueColor)
        let (r, layout) = raster(try TestImages.slice(), enc)
        let (decoded, unknown) = try decode(enc.encode(raster: r, layout: layout), layout, across: 2, down: 3)
        XCTAssertEqual(unknown, 0)
        XCTAssertGreaterThan(psnr(decoded, r), 30)

        // A two-colour picture is representable exactly per cell.
        var edge = try RGBImage(width: 40, height: 60, filledWith: RGBColor(r: 10, g: 20, b: 30))
        for y in 0..<60 { for x in 0..<40 where x + y / 2 > 30 { edge[x, y] = RGBColor(r: 250, g: 200, b: 0) } }
        let l2 = ImageLayout(columns: 20, rows: 20, sampleWidth: 40, sampleHeight: 60, grid: grid)
        let (d2, _) = try decode(enc.encode(raster: edge, layout: l2), l2, across: 2, down: 3)
        XCTAssertEqual(d2.pixels, edge.pixels)
    }

    func testSextantBeatsHalfBlocksOnSharpEdges() throws {
        var edge = try RGBImage(width: 120, height: 120, filledWith: RGBColor(grey: 0))
        for y in 0..<120 { for x in 0..<120 where (x / 3 + y / 5) % 2 == 0 { edge[x, y] = RGBColor(grey: 255) } }
        // Compare both at the sextant grid (2×3 per cell).
        let l = ImageLayout(columns: 30, rows: 30, sampleWidth: 60, sampleHeight: 90, grid: grid)
        let reference = Resampler.resample(edge, width: 60, height: 90)
        let (s, _) = try decode(SextantEncoder().encode(raster: reference, layout: l), l, across: 2, down: 3)
        let hb = Resampler.resample(edge, width: 30, height: 60)
        let (h, _) = try decode(HalfBlockEncoder().encode(raster: hb, layout: ImageLayout(columns: 30, rows: 30, sampleWidth: 30, sampleHeight: 60, grid: grid)), l, across: 2, down: 3)
        XCTAssertGreaterThan(psnr(s, reference), psnr(h, reference))
    }

    func testANSI16UsesOnlyBasicSGR() throws {
        let bytes = HalfBlockEncoder(depth: .ansi16).encode(try TestImages.colourBars(width: 40, height: 20), fitting: grid)
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertFalse(text.contains("38;"))
        XCTAssertFalse(text.contains("48;"))
        let layout = HalfBlockEncoder().layout(for: try TestImages.colourBars(width: 40, height: 20), in: grid)
        let (d, unknown) = try decode(bytes, layout, across: 1, down: 2)
        XCTAssertEqual(unknown, 0)
        XCTAssertEqual(d[0, 0], RGBColor(r: 255, g: 0, b: 0))
    }

    func testASCIIHasNoEscapesAndIsMonotonic() throws {
        var ramp = try RGBImage(width: 64, height: 8, filledWith: RGBColor(grey: 0))
        for y in 0..<8 { for x in 0..<64 { ramp[x, y] = RGBColor(grey: UInt8(x * 4)) } }
        let layout = ImageLayout(columns: 64, rows: 8, sampleWidth: 64, sampleHeight: 8, grid: grid)
        let bytes = AsciiEncoder().encode(raster: ramp, layout: layout)
        XCTAssertTrue(bytes.allSatisfy { $0 == 0x0A || (0x20...0x7E).contains($0) })
        let firstLine = Array(bytes.prefix(64))
        let levels = firstLine.map { AsciiEncoder.ramp.firstIndex(of: $0)! }
        XCTAssertEqual(levels, levels.sorted())
        XCTAssertEqual(levels.first, 0); XCTAssertEqual(levels.last, AsciiEncoder.ramp.count - 1)
    }

    func testGoldenHalfBlockBytes() throws {
        // 2 cells × 1 row: (red over blue), (uniform green).
        let raster = try RGBImage(width: 2, height: 2, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0])
        let layout = ImageLayout(columns: 2, rows: 1, sampleWidth: 2, sampleHeight: 2, grid: grid)
        let out = String(decoding: HalfBlockEncoder().encode(raster: raster, layout: layout), as: UTF8.self)
        XCTAssertEqual(out, "\u{1B}[38;2;255;0;0;48;2;0;0;255m▀\u{1B}[48;2;0;255;0m \u{1B}[0m\n")
        let out256 = String(decoding: HalfBlockEncoder(depth: .xterm256).encode(raster: raster, layout: layout), as: UTF8.self)
        XCTAssertEqual(out256, "\u{1B}[38;5;196;48;5;21m▀\u{1B}[48;5;46m \u{1B}[0m\n")
    }

    func testWriterPrefersTheComplementThatAvoidsSGR() {
        // Second cell is the first with roles swapped: it must cost no SGR.
        let a = CellColor.rgb(1, 2, 3), b = CellColor.rgb(4, 5, 6)
        var buffer = CellBuffer(columns: 2, rows: 1)
        buffer[0, 0] = Cell(glyph: BlockGlyphs.upperHalf, foreground: a, background: b)
        buffer[1, 0] = Cell(glyph: BlockGlyphs.upperHalf, foreground: b, background: a)
        let s = String(decoding: buffer.frameBytes(depth: .trueColor), as: UTF8.self)
        XCTAssertEqual(s, "\u{1B}[38;2;1;2;3;48;2;4;5;6m▀▄\u{1B}[0m\n")
    }

    func testGoldenSextantBytes() throws {
        // One cell: left column white, right column black → ▌ (U+258C).
        let raster = try RGBImage(width: 2, height: 3, pixels: [255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0])
        let layout = ImageLayout(columns: 1, rows: 1, sampleWidth: 2, sampleHeight: 3, grid: grid)
        XCTAssertEqual(String(decoding: SextantEncoder().encode(raster: raster, layout: layout), as: UTF8.self),
                       "\u{1B}[38;2;255;255;255;48;2;0;0;0m▌\u{1B}[0m\n")
        // Top-left only → BLOCK SEXTANT-1 (U+1FB00).
        var one = raster
        for y in 0 ..< 3 { for x in 0 ..< 2 { one[x, y] = RGBColor(grey: 0) } }
        one[0, 0] = RGBColor(grey: 255)
        XCTAssertEqual(String(decoding: SextantEncoder().encode(raster: one, layout: layout), as: UTF8.self),
                       "\u{1B}[38;2;255;255;255;48;2;0;0;0m\u{1FB00}\u{1B}[0m\n")
    }

    func testSextantMasksRoundTrip() {
        for mask in 0...63 {
            let g = BlockGlyphs.sextant(mask: mask)
            XCTAssertEqual(BlockGlyphs.sextantMask(of: g), mask)
            XCTAssertEqual(BlockGlyphs.complement(of: g).flatMap(BlockGlyphs.sextantMask), 63 - mask)
        }
        XCTAssertEqual(BlockGlyphs.sextant(mask: 62), 0x1FB3B)
    }
}
