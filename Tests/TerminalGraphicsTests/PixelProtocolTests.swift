import CZlib
import XCTest
import Foundation
@testable import TerminalGraphics

final class PixelProtocolTests: XCTestCase {
    func testBase64KnownVectors() {
        XCTAssertEqual(String(decoding: Base64.encode(Array("".utf8)), as: UTF8.self), "")
        XCTAssertEqual(String(decoding: Base64.encode(Array("f".utf8)), as: UTF8.self), "Zg==")
        XCTAssertEqual(String(decoding: Base64.encode(Array("fo".utf8)), as: UTF8.self), "Zm8=")
        XCTAssertEqual(String(decoding: Base64.encode(Array("foobar".utf8)), as: UTF8.self), "Zm9vYmFy")
    }

    func testGoldenKittyBytesForOnePixel() throws {
        let raster = try RGBImage(width: 1, height: 1, pixels: [255, 0, 0])
        let layout = ImageLayout(columns: 1, rows: 1, sampleWidth: 1, sampleHeight: 1, grid: CellGrid(columns: 1, rows: 1))
        XCTAssertEqual(String(decoding: KittyEncoder(imageID: 9, placementID: 2).encode(raster: raster, layout: layout), as: UTF8.self),
                       "\u{1B}_Ga=T,f=24,s=1,v=1,i=9,p=2,c=1,r=1,C=1,q=2,m=0;/wAA\u{1B}\\")
    }

    func testKittyChunksAndReusesTheImageID() throws {
        let image = try TestImages.slice(width: 200, height: 200)
        let enc = KittyEncoder(imageID: 42)
        let bytes = enc.encode(image, fitting: CellGrid(columns: 20, rows: 10))
        let text = String(decoding: bytes, as: UTF8.self)
        let chunks = text.components(separatedBy: "\u{1B}_G").dropFirst()
        XCTAssertGreaterThan(chunks.count, 1)
        var payload = ""
        for (n, chunk) in chunks.enumerated() {
            XCTAssertTrue(chunk.hasSuffix("\u{1B}\\"))
            let body = chunk.dropLast(2)
            let parts = body.split(separator: ";", maxSplits: 1)
            XCTAssertTrue(parts[0].hasSuffix(n == chunks.count - 1 ? "m=0" : "m=1"))
            XCTAssertLessThanOrEqual(parts[1].count, 4096)
            payload += parts[1]
        }
        XCTAssertTrue(chunks.first!.hasPrefix("a=T,f=24,s=160,v=160,i=42,p=1,c=20,r=10"))
        let data = Data(base64Encoded: payload)!
        // A CT-like slice compresses: sent zlib-compressed (o=z), and it inflates to the raw pixels.
        XCTAssertTrue(chunks.first!.contains(",o=z,"))
        XCTAssertLessThan(data.count, 160 * 160 * 3)
        var raw = [UInt8](repeating: 0, count: 160 * 160 * 3)
        var rawSize = uLong(raw.count)
        let status = raw.withUnsafeMutableBufferPointer { dst in
            [UInt8](data).withUnsafeBufferPointer { uncompress(dst.baseAddress, &rawSize, $0.baseAddress, uLong(data.count)) }
        }
        XCTAssertEqual(status, Z_OK)
        XCTAssertEqual(Int(rawSize), 160 * 160 * 3)
        let uncompressed = KittyEncoder(imageID: 42, compress: false).encode(image, fitting: CellGrid(columns: 20, rows: 10))
        XCTAssertFalse(String(decoding: uncompressed, as: UTF8.self).contains("o=z"))
        let plain = String(decoding: uncompressed, as: UTF8.self).components(separatedBy: "\u{1B}_G").dropFirst()
            .map { $0.dropLast(2).split(separator: ";", maxSplits: 1)[1] }.joined()
        XCTAssertEqual(raw, [UInt8](Data(base64Encoded: plain)!), "the same pixels either way")
        // The next slice uses the same id, so it replaces rather than accumulates.
        let next = String(decoding: enc.encode(try TestImages.slice(width: 200, height: 200), fitting: CellGrid(columns: 20, rows: 10)), as: UTF8.self)
        XCTAssertTrue(next.hasPrefix("\u{1B}_Ga=T,f=24,s=160,v=160,i=42,p=1,"))
    }

    func testITermSendsAValidPNG() throws {
        let raster = try TestImages.slice(width: 20, height: 10)
        let layout = ImageLayout(columns: 3, rows: 1, sampleWidth: 20, sampleHeight: 10, grid: CellGrid(columns: 3, rows: 1))
        let text = String(decoding: ITermEncoder().encode(raster: raster, layout: layout), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}]1337;File=inline=1;size="))
        XCTAssertTrue(text.contains(";width=3;height=1;preserveAspectRatio=0:"))
        XCTAssertTrue(text.hasSuffix("\u{07}"))
        let b64 = text.split(separator: ":", maxSplits: 1)[1].dropLast()
        let png = [UInt8](Data(base64Encoded: String(b64))!)
        XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        XCTAssertEqual(Array(png.suffix(4)), [0xAE, 0x42, 0x60, 0x82], "IEND CRC")
        // Round trip through Python's zlib: the stored deflate stream must inflate to the rows.
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 missing") }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import sys,zlib,struct;d=open(sys.argv[1],'rb').read();i=d.index(b'IDAT');n=struct.unpack('>I',d[i-4:i])[0];r=zlib.decompress(d[i+4:i+4+n]);sys.exit(0 if len(r)==10*61 and r[0]==0 else 1)", file.path]
        try p.run(); p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
    }

    func testTmuxPassthroughDoublesEscapes() {
        XCTAssertEqual(TmuxPassthrough.wrap(Array("\u{1B}_Ga\u{1B}\\".utf8)), Array("\u{1B}Ptmux;\u{1B}\u{1B}_Ga\u{1B}\u{1B}\\\u{1B}\\".utf8))
    }
}

final class KittyLayoutTests: XCTestCase {
    func testKittySendsNativeResolutionWhenTheCellBoxIsLarger() throws {
        let image = try TestImages.slice(width: 64, height: 64)
        let layout = KittyEncoder().layout(for: image, in: CellGrid(columns: 160, rows: 50))
        XCTAssertEqual([layout.sampleWidth, layout.sampleHeight, layout.columns, layout.rows], [64, 64, 100, 50])
        let text = String(decoding: KittyEncoder().encode(image, fitting: CellGrid(columns: 160, rows: 50)), as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("\u{1B}_Ga=T,f=24,s=64,v=64,i=1,p=1,c=100,r=50,"))
        // Non-square pixels: the raster is corrected for aspect, the cell box keeps the shape.
        let tall = try RGBImage(width: 64, height: 64, pixels: image.pixels, pixelAspectRatio: 2)
        let l2 = KittyEncoder().layout(for: tall, in: CellGrid(columns: 160, rows: 50))
        XCTAssertEqual([l2.sampleWidth, l2.sampleHeight], [64, 128])
        XCTAssertEqual(Double(l2.columns * 8) / Double(l2.rows * 16), 0.5, accuracy: 0.02)
    }
}
