#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Colours for everything drawn over or next to an image, loaded from `Themes/*.toml`.
///
/// File format (see Themes/dark.toml): top-level `name`, and flat tables
/// `[image]` (background), `[text]` (foreground, label), `[overlay]` (contour, box, marker,
/// measurement, heatmap = colour-map name, heatmap_opacity, heatmap_threshold) and `[risk]`
/// (low, intermediate, high, critical). Missing keys fall back to ``Theme/dark``; malformed
/// colours are errors (a typo must not silently turn a critical finding grey).
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

    public struct LoadError: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Parses theme text (see the type's documentation).
    public static func parse(_ text: String) throws -> Theme {
        let t: [String: [String: String]]
        do { t = try TOMLSubsetParser.parse(text) } catch { throw LoadError(message: "theme: \(error)") }
        var theme = Theme.dark
        theme.name = t[""]?["name"] ?? "unnamed"
        func color(_ table: String, _ key: String, _ slot: inout RGBColor) throws {
            guard let v = t[table]?[key] else { return }
            guard let c = RGBColor(hex: v) else { throw LoadError(message: "theme: [\(table)] \(key) = \"\(v)\" is not #rrggbb") }
            slot = c
        }
        try color("image", "background", &theme.background)
        try color("text", "foreground", &theme.foreground)
        try color("text", "label", &theme.label)
        try color("overlay", "contour", &theme.contour)
        try color("overlay", "box", &theme.box)
        try color("overlay", "marker", &theme.marker)
        try color("overlay", "measurement", &theme.measurement)
        if let m = t["overlay"]?["heatmap"] {
            guard let map = ColorMap(rawValue: m) else { throw LoadError(message: "theme: unknown colour map \"\(m)\"") }
            theme.heatmap = map
        }
        if let v = t["overlay"]?["heatmap_opacity"] {
            guard let f = Float(v), (0...1).contains(f) else { throw LoadError(message: "theme: heatmap_opacity must be in 0...1") }
            theme.heatmapOpacity = f
        }
        if let v = t["overlay"]?["heatmap_threshold"] {
            guard let f = Float(v), (0...1).contains(f) else { throw LoadError(message: "theme: heatmap_threshold must be in 0...1") }
            theme.heatmapThreshold = f
        }
        for level in RiskLevel.allCases {
            var c = theme.risk[level]!
            try color("risk", level.themeKey, &c)
            theme.risk[level] = c
        }
        return theme
    }

    /// Loads `<directory>/<name>.toml`; `name` may not contain a path separator.
    public static func load(named name: String, from directory: String) throws -> Theme {
        guard !name.isEmpty, !name.contains("/"), !name.contains("..") else { throw LoadError(message: "theme: bad name \"\(name)\"") }
        let path = directory + "/" + name + ".toml"
        guard let text = readTextFile(path) else { throw LoadError(message: "theme: cannot read \(path)") }
        return try parse(text)
    }

    static func readTextFile(_ path: String) -> String? {
        guard let f = fopen(path, "rb") else { return nil }
        defer { fclose(f) }
        var bytes = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 1 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
