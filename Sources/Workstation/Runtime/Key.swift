/// A key press, decoded from the terminal by the backend (or made by tests).
public enum Key: Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    case function(Int)

    /// Parses a key name from the config file: a single character, or `up`, `down`, `left`,
    /// `right`, `pgup`, `pgdn`, `home`, `end`, `enter`, `esc`, `tab`, `backtab`, `backspace`,
    /// `delete`, `space`, `f1`…`f12`.
    public init?(name: String) {
        let n = name.lowercased()
        switch n {
        case "up": self = .up
        case "down": self = .down
        case "left": self = .left
        case "right": self = .right
        case "pgup", "pageup": self = .pageUp
        case "pgdn", "pagedown": self = .pageDown
        case "home": self = .home
        case "end": self = .end
        case "enter", "return": self = .enter
        case "esc", "escape": self = .escape
        case "tab": self = .tab
        case "backtab", "shift-tab": self = .backTab
        case "backspace": self = .backspace
        case "delete", "del": self = .delete
        case "space": self = .char(" ")
        default:
            if name.count == 1, let c = name.first { self = .char(c); return }
            if n.hasPrefix("f"), let k = Int(n.dropFirst()), (1 ... 12).contains(k) { self = .function(k); return }
            return nil
        }
    }

    /// How the help screen writes the key.
    public var label: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .function(let k): return "F\(k)"
        }
    }
}

/// A mouse event in screen cells (0-based).
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case press, release, drag, wheelUp, wheelDown, rightPress }
    public var kind: Kind
    public var row: Int
    public var column: Int
    public init(_ kind: Kind, row: Int, column: Int) { self.kind = kind; self.row = row; self.column = column }
}
