import XCTest
@testable import TerminalGraphics

final class KittyPlaceholderTests: XCTestCase {
    private func scalars(_ bytes: [UInt8]) -> [UInt32] { String(decoding: bytes, as: UTF8.self).unicodeScalars.map(\.value) }

    func testDiacriticTableMatchesKittysPublishedTable() {
        let t = KittyPlaceholderDiacritics.table
        // kitty's gen/rowcolumn-diacritics.txt: 297 entries; spot checks at both ends and across scripts.
        XCTAssertEqual(t.count, 297)
        XCTAssertEqual(Set(t).count, 297)
        XCTAssertEqual(t.sorted(), t)
        XCTAssertEqual(Array(t.prefix(8)), [0x0305, 0x030D, 0x030E, 0x0310, 0x0312, 0x033D, 0x033E, 0x033F])
        XCTAssertEqual(t[17], 0x0363)     // COMBINING LATIN SMALL LETTER A
        XCTAssertEqual(t[30], 0x0483)     // COMBINING CYRILLIC TITLO
        XCTAssertEqual(t[35], 0x0592)     // HEBREW ACCENT SEGOL
        XCTAssertEqual(t[54], 0x0610)
        XCTAssertEqual(t[85], 0x0730)     // SYRIAC PTHAHA ABOVE
        XCTAssertEqual(t[100], 0x07EB)
        XCTAssertEqual(t[129], 0x0951)    // DEVANAGARI STRESS SIGN UDATTA
        XCTAssertEqual(t[180], 0x1DD6)    // COMBINING LATIN SMALL LETTER AV
        XCTAssertEqual(t[255], 0xA8E5)    // COMBINING DEVANAGARI DIGIT FIVE
        XCTAssertEqual(Array(t.suffix(3)), [0x1D242, 0x1D243, 0x1D244])
        // Absent on purpose: marks that normalisation fuses with a base letter (0300, 0301, 030F, 0342, 0653).
        for excluded: UInt32 in [0x0300, 0x0301, 0x0304, 0x030F, 0x0311, 0x0342, 0x0653, 0x0654] { XCTAssertFalse(t.contains(excluded)) }
        XCTAssertNil(KittyPlaceholderDiacritics.diacritic(297))
    }

    func testImageIDIsTheForegroundColour() {
        XCTAssertEqual(String(decoding: KittyPlaceholderEncoder.foreground(imageID: 0x12_34_56), as: UTF8.self), "\u{1B}[38;2;18;52;86m")
        XCTAssertEqual(String(decoding: KittyPlaceholderEncoder.foreground(imageID: 7), as: UTF8.self), "\u{1B}[38;2;0;0;7m")
    }

    func testCellsCarryRowThenColumnDiacritics() {
        let row = scalars(KittyPlaceholderEncoder.row(2, columns: 3))
        let d = KittyPlaceholderDiacritics.table
        XCTAssertEqual(row, [0x10EEEE, d[2], d[0], 0x10EEEE, d[2], d[1], 0x10EEEE, d[2], d[2]])
        // A whole placement: one colour, a cursor position per row, rows in order, colour reset.
        let text = String(decoding: KittyPlaceholderEncoder.cells(imageID: 0x0A0B0C, columns: 2, rows: 2, atRow: 5, column: 7), as: UTF8.self)
        let expected = "\u{1B}[38;2;10;11;12m" + "\u{1B}[5;7H" + String(decoding: KittyPlaceholderEncoder.row(0, columns: 2), as: UTF8.self)
            + "\u{1B}[6;7H" + String(decoding: KittyPlaceholderEncoder.row(1, columns: 2), as: UTF8.self) + "\u{1B}[39m"
        XCTAssertEqual(text, expected)
        // Each placeholder with its two marks is one grapheme: one cell for the terminal and for tmux.
        XCTAssertEqual(String(decoding: KittyPlaceholderEncoder.row(0, columns: 4), as: UTF8.self).count, 4)
        // Rows past the table cannot be addressed and are not drawn.
        XCTAssertTrue(KittyPlaceholderEncoder.row(297, columns: 2).isEmpty)
        XCTAssertEqual(scalars(KittyPlaceholderEncoder.row(0, columns: 400)).count, 297 * 3)
    }

