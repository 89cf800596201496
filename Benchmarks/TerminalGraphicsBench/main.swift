// Benchmark harness for the TerminalGraphics encoders; driven by Benchmarks/terminal-graphics.sh.
//
//   TerminalGraphicsBench encode --mode halfblock|sextant|sixel|kitty|iterm|ascii [--depth truecolor|256|16]
//                                [--cols 160 --rows 50 --cell-size 8x16] [--aspect 1.0] [--repeat 50]
//                                --input image.pgm|ppm --output out.bin
//       Encodes the image (fit + resample + encode, timed as one), writes the bytes of one frame,
//       prints "bytes=<n> median_ms=<t> min_ms=<t> columns=<c> rows=<r> width=<w> height=<h>".
//   TerminalGraphicsBench scroll [--slices 300] [--cols 160 --rows 50]
//       Scrolls a synthetic 300-slice CT series and prints bytes per slice step per mode.
import Foundation
import TerminalGraphics
#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("TerminalGraphicsBench: \(message)\n".utf8))
    exit(2)
}

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readFile(_ path: String) -> [UInt8] {
    guard let f = fopen(path, "rb") else { fail("cannot open \(path)") }
    defer { fclose(f) }
    var out = [UInt8]()
    var buf = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&buf, 1, buf.count, f)
        if n <= 0 { break }
        out.append(contentsOf: buf[0..<n])
    }
    return out
}

func writeFile(_ path: String, _ bytes: [UInt8]) {
    guard let f = fopen(path, "wb") else { fail("cannot write \(path)") }
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    fclose(f)
}

/// Reads binary PGM (P5) or PPM (P6), maxval 255.
func readPNM(_ path: String, aspect: Double) -> RGBImage {
    let b = readFile(path)
    var i = 0
    func token() -> String {
        while i < b.count {
            if b[i] == 0x23 { while i < b.count && b[i] != 0x0A { i += 1 } }
            else if b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
            else { break }
        }
        let s = i
        while i < b.count && !(b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09) { i += 1 }
        return String(decoding: b[s..<i], as: UTF8.self)
    }
    let magic = token()
    guard magic == "P5" || magic == "P6", let w = Int(token()), let h = Int(token()), token() == "255" else { fail("\(path): not an 8-bit P5/P6 file") }
    i += 1
    let data = Array(b[i...])
    do {
        if magic == "P6" { return try RGBImage(width: w, height: h, pixels: Array(data.prefix(w * h * 3)), pixelAspectRatio: aspect) }
        return RGBImage(try GreyImage(width: w, height: h, pixels: Array(data.prefix(w * h)), pixelAspectRatio: aspect))
    } catch {
        fail("\(path): \(error)")
    }
}

var options: [String: String] = [:]
let args = Array(CommandLine.arguments.dropFirst())
guard let command = args.first else { fail("usage: encode|scroll …") }
var k = 1
while k < args.count {
    guard args[k].hasPrefix("--"), k + 1 < args.count else { fail("bad argument \(args[k])") }
    options[String(args[k].dropFirst(2))] = args[k + 1]; k += 2
}
let cols = Int(options["cols"] ?? "160")!, rows = Int(options["rows"] ?? "50")!
let cell = CellGrid.parseCellSize(options["cell-size"] ?? "8x16") ?? { fail("bad --cell-size") }()
let grid = CellGrid(columns: cols, rows: rows, cellWidth: cell.width, cellHeight: cell.height)
let depth: ColorDepth = ColorDepth(rawValue: options["depth"] ?? "truecolor") ?? { fail("bad --depth") }()
let dithering = Dithering(rawValue: options["dither"] ?? "none") ?? { fail("bad --dither") }()

@MainActor func encoder(_ mode: String) -> any ImageEncoder {
    switch mode {
    case "halfblock": return HalfBlockEncoder(depth: depth, dithering: dithering)
    case "sextant": return SextantEncoder(depth: depth, dithering: dithering)
    case "sixel": return SixelEncoder(registers: Int(options["registers"] ?? "256")!)
    case "kitty": return KittyEncoder()
    case "iterm": return ITermEncoder()
    case "ascii": return AsciiEncoder()
    default: fail("unknown mode \(mode)")
    }
}

