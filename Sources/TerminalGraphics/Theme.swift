/// Colours for everything drawn over or next to an image.
///
/// A value only: the `LightboxConfig` module reads `Themes/*.toml` into it (`Theme+TOML.swift`
/// there documents the file format); ``Theme/dark`` is the built-in default.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var background: RGBColor
    public var foreground: RGBColor
    public var label: RGBColor
    public var contour: RGBColor
    public var box: RGBColor
    public var marker: RGBColor
    public var measurement: RGBColor
    public var heatmap: ColorMap
    public var heatmapOpacity: Float
    public var heatmapThreshold: Float
    public var risk: [RiskLevel: RGBColor]

    public func color(for level: RiskLevel) -> RGBColor { risk[level]! }

    /// The built-in default (identical to Themes/dark.toml).
    public static let dark = Theme(
        name: "dark", background: RGBColor(hex: "#000000")!, foreground: RGBColor(hex: "#d0d0d0")!,
        label: RGBColor(hex: "#ffffff")!, contour: RGBColor(hex: "#00d7ff")!, box: RGBColor(hex: "#ffd700")!,
        marker: RGBColor(hex: "#ff5fff")!, measurement: RGBColor(hex: "#5fff87")!,
        heatmap: .inferno, heatmapOpacity: 0.45, heatmapThreshold: 0.5,
        risk: [.low: RGBColor(hex: "#5fd75f")!, .intermediate: RGBColor(hex: "#ffd75f")!,
               .high: RGBColor(hex: "#ff8700")!, .critical: RGBColor(hex: "#ff0000")!])
}
