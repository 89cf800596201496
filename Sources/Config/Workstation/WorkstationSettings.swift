/// What the workstation reads from `config.toml`: the theme to start with and key bindings.
/// (The same file's `[archives.*]` tables are `ArchiveRegistry`'s.)
public struct WorkstationSettings: Sendable, Equatable {
    /// Top-level `theme = "light"`: a name from `Themes/`.
    public var theme: String?
    public var keyBindings: [KeyBinding]

    public init(theme: String? = nil, keyBindings: [KeyBinding] = []) {
        self.theme = theme; self.keyBindings = keyBindings
    }

    /// The settings in `document`.
    public init(document: TOMLDocument) {
        self.init(theme: document.value("theme"), keyBindings: KeyBinding.all(in: document))
    }

    /// Parses `config.toml` text. Any malformed line is an error, wherever it is: the file is the
    /// reader's own, and a half-read key map is worse than the standard one with a message.
    public static func parse(_ text: String, source: String = "config.toml") throws -> WorkstationSettings {
        try WorkstationSettings(document: TOMLParser.parse(text, source: source))
    }
}