    func testUploadIsAVirtualPlacementWrappedPerChunkForTmux() throws {
        let raster = try TestImages.slice(width: 200, height: 200)
        let layout = ImageLayout(columns: 20, rows: 10, sampleWidth: 200, sampleHeight: 200, grid: CellGrid(columns: 20, rows: 10))
        let direct = KittyPlaceholderEncoder(passthrough: false).upload(raster: raster, layout: layout, imageID: 99)
        let text = String(decoding: direct, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}_Ga=T,U=1,f=24,s=200,v=200,i=99,c=20,r=10,q=2,o=z,m="), String(text.prefix(80)))
        let wrapped = KittyPlaceholderEncoder(passthrough: true).upload(raster: raster, layout: layout, imageID: 99)
        let dcs = String(decoding: wrapped, as: UTF8.self).components(separatedBy: "\u{1B}Ptmux;").dropFirst()
        XCTAssertEqual(dcs.count, text.components(separatedBy: "\u{1B}_G").count - 1, "one DCS per APC chunk")
        XCTAssertTrue(dcs.allSatisfy { $0.utf8.count < 9000 })
        XCTAssertEqual(String(decoding: KittyPlaceholderEncoder().delete(imageIDs: [3, 4]), as: UTF8.self),
                       "\u{1B}_Ga=d,d=I,i=3,q=2\u{1B}\\\u{1B}_Ga=d,d=I,i=4,q=2\u{1B}\\")
    }

    func testCompressionOnlyWhenSmaller() throws {
        // Smooth slice: deflates well → o=z. Noise: deflate gains nothing → raw.
        let smooth = try TestImages.slice(width: 64, height: 64)
        XCTAssertTrue(KittyEncoder.pixelPayload(smooth, compress: true).zlib)
        var rng = SystemRandomNumberGenerator()
        let noise = try RGBImage(width: 64, height: 64, pixels: (0 ..< 64 * 64 * 3).map { _ in UInt8.random(in: 0 ... 255, using: &rng) })
        let (_, zlib, payload) = KittyEncoder.pixelPayload(noise, compress: true)
        XCTAssertFalse(zlib)
        XCTAssertEqual(payload, noise.pixels)
        XCTAssertFalse(KittyEncoder.pixelPayload(smooth, compress: false).zlib)
    }

    func testStoreEvictsLeastRecentlyUsedWithinItsBudget() {
        let layout = ImageLayout(columns: 1, rows: 1, sampleWidth: 1, sampleHeight: 1, grid: CellGrid(columns: 1, rows: 1))
        var store = KittyImageStore(byteBudget: 300, firstID: 10)
        XCTAssertEqual(store.insert(1, layout: layout, bytes: 100).id, 10)
        XCTAssertEqual(store.insert(2, layout: layout, bytes: 100).id, 11)
        XCTAssertEqual(store.insert(3, layout: layout, bytes: 100).id, 12)
        XCTAssertEqual(store.lookup(1)?.id, 10)          // 1 is now the most recent
        let (id, evicted) = store.insert(4, layout: layout, bytes: 100)
        XCTAssertEqual(id, 13); XCTAssertEqual(evicted, [11])
        XCTAssertNil(store.lookup(2))
        XCTAssertEqual(store.storedBytes, 300)
        XCTAssertEqual(Set(store.removeAll()), [10, 12, 13])
        XCTAssertEqual(store.count, 0)
        // Ids stay within 24 bits and wrap past the top.
        var top = KittyImageStore(firstID: KittyImageStore.maxID)
        XCTAssertEqual(top.insert(1, layout: layout, bytes: 1).id, KittyImageStore.maxID)
        XCTAssertEqual(top.insert(2, layout: layout, bytes: 1).id, 1)
    }

