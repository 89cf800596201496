import Analysis
import TerminalGraphics

extension RiskLevel {
    /// This level's step on the theme's severity ramp (`Theme.severity`, least severe first).
    public var severityIndex: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

extension OverlayColor {
    /// The theme's colour for a risk level.
    public static func risk(_ level: RiskLevel) -> OverlayColor { .severity(level.severityIndex) }
}

extension Theme {
    public func color(for level: RiskLevel) -> RGBColor { severityColor(level.severityIndex) }
}
