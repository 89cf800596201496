/// What the terminal can show, and the resolved way to draw images on it.
///
/// Built in three layers, each overriding the one before:
/// 1. the environment — `TERM`, `COLORTERM`, `TERM_PROGRAM`, `TMUX`, `KITTY_WINDOW_ID`;
/// 2. the terminal's replies to ``TerminalQuery`` (DA1, kitty `a=q`, XTVERSION, XTSMGRAPHICS,
///    CSI 14/16 t) and the window size from TIOCGWINSZ;
/// 3. explicit choices: `LIGHTBOX_GRAPHICS=auto|sixel|kitty|iterm|blocks|sextants|ascii`, then
///    a `--protocol` flag, then `--cell-size WxH`.
///
/// Policy: kitty > iTerm2 > sixel > blocks > ascii. Inside tmux (`TMUX` set) in kitty —
/// `KITTY_WINDOW_ID` inherited, or `TERM_PROGRAM=kitty` / `TERM=xterm-kitty` forwarded — kitty is
/// chosen and drawn with Unicode placeholders (``kittyPlaceholders``; needs `allow-passthrough
/// on` for the upload). Other pixel protocols of the outer terminal are not used inside tmux
/// unless forced, but a tmux with its own sixel support (it answers DA1 with 4) gets sixel,
/// capped at tmux's input buffer limit. `TERM=dumb` (or no TERM) means ASCII with no escape sequence at all; plain SSH with
/// `TERM=xterm-256color` and no COLORTERM gets 256-colour half blocks.
public struct TerminalCapabilities: Equatable, Sendable {
    public var graphicsProtocol: GraphicsProtocol
    public var colorDepth: ColorDepth
    /// Cell size in pixels, nil when it could not be learned.
    public var cellWidth: Int?
    public var cellHeight: Int?
    /// Sixel colour registers (XTSMGRAPHICS), 256 when unknown.
    public var sixelRegisters: Int = 256
    public var insideTmux = false
    /// XTVERSION reply, sanitised.
    public var terminalVersion: String?
    /// The largest escape sequence the path to the terminal accepts (tmux), nil = unlimited.
    public var maxSequenceBytes: Int?

    /// kitty inside tmux draws with Unicode placeholders (``KittyPlaceholderEncoder``): the image
    /// is uploaded once through passthrough and shown by placeholder text that tmux stores and
    /// redraws itself. Plain kitty keeps direct placement (`a=T` at the cursor): it needs no
    /// text per cell, works on every kitty version (placeholders need 0.28) and on the other
    /// terminals that speak the protocol but lack placeholders.
    public var kittyPlaceholders: Bool { graphicsProtocol == .kitty && insideTmux }

    public init(graphicsProtocol: GraphicsProtocol, colorDepth: ColorDepth) {
        self.graphicsProtocol = graphicsProtocol; self.colorDepth = colorDepth
    }

    /// A grid of `columns × rows` with the learned cell size, or 8×16 when unknown.
    public func grid(columns: Int, rows: Int) -> CellGrid {
        CellGrid(columns: columns, rows: rows, cellWidth: cellWidth ?? CellGrid.defaultCellWidth,
                 cellHeight: cellHeight ?? CellGrid.defaultCellHeight)
    }

