/// How the samples of a thick slab are combined into one plane.
public enum SlabProjection: String, CaseIterable, Sendable {
    /// Maximum intensity projection: the brightest sample (vessels, nodules, contrast).
    case mip
    /// Minimum intensity projection: the darkest sample (airways, emphysema).
    case minip
    /// Average intensity projection: the arithmetic mean (a thick, low-noise slice).
    case avg

    /// Parses `mip`, `minip` or `avg` (also `avgip`, `mean`), any case; nil for anything else.
    public init?(name: String) {
        switch name.lowercased() {
        case "mip": self = .mip
        case "minip": self = .minip
        case "avg", "avgip", "average", "mean": self = .avg
        default: return nil
        }
    }

    /// The name radiologists read in a corner annotation: "MIP", "MinIP", "AvgIP".
    public var label: String {
        switch self {
        case .mip: return "MIP"
        case .minip: return "MinIP"
        case .avg: return "AvgIP"
        }
    }

    /// The next projection, for a key that cycles MIP → MinIP → AvgIP → MIP.
    public var next: SlabProjection {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
