import Foundation
import Imaging
import TerminalGraphics
@_spi(Benchmarks) import Workstation

/// Measures what one slice step costs: the time from the key message to the bytes for the
/// terminal (`update` → `view` → rasterise/encode), and how many bytes are sent, for each
/// graphics protocol. Runs without a terminal; the terminal's own drawing time is not included.
/// `lightbox open --benchmark-slices N` prints it (`make bench`); Tests/EndToEnd/slice_latency_tmux.sh
/// measures the same step through a real terminal.
public enum SliceStepBenchmark {
    public struct Result: Sendable {
        public var graphics: GraphicsProtocol
        public var steps: Int
        public var meanMS: Double
        public var p50MS: Double
        public var p95MS: Double
        public var meanBytes: Double
        public var maxBytes: Int
        public var firstFrameBytes: Int
        /// Mean bytes per step when stepping back over the slices just visited (kitty inside tmux
        /// places the uploaded images again; the other protocols send what they sent forward).
        public var revisitMeanBytes: Double
    }

    /// Interpolates `stack` to `slices` slices along z (linear between neighbours), so a short
    /// series stands in for a thin-slice one with realistic slice-to-slice change.
    public static func resample(_ stack: ImageStack, to slices: Int) -> ImageStack {
        let src = stack.frames
        guard src.count > 1, slices > 1, stack.isVolume else { return stack }
        let frames = (0 ..< slices).map { k -> StackFrame in
            let t = Double(k) * Double(src.count - 1) / Double(slices - 1)
            let i = min(Int(t), src.count - 2), f = Float(t - Double(i))
            var out = src[i]
            let a = src[i].values, b = src[i + 1].values
            out.values = (0 ..< a.count).map { a[$0] * (1 - f) + b[$0] * f }
            out.sopUID = "\(src[i].sopUID).\(k)"
            return out
        }
        return ImageStack(seriesUID: stack.seriesUID, frames: frames, sliceSpacing: (stack.sliceSpacing ?? 1) * Double(src.count - 1) / Double(slices - 1))
    }

    /// Steps through every slice of `stack` (one of `study`'s series) on a
    /// `columns × rows` screen of `cellWidth × cellHeight` pixel cells.
    /// `insideTmux`: as inside tmux (kitty then draws with Unicode placeholders). After the
    /// forward pass it steps back over every slice to measure revisits.
    public static func run(study: StudyIndex.Study, stack: ImageStack, graphics: GraphicsProtocol, insideTmux: Bool = false,
                           columns: Int = 160, rows: Int = 48, cellWidth: Int = 10, cellHeight: Int = 20) -> Result {
        var state = AppState(columns: columns, rows: rows, reader: "bench")
        _ = update(&state, .studiesLoaded([study]))
        _ = update(&state, .key(.enter))
        if let i = study.series.firstIndex(where: { $0.seriesInstanceUID == stack.seriesUID }) { state.viewer?.display.seriesIndex = i }
        _ = update(&state, .seriesLoaded(stack))
        _ = update(&state, .key(.char("g")))
        _ = update(&state, .key(.char("2")))   // lung window
        var caps = TerminalCapabilities(graphicsProtocol: graphics, colorDepth: .trueColor)
        caps.cellWidth = cellWidth; caps.cellHeight = cellHeight
        caps.insideTmux = insideTmux
        let encoder = FrameEncoder(capabilities: caps, theme: .dark)
        let first = encoder.encode(view(state), theme: .dark).count
        var times: [Double] = [], bytes: [Int] = []
        for _ in 1 ..< stack.frames.count {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = update(&state, .key(.char("j")))
            let out = encoder.encode(view(state), theme: .dark)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            bytes.append(out.count)
        }
        var revisit: [Int] = []
        for _ in 1 ..< stack.frames.count {
            _ = update(&state, .key(.char("k")))
            revisit.append(encoder.encode(view(state), theme: .dark).count)
        }
        let sorted = times.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return Result(graphics: graphics, steps: times.count, meanMS: times.reduce(0, +) / Double(max(1, times.count)),
                      p50MS: pct(0.5), p95MS: pct(0.95),
                      meanBytes: Double(bytes.reduce(0, +)) / Double(max(1, bytes.count)), maxBytes: bytes.max() ?? 0,
                      firstFrameBytes: first,
                      revisitMeanBytes: Double(revisit.reduce(0, +)) / Double(max(1, revisit.count)))
    }
}