    func testUploadOnceThenOnlyPlaceholders() throws {
        var caps = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "/tmp/tmux-1/default,1,0", "KITTY_WINDOW_ID": "1"])
        caps.cellWidth = 10; caps.cellHeight = 20
        XCTAssertTrue(caps.kittyPlaceholders)
        let renderer = ImageRenderer(capabilities: caps)
        var store = KittyImageStore(firstID: 500)
        let a = try TestImages.slice(width: 256, height: 256), b = try TestImages.colourBars(width: 256, height: 256)
        let first = renderer.renderPlaceholders(a, columns: 40, rows: 20, key: 1, store: &store)
        let second = renderer.renderPlaceholders(b, columns: 40, rows: 20, key: 2, store: &store)
        let again = renderer.renderPlaceholders(a, columns: 40, rows: 20, key: 1, store: &store)
        XCTAssertTrue(first.uploaded); XCTAssertTrue(second.uploaded); XCTAssertFalse(again.uploaded)
        XCTAssertEqual(again.imageID, first.imageID); XCTAssertNotEqual(second.imageID, first.imageID)
        XCTAssertEqual(again.layout, first.layout)
        XCTAssertTrue(again.commands.isEmpty)
        let firstBytes = first.commands.count + first.cells(atRow: 1, column: 1).count
        let revisitBytes = again.commands.count + again.cells(atRow: 1, column: 1).count
        XCTAssertGreaterThan(first.commands.count, 10_000)
        XCTAssertLessThan(revisitBytes, firstBytes / 5, "a revisit sends only placeholder cells")
        // Placeholder text is 4 + 2 + 2 bytes a cell here, plus a cursor move per row and the colours.
        XCTAssertEqual(again.cells(atRow: 1, column: 1).count,
                       again.layout.rows * again.layout.columns * 8 + (1 ..< again.layout.rows + 1).map { "\u{1B}[\($0);1H".utf8.count }.reduce(0, +)
                       + KittyPlaceholderEncoder.foreground(imageID: again.imageID).count + 5)
    }

    func testRenderInsideTmuxInKittyUsesPlaceholders() throws {
        var caps = TerminalCapabilities.fromEnvironment(["TERM": "tmux-256color", "TMUX": "1"])
        caps.apply(override: "kitty")
        let r = ImageRenderer(capabilities: caps).render(try TestImages.slice(width: 16, height: 16), columns: 4, rows: 2)
        XCTAssertEqual(r.graphicsProtocol, .kitty)
        let text = String(decoding: r.bytes, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}Ptmux;\u{1B}\u{1B}_Ga=T,U=1,"))
        let cells = text.unicodeScalars.filter { $0.value == 0x10EEEE }.count
        XCTAssertEqual(cells, r.layout.columns * r.layout.rows)
        XCTAssertTrue(text.hasSuffix("\u{1B}[39m"))
    }

    func testDetection() {
        func caps(_ env: [String: String]) -> TerminalCapabilities { TerminalCapabilities.fromEnvironment(env) }
        // kitty → tmux: the pane inherits KITTY_WINDOW_ID.
        XCTAssertTrue(caps(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "KITTY_WINDOW_ID": "3"]).kittyPlaceholders)
        XCTAssertTrue(caps(["TERM": "screen-256color", "TMUX": "/tmp/t,1,0", "KITTY_WINDOW_ID": "3"]).kittyPlaceholders)
        // Over SSH with TERM_PROGRAM forwarded (tmux itself sets TERM_PROGRAM=tmux, so it is only kitty when forwarded).
        XCTAssertTrue(caps(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "TERM_PROGRAM": "kitty"]).kittyPlaceholders)
        XCTAssertEqual(caps(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "TERM_PROGRAM": "kitty"]).colorDepth, .trueColor)
        // tmux elsewhere, or GNU screen (no TMUX) in kitty: cell blitters as before.
        XCTAssertEqual(caps(["TERM": "tmux-256color", "TMUX": "/tmp/t,1,0", "TERM_PROGRAM": "tmux"]).graphicsProtocol, .blocks)
        XCTAssertEqual(caps(["TERM": "screen-256color", "KITTY_WINDOW_ID": "3"]).graphicsProtocol, .blocks)
        // Plain kitty: direct placement.
        let plain = caps(["TERM": "xterm-kitty", "KITTY_WINDOW_ID": "3"])
        XCTAssertEqual(plain.graphicsProtocol, .kitty); XCTAssertFalse(plain.kittyPlaceholders)
        // --protocol kitty inside tmux (no kitty variables): still placeholders.
        var forced = caps(["TERM": "tmux-256color", "TMUX": "1"]); forced.apply(override: "kitty")
        XCTAssertTrue(forced.kittyPlaceholders)
    }
}
