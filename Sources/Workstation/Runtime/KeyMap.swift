import LightboxConfig

/// Keys → actions, per screen. Defaults below; `config.toml` `[keys]` (both screens) and
/// `[worklist_keys]` / `[viewer_keys]` override: `next_slice = "j"`, several keys as `"j,down"`.
public struct KeyMap: Sendable, Equatable {
    public enum Context: Sendable { case worklist, viewer }
    public var worklist: [Key: Action]
    public var viewer: [Key: Action]

    public func action(for key: Key, in context: Context) -> Action? {
        context == .worklist ? worklist[key] : viewer[key]
    }

    /// Keys bound to `action` in `context`, for the help screen.
    public func keys(for action: Action, in context: Context) -> [Key] {
        (context == .worklist ? worklist : viewer).filter { $0.value == action }.map(\.key).sorted { $0.label < $1.label }
    }

    public static let standard: KeyMap = {
        let common: [Key: Action] = [.char("?"): .help, .char("Q"): .quit, .char("T"): .cycleTheme, .escape: .back]
        var w = common
        w.merge([.up: .up, .char("k"): .up, .down: .down, .char("j"): .down, .enter: .open, .char("o"): .open,
                 .char("/"): .search, .char("s"): .cycleSort, .char("f"): .cycleFilter, .char("q"): .quit, .char("I"): .stats]) { $1 }
        var v = common
        v.merge([
            .char("j"): .nextSlice, .char("k"): .previousSlice, .pageDown: .nextSlicePage, .pageUp: .previousSlicePage,
            .char("g"): .firstSlice, .char("G"): .lastSlice, .char(">"): .nextSeries, .char("<"): .previousSeries,
            .char("c"): .cine, .char("q"): .back,
            .char("="): .widthUp, .char("-"): .widthDown, .char("+"): .widthUpCoarse, .char("_"): .widthDownCoarse,
            .char("]"): .levelUp, .char("["): .levelDown, .char("}"): .levelUpCoarse, .char("{"): .levelDownCoarse,
            .char("1"): .preset1, .char("2"): .preset2, .char("3"): .preset3, .char("4"): .preset4,
            .char("5"): .preset5, .char("6"): .preset6, .char("0"): .defaultWindow,
            .char("i"): .invert, .char("r"): .reset, .char("f"): .fit, .char("z"): .zoomIn, .char("Z"): .zoomOut,
            .char("H"): .panLeft, .char("L"): .panRight, .char("K"): .panUp, .char("J"): .panDown,
            .left: .cursorLeft, .right: .cursorRight, .up: .cursorUp, .down: .cursorDown,
            .char("l"): .cycleLayout, .char("v"): .cycleOrientation, .char("p"): .togglePrior,
            .char("x"): .toggleAnnotations, .char("t"): .tagBrowser, .char("m"): .measure,
            .char("M"): .toggleSlab, .char("P"): .cycleProjection, .char(")"): .slabThicker, .char("("): .slabThinner,
            .char("y"): .toggleReferenceLines, .char("Y"): .toggleLink, .char("V"): .linkHere, .char("D"): .toggleLinkWindow, .char("U"): .relinkPrior,
            .char("a"): .toggleAI, .char("W"): .showWithheld, .char("h"): .toggleHeatmap, .char("O"): .toggleOutlines, .char("o"): .cycleOpacity,
            .char("n"): .nextFinding, .char("N"): .previousFinding, .tab: .nextFinding, .backTab: .previousFinding,
            .char("A"): .accept, .char("X"): .reject, .char("C"): .correct,
            .char("F"): .addPoint, .char("B"): .addBox, .char("u"): .undo, .char("S"): .signOff,
            .char("*"): .keyImage, .char("d"): .reportDraft,
            .char("w"): .nextViewport, .char("b"): .assess, .char("R"): .reveal, .char("I"): .stats,
            .char("."): .nextCase, .char(","): .previousCase, .char("E"): .summary,
        ]) { $1 }
        return KeyMap(worklist: w, viewer: v)
    }()

    /// The standard map with the overrides in `text` (`config.toml`, read by LightboxConfig).
    /// Unknown actions or keys are reported in `problems`, not fatal; a malformed file throws.
    public static func load(toml text: String) throws -> (KeyMap, problems: [String]) {
        standard.applying(try WorkstationSettings.parse(text).keyBindings)
    }

    /// This map with `bindings` applied in order (so a viewer binding overrides an all-screens one).
    public func applying(_ bindings: [KeyBinding]) -> (KeyMap, problems: [String]) {
        var map = self
        var problems: [String] = []
        for binding in bindings {
            guard let action = Action(rawValue: binding.action) else { problems.append("unknown action \(binding.action)"); continue }
            let contexts: [Context] = binding.scope == .worklist ? [.worklist] : binding.scope == .viewer ? [.viewer] : [.worklist, .viewer]
            for context in contexts {
                for k in binding.keys {
                    guard let key = Key(name: k) ?? (k == "," ? .char(",") : nil) else { problems.append("unknown key \(k)"); continue }
                    if context == .worklist { map.worklist[key] = action } else { map.viewer[key] = action }
                }
            }
        }
        return (map, problems)
    }
}
