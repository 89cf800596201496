import Foundation
import Imaging

/// The viewer's thick slab: off, or a projection (MIP, MinIP, AvgIP) over a thickness in mm.
/// Which samples a slab takes is Imaging's `SlabRule`; this is only the reader's choice.
public struct SlabSettings: Sendable, Equatable {
    public var isOn = false
    public var projection: SlabProjection = .mip
    public var thicknessMM = 10.0

    public init(isOn: Bool = false, projection: SlabProjection = .mip, thicknessMM: Double = 10) {
        self.isOn = isOn; self.projection = projection; self.thicknessMM = thicknessMM
    }

    /// The thicknesses `(` and `)` step through (mm).
    static let steps: [Double] = [2, 3, 5, 8, 10, 15, 20, 30, 40, 50, 75, 100]

    /// "MIP 10 mm", for the corner annotation and the status message.
    public var label: String {
        let t = thicknessMM.rounded() == thicknessMM ? String(Int(thicknessMM)) : String(format: "%.1f", thicknessMM)
        return "\(projection.label) \(t) mm"
    }

    /// The next thicker (or thinner) step; stays put at the ends.
    mutating func step(thicker: Bool) {
        if thicker { thicknessMM = Self.steps.first { $0 > thicknessMM + 1e-9 } ?? thicknessMM }
        else { thicknessMM = Self.steps.last { $0 < thicknessMM - 1e-9 } ?? thicknessMM }
    }
}