    /// Capabilities from the environment alone (no terminal I/O).
    public static func fromEnvironment(_ env: [String: String]) -> TerminalCapabilities {
        let term = (env["TERM"] ?? "").lowercased()
        let colorterm = (env["COLORTERM"] ?? "").lowercased()
        let program = env["TERM_PROGRAM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "unknown" {
            var c = TerminalCapabilities(graphicsProtocol: .ascii, colorDepth: .none)
            c.apply(override: env["LIGHTBOX_GRAPHICS"])
            return c
        }
        var depth: ColorDepth = .ansi16
        if colorterm == "truecolor" || colorterm == "24bit" || term.hasSuffix("-direct") || term.contains("truecolor") {
            depth = .trueColor
        } else if term.contains("256color") {
            depth = .xterm256
        }
        var proto: GraphicsProtocol = .blocks
        let tmux = env["TMUX"] != nil || term.hasPrefix("tmux") || term.hasPrefix("screen")
        if tmux && env["TMUX"] != nil && (env["KITTY_WINDOW_ID"] != nil || program.lowercased() == "kitty" || term == "xterm-kitty") {
            // kitty outside tmux (the pane inherited KITTY_WINDOW_ID, or TERM / TERM_PROGRAM were
            // forwarded, e.g. over SSH): Unicode placeholders, which tmux keeps as text.
            proto = .kitty; depth = .trueColor
        } else if !tmux {
            if term == "xterm-kitty" || env["KITTY_WINDOW_ID"] != nil || term == "xterm-ghostty" || program == "ghostty" {
                proto = .kitty; depth = .trueColor
            } else if program == "iTerm.app" || program == "WezTerm" {
                proto = .iterm; depth = .trueColor
            } else if term == "mlterm" || term.hasPrefix("foot") || term == "yaft-256color" {
                proto = .sixel
            }
        }
        var c = TerminalCapabilities(graphicsProtocol: proto, colorDepth: depth)
        c.insideTmux = tmux
        if tmux { c.maxSequenceBytes = TmuxPassthrough.inputBufferLimit }
        c.apply(override: env["LIGHTBOX_GRAPHICS"])
        return c
    }

    /// Folds in the terminal's replies and window size. An explicit `LIGHTBOX_GRAPHICS` in
    /// `env` still wins.
    public mutating func apply(_ replies: TerminalReplies, windowSize: WindowSize? = nil, env: [String: String] = [:]) {
        if let cell = replies.cellPixelSize {
            cellWidth = cell.width; cellHeight = cell.height
        } else if let ws = windowSize, let cw = ws.cellWidth, let ch = ws.cellHeight {
            cellWidth = cw; cellHeight = ch
        } else if let area = replies.textAreaPixels, let ws = windowSize, ws.columns > 0, ws.rows > 0 {
            cellWidth = area.width / ws.columns; cellHeight = area.height / ws.rows
        }
        if let v = replies.sixelRegisters, v > 0 { sixelRegisters = v }
        terminalVersion = replies.version
        if colorDepth == .none { return }
        if replies.kittyGraphics && !insideTmux {
            graphicsProtocol = .kitty; colorDepth = .trueColor
        } else if replies.sixel && graphicsProtocol != .kitty && graphicsProtocol != .iterm {
            graphicsProtocol = .sixel
        }
        apply(override: env["LIGHTBOX_GRAPHICS"])
    }

    /// Applies `LIGHTBOX_GRAPHICS` or a `--protocol` value; `auto`, nil and unknown values
    /// leave the detected protocol.
    public mutating func apply(override: String?) {
        guard let override, let p = GraphicsProtocol(argument: override), p != .auto else { return }
        graphicsProtocol = p
        if p == .ascii { colorDepth = .none }
        else if colorDepth == .none { colorDepth = p.isPixelProtocol ? .trueColor : .xterm256 }
        if p.isPixelProtocol { colorDepth = .trueColor }
    }

    /// Full detection: environment, then (when `input` is a terminal) the queries with
    /// `timeout` seconds, then `protocolFlag` and `cellSize` overrides.
    /// Never blocks longer than `timeout` and never fails: no answer means environment only.
    /// The wait normally ends at the DA1 answer (milliseconds); the 1 s bound is for a terminal that
    /// is slow to answer — kitty on software GL under load took over 0.2 s, and answers that come
    /// after we stop reading are echoed onto the screen as garbage.
    public static func detect(environment env: [String: String], input: Int32, output: Int32,
                              timeout: Double = 1.0, protocolFlag: String? = nil,
                              cellSize: (width: Int, height: Int)? = nil) -> TerminalCapabilities {
        var caps = fromEnvironment(env)
        if caps.colorDepth != .none {
            let replies = TerminalQuery.run(input: input, output: output, timeout: timeout, insideTmux: caps.insideTmux)
            caps.apply(replies, windowSize: WindowSize.of(fd: output), env: env)
        }
        caps.apply(override: protocolFlag)
        if let cellSize { caps.cellWidth = cellSize.width; caps.cellHeight = cellSize.height }
        return caps
    }
}
