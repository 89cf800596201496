import Foundation
import TerminalGraphics
import XCTest
@testable import Workstation

/// The screen dump `real_terminals.py` compares a real terminal with: the frame's size, its image
/// placements and its rows as a terminal would draw them (a wide character once), written 0600
/// and replaced whole.
final class ScreenDumpTests: XCTestCase {
    func testTheDumpHoldsTheRowsAndImagePlacementsAndIsPrivate() throws {
        var screen = Screen(columns: 8, rows: 3)
        screen.put("漢字ab", row: 0, column: 0)
        screen.put("x", row: 2, column: 7)
        screen.images = [ImagePlacement(row: 1, column: 2, columns: 3, rows: 1,
                                        image: try RGBImage(width: 2, height: 2, filledWith: RGBColor(r: 9, g: 9, b: 9)), overlays: [])]
        XCTAssertEqual(ScreenDump.text(screen), "lightbox-screen 1\n8 3\nimage 1 2 1 3\ntext\n漢字ab  \n        \n       x\n")

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-dump-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("screen.txt").path
        ScreenDump.write(screen, to: path)
        screen.put("y", row: 2, column: 0)
        ScreenDump.write(screen, to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), ScreenDump.text(screen))
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode & 0o777, 0o600)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["screen.txt"])
    }
}
