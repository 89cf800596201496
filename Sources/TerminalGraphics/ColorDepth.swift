/// How many colours a terminal can show in cell modes, from best to none.
public enum ColorDepth: String, Sendable, CaseIterable, Comparable {
    /// 24-bit SGR `38;2;r;g;b` (COLORTERM=truecolor/24bit).
    case trueColor = "truecolor"
    /// xterm-256: the 6×6×6 cube and the 24-step grey ramp (system colours 0–15 are avoided:
    /// users retheme them).
    case xterm256 = "256"
    /// The 16 ANSI colours (SGR 30–37, 90–97), assumed at xterm's default values.
    case ansi16 = "16"
    /// No colour at all: a plain ASCII luminance ramp, no escape sequences.
    case none = "none"

    private var rank: Int { switch self { case .none: 0; case .ansi16: 1; case .xterm256: 2; case .trueColor: 3 } }
    public static func < (a: ColorDepth, b: ColorDepth) -> Bool { a.rank < b.rank }
}
