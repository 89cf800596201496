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
    /// A ramp of colours from the least to the most severe (the theme file's `[risk]` table: low,
    /// intermediate, high, critical). TerminalGraphics knows only the order; the workstation maps
    /// its clinical risk levels onto it.
    public var severity: [RGBColor]

    /// The ramp's colour at `index`, clamped to the ramp (the foreground when it is empty).
    public func severityColor(_ index: Int) -> RGBColor {
        severity.isEmpty ? foreground : severity[Swift.min(Swift.max(index, 0), severity.count - 1)]
    }

    /// The built-in default (identical to Themes/dark.toml).
    public static let dark = Theme(
        name: "dark", background: RGBColor(hex: "#000000")!, foreground: RGBColor(hex: "#d0d0d0")!,
        label: RGBColor(hex: "#ffffff")!, contour: RGBColor(hex: "#00d7ff")!, box: RGBColor(hex: "#ffd700")!,
        marker: RGBColor(hex: "#ff5fff")!, measurement: RGBColor(hex: "#5fff87")!,
        heatmap: .inferno, heatmapOpacity: 0.45, heatmapThreshold: 0.5,
        severity: [RGBColor(hex: "#5fd75f")!, RGBColor(hex: "#ffd75f")!, RGBColor(hex: "#ff8700")!, RGBColor(hex: "#ff0000")!])
}
