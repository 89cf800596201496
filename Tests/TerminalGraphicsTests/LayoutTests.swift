import XCTest
@testable import TerminalGraphics

final class LayoutTests: XCTestCase {
    func testSquareImageAtDefaultCellSizeUsesSquarePixels() {
        let grid = CellGrid(columns: 160, rows: 50)
        XCTAssertEqual(grid.cellWidth, 8); XCTAssertEqual(grid.cellHeight, 16)
        let px = ImageLayout.pixels(width: 512, height: 512, pixelAspectRatio: 1, grid: grid)
        XCTAssertEqual([px.sampleWidth, px.sampleHeight, px.columns, px.rows], [800, 800, 100, 50])
        let hb = HalfBlockEncoder().layout(width: 512, height: 512, pixelAspectRatio: 1, grid: grid)
        XCTAssertEqual([hb.columns, hb.rows, hb.sampleWidth, hb.sampleHeight], [100, 50, 100, 100])
    }

    func testPixelSpacingIsHonoured() throws {
        // Rows 2 mm apart, columns 1 mm: the picture is twice as tall as it is wide.
        let grid = CellGrid(columns: 100, rows: 50, cellWidth: 10, cellHeight: 20)
        let l = ImageLayout.pixels(width: 100, height: 100, pixelAspectRatio: 2, grid: grid)
        XCTAssertEqual(Double(l.sampleHeight) / Double(l.sampleWidth), 2, accuracy: 0.01)
        XCTAssertEqual(l.sampleHeight, 1000)
        let image = try RGBImage(width: 100, height: 100, pixels: [UInt8](repeating: 0, count: 30000), rowSpacing: 0.5, columnSpacing: 1)
        let cells = SextantEncoder().layout(for: image, in: grid)
        // 0.5:1 → twice as wide as tall in physical pixels; cells are 10×20.
        XCTAssertEqual(Double(cells.columns * 10) / Double(cells.rows * 20), 2, accuracy: 0.1)
    }

    func testCellSizeArgument() {
        XCTAssertTrue(CellGrid.parseCellSize("10x20")! == (10, 20))
        XCTAssertNil(CellGrid.parseCellSize("10"))
        XCTAssertNil(CellGrid.parseCellSize("0x20"))
    }

    func testResamplerAveragesAndPreservesConstants() throws {
        let flat = try RGBImage(width: 37, height: 23, filledWith: RGBColor(r: 10, g: 100, b: 200))
        for (w, h) in [(10, 7), (80, 50), (37, 5)] {
            let r = Resampler.resample(flat, width: w, height: h)
            XCTAssertTrue(stride(from: 0, to: r.pixels.count, by: 3).allSatisfy { r.pixels[$0] == 10 && r.pixels[$0 + 1] == 100 && r.pixels[$0 + 2] == 200 })
        }
        let checker = RGBImage(try GreyImage(width: 4, height: 2, pixels: [0, 255, 0, 255, 255, 0, 255, 0]))
        let half = Resampler.resample(checker, width: 2, height: 1)
        XCTAssertEqual(half.pixels, [128, 128, 128, 128, 128, 128])
    }

    func testXterm256Palette() {
        XCTAssertEqual(Xterm256Palette.nearest(r: 0, g: 0, b: 0), 16)
        XCTAssertEqual(Xterm256Palette.nearest(r: 255, g: 255, b: 255), 231)
        XCTAssertEqual(Xterm256Palette.nearest(r: 8, g: 8, b: 8), 232)
        XCTAssertEqual(Xterm256Palette.nearest(r: 128, g: 128, b: 128), 244)
        XCTAssertEqual(Xterm256Palette.nearest(r: 255, g: 0, b: 0), 196)
        XCTAssertEqual(Xterm256Palette.color(244), RGBColor(grey: 128))
    }

    func testGreyWindowing() throws {
        let g = try GreyImage(width: 3, height: 1, values: [-2000, -600, 1000], windowCenter: -600, windowWidth: 1500)
        XCTAssertEqual(g.pixels[0], 0); XCTAssertEqual(g.pixels[2], 255)
        XCTAssertEqual(Int(g.pixels[1]), 128, accuracy: 1)
    }
}
