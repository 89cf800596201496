/// How images reach the terminal. `auto` resolves through ``TerminalCapabilities``.
public enum GraphicsProtocol: String, Sendable, CaseIterable {
    case auto
    case sixel
    case kitty
    case iterm
    /// Half-block cell blitter (works everywhere with colour).
    case blocks
    /// Sextant cell blitter (needs a font with U+1FB00 sextants).
    case sextants
    case ascii

    /// Parses `LIGHTBOX_GRAPHICS` / `--protocol` values (case-insensitive; `iterm2`, `halfblocks`,
    /// `sextant` accepted as aliases). Nil for anything unknown.
    public init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "sixel", "sixels": self = .sixel
        case "kitty": self = .kitty
        case "iterm", "iterm2": self = .iterm
        case "blocks", "halfblocks", "half-blocks", "symbols": self = .blocks
        case "sextant", "sextants": self = .sextants
        case "ascii", "text": self = .ascii
        default: return nil
        }
    }

    /// Whether the protocol draws terminal pixels (as opposed to character cells).
    public var isPixelProtocol: Bool { self == .sixel || self == .kitty || self == .iterm }
}
