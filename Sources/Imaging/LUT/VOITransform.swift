import DICOM
import Foundation

/// The VOI LUT stage (PS3.3 C.11.2): modality values → display values in 0…1.
public enum VOITransform: Sendable, Equatable {
    /// A window with the function of (0028,1056): LINEAR (default), LINEAR_EXACT or SIGMOID.
    case window(Window)
    case table(LookupTable)

    public struct Window: Sendable, Equatable, CustomStringConvertible {
        public enum Function: String, Sendable { case linear = "LINEAR", linearExact = "LINEAR_EXACT", sigmoid = "SIGMOID" }
        public var center: Double
        public var width: Double
        public var function: Function

        public init(center: Double, width: Double, function: Function = .linear) {
            self.center = center; self.width = width; self.function = function
        }

        public var description: String { "C \(Self.fmt(center)) / W \(Self.fmt(width))" }
        static func fmt(_ v: Double) -> String { v.rounded() == v ? String(Int(v)) : String(format: "%.1f", v) }

        /// Named presets (HU) radiologists expect on number keys.
        public static let presets: [(name: String, window: Window)] = [
            ("soft", Window(center: 40, width: 400)), ("lung", Window(center: -600, width: 1500)),
            ("bone", Window(center: 400, width: 1800)), ("brain", Window(center: 40, width: 80)),
            ("stroke", Window(center: 35, width: 30)), ("mediastinum", Window(center: 50, width: 350)),
        ]

        public static func preset(named name: String) -> Window? {
            presets.first { $0.name == name.lowercased() }?.window
        }

        /// Parses `C/W` (e.g. `-600/1500`).
        public init?(parsing text: String) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let c = Double(parts[0]), let w = Double(parts[1]), w > 0 else { return nil }
            self.init(center: c, width: w)
        }
    }

    /// The first window or VOI LUT the file offers; nil when it has none.
    public init?(_ ds: DataSet) {
        if let item = ds.sequence(.voiLUTSequence).first, let lut = LookupTable(item: item) {
            self = .table(lut)
            return
        }
        var source = ds
        if ds.double(.windowCenter) == nil,
           let voi = ds.sequence(Tag(0x5200, 0x9229)).first?.sequence(Tag(0x0028, 0x9132)).first {
            source = voi  // Frame VOI LUT Sequence in the shared functional groups
        }
        guard let c = source.double(.windowCenter), let w = source.double(.windowWidth), c.isFinite, w.isFinite, w > 0 else { return nil }
        let function = source.string(.voiLUTFunction).flatMap(Window.Function.init(rawValue:)) ?? .linear
        self = .window(Window(center: c, width: w, function: function))
    }

    /// A window spanning the values present (used when the file offers none).
    public static func fullRange(of values: [Float]) -> VOITransform {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for v in values { lo = min(lo, v); hi = max(hi, v) }
        if lo > hi { lo = 0; hi = 1 }
        let width = Double(max(hi - lo, 1))
        return .window(Window(center: Double(lo) + width / 2, width: width, function: .linearExact))
    }

    /// Maps `x` to 0…1 by the formulas of PS3.3 C.11.2.1.2.
    @inlinable public func unit(_ x: Float) -> Float {
        switch self {
        case let .window(w):
            let c = Float(w.center), width = Float(w.width)
            switch w.function {
            case .linear:
                let ww = max(width, 1)
                let lower = c - 0.5 - (ww - 1) / 2, upper = c - 0.5 + (ww - 1) / 2
                if x <= lower { return 0 }
                if x > upper { return 1 }
                return ww == 1 ? 1 : (x - (c - 0.5)) / (ww - 1) + 0.5
            case .linearExact:
                if x <= c - width / 2 { return 0 }
                if x > c + width / 2 { return 1 }
                return (x - c) / width + 0.5
            case .sigmoid:
                return 1 / (1 + expf(-4 * (x - c) / width))
            }
        case let .table(lut):
            return lut.lookup(x) / Float(lut.maximumOutput)
        }
    }

    /// Maps values to 8-bit grey levels.
    public func apply(_ values: [Float], into out: inout [UInt8]) {
        out.withUnsafeMutableBufferPointer { dst in
            values.withUnsafeBufferPointer { src in
                for i in 0 ..< min(src.count, dst.count) {
                    let u = unit(src[i])
                    dst[i] = UInt8(max(0, min(255, (u * 255).rounded())))
                }
            }
        }
    }
}
