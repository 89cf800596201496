import TerminalGraphics

/// Reading `Themes/*.toml` into a `Theme`.
///
/// File format (see Themes/dark.toml): top-level `name`, and flat tables
/// `[image]` (background), `[text]` (foreground, label), `[overlay]` (contour, box, marker,
/// measurement, heatmap = colour-map name, heatmap_opacity, heatmap_threshold) and `[risk]`
/// (low, intermediate, high, critical). Missing keys fall back to ``Theme/dark``; malformed
/// colours are errors (a typo must not silently turn a critical finding grey), and every error
/// names the file and line.
extension Theme {
    /// The `[risk]` table's keys, in the order of `Theme.severity`.
    public static let severityKeys = ["low", "intermediate", "high", "critical"]

    /// Parses theme text; `source` names it in errors.
    public static func parse(_ text: String, source: String = "theme") throws -> Theme {
        try Theme(document: TOMLParser.parse(text, source: source))
    }

    /// Loads `<directory>/<name>.toml`; `name` may not contain a path separator.
    public static func load(named name: String, from directory: String) throws -> Theme {
        guard !name.isEmpty, !name.contains("/"), !name.contains("..") else {
            throw ConfigError(source: "theme", line: nil, message: "bad name \"\(name)\"")
        }
        let path = directory + "/" + name + ".toml"
        return try Theme(document: ConfigFile.document(at: path))
    }

    /// The theme a parsed file describes, over ``Theme/dark``.
    public init(document t: TOMLDocument) throws {
        var theme = Theme.dark
        theme.name = t.value("name") ?? "unnamed"
        func color(_ table: String, _ key: String, _ slot: inout RGBColor) throws {
            guard let v = t.value(key, in: table) else { return }
            guard let c = RGBColor(hex: v) else { throw t.error("[\(table)] \(key) = \"\(v)\" is not #rrggbb", key: key, in: table) }
            slot = c
        }
        func fraction(_ key: String, _ slot: inout Float) throws {
            guard let v = t.value(key, in: "overlay") else { return }
            guard let f = Float(v), (0...1).contains(f) else { throw t.error("\(key) must be in 0...1", key: key, in: "overlay") }
            slot = f
        }
        try color("image", "background", &theme.background)
        try color("text", "foreground", &theme.foreground)
        try color("text", "label", &theme.label)
        try color("overlay", "contour", &theme.contour)
        try color("overlay", "box", &theme.box)
        try color("overlay", "marker", &theme.marker)
        try color("overlay", "measurement", &theme.measurement)
        if let m = t.value("heatmap", in: "overlay") {
            guard let map = ColorMap(rawValue: m) else { throw t.error("unknown colour map \"\(m)\"", key: "heatmap", in: "overlay") }
            theme.heatmap = map
        }
        try fraction("heatmap_opacity", &theme.heatmapOpacity)
        try fraction("heatmap_threshold", &theme.heatmapThreshold)
        // The severity ramp, least severe first.
        for (i, key) in Self.severityKeys.enumerated() where i < theme.severity.count {
            try color("risk", key, &theme.severity[i])
        }
        self = theme
    }
}