switch command {
case "encode":
    guard let input = options["input"], let output = options["output"], let mode = options["mode"] else { fail("encode needs --input --output --mode") }
    let image = readPNM(input, aspect: Double(options["aspect"] ?? "1")!)
    let enc = encoder(mode)
    let repeats = max(1, Int(options["repeat"] ?? "30")!)
    var bytes = enc.encode(image, fitting: grid)
    var times = [Double]()
    for _ in 0..<repeats {
        let t0 = now()
        bytes = enc.encode(image, fitting: grid)
        times.append((now() - t0) * 1000)
    }
    times.sort()
    let layout = enc.layout(for: image, in: grid)
    writeFile(output, bytes)
    print("bytes=\(bytes.count) median_ms=\(times[times.count / 2]) min_ms=\(times[0]) columns=\(layout.columns) rows=\(layout.rows) width=\(layout.sampleWidth) height=\(layout.sampleHeight)")

case "profile":
    // Per-stage minimum over 20 runs (robust to a shared, loaded machine).
    let image = readPNM(options["input"]!, aspect: 1)
    let enc = SixelEncoder()
    let layout = enc.layout(for: image, in: grid)
    var best = [Double](repeating: .infinity, count: 6)
    for _ in 0..<20 {
        var t = [Double]()
        var t0 = now()
        let raster = Resampler.resample(image, width: layout.sampleWidth, height: layout.sampleHeight)
        t.append(now() - t0); t0 = now()
        let palette = SixelPalette(for: raster)
        t.append(now() - t0); t0 = now()
        _ = enc.encode(raster: raster, palette: palette)
        t.append(now() - t0); t0 = now()
        let hb = HalfBlockEncoder()
        let hl = hb.layout(for: image, in: grid)
        let small = Resampler.resample(image, width: hl.sampleWidth, height: hl.sampleHeight)
        t.append(now() - t0); t0 = now()
        let cells = hb.cells(raster: small, layout: hl)
        t.append(now() - t0); t0 = now()
        _ = cells.frameBytes(depth: .trueColor)
        t.append(now() - t0)
        for k in 0..<6 { best[k] = min(best[k], t[k] * 1000) }
    }
    let names = ["sixel.resample", "sixel.palette", "sixel.encode", "half.resample", "half.cells", "half.write"]
    print(zip(names, best).map { "\($0)=\(($1 * 1000).rounded() / 1000)" }.joined(separator: " "))

case "scroll":
    let slices = Int(options["slices"] ?? "300")!
    let series = SyntheticSeries(size: 512, slices: slices)
    for (name, enc, d) in [("halfblock truecolor", HalfBlockEncoder(depth: .trueColor) as any CellEncoder, ColorDepth.trueColor),
                           ("halfblock 256", HalfBlockEncoder(depth: .xterm256), .xterm256),
                           ("sextant truecolor", SextantEncoder(depth: .trueColor), .trueColor),
                           ("sextant 256", SextantEncoder(depth: .xterm256), .xterm256)] {
        let canvas = CellCanvas(originRow: 1, originColumn: 1, depth: d)
        var first = 0, diffTotal = 0, fullTotal = 0
        var t = 0.0
        for s in 0..<slices {
            let buffer = enc.cells(series.slice(s), fitting: grid)
            let t0 = now()
            let bytes = canvas.draw(buffer)
            t += now() - t0
            if s == 0 { first = bytes.count } else { diffTotal += bytes.count; fullTotal += buffer.frameBytes(depth: d).count }
        }
        print("scroll mode=\(name) first=\(first) diff_per_step=\(diffTotal / (slices - 1)) full_per_step=\(fullTotal / (slices - 1)) diff_ms=\(t * 1000 / Double(slices))")
    }
    let kitty = KittyEncoder(imageID: 7)
    var kittyTotal = 0
    for s in 1..<slices { kittyTotal += kitty.encode(series.slice(s), fitting: grid).count }
    print("scroll mode=kitty first=\(kitty.encode(series.slice(0), fitting: grid).count) diff_per_step=\(kittyTotal / (slices - 1)) full_per_step=\(kittyTotal / (slices - 1)) diff_ms=0")
    var sixelTotal = 0
    let sixel = SixelEncoder()
    for s in stride(from: 1, to: slices, by: 10) { sixelTotal += sixel.encode(series.slice(s), fitting: grid).count }
    let sixelSteps = (slices - 1 + 9) / 10
    print("scroll mode=sixel first=\(sixel.encode(series.slice(0), fitting: grid).count) diff_per_step=\(sixelTotal / sixelSteps) full_per_step=\(sixelTotal / sixelSteps) diff_ms=0")
default:
    fail("unknown command \(command)")
}
