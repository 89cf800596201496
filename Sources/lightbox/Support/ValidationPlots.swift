import Analysis
import Foundation
import TerminalGraphics

/// The two PNGs of `lightbox validate --plots DIR`: the reliability diagram (mean predicted
/// probability against the observed hit rate per decile bin, the diagonal is perfect calibration,
/// marker size grows with the bin's count) and the FROC curve (sensitivity against false marks per
/// image or scan, up to 2, with the card's operating point as a red square).
enum ValidationPlots {
    static func reliability(_ bins: [ValidationMetrics.Bin]) throws -> [UInt8] {
        var c = PlotCanvas()
        c.axes()
        c.line(c.point(0, 0), c.point(1, 1), (150, 150, 150), dash: 4)
        let filled = bins.filter { $0.count > 0 }
        let total = max(1, filled.map(\.count).reduce(0, +))
        for (a, b) in zip(filled, filled.dropFirst()) {
            c.line(c.point(a.meanProbability, a.observed), c.point(b.meanProbability, b.observed), (31, 119, 180), thick: true)
        }
        for b in filled {
            c.square(c.point(b.meanProbability, b.observed), size: 2 + Int(6 * Double(b.count) / Double(total)), (31, 119, 180))
        }
        return try PNGWriter.encode(c.image)
    }

    static func froc(_ curve: [(fp: Double, sensitivity: Double, threshold: Double)], operatingPoint: (fp: Double, sensitivity: Double)?) throws -> [UInt8] {
        var c = PlotCanvas(xMax: 2)
        c.axes()
        var last = c.point(0, 0)
        for p in curve where p.fp <= 2 {
            let next = c.point(p.fp, p.sensitivity)
            c.line(last, (next.0, last.1), (31, 119, 180), thick: true)   // a step: sensitivity rises at a new threshold
            c.line((next.0, last.1), next, (31, 119, 180), thick: true)
            last = next
        }
        c.line(last, (c.point(2, 0).0, last.1), (31, 119, 180), thick: true)   // flat beyond the last threshold
        if let op = operatingPoint, op.fp <= 2 { c.square(c.point(op.fp, op.sensitivity), size: 4, (214, 39, 40)) }
        return try PNGWriter.encode(c.image)
    }
}
