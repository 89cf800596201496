import Foundation

/// One `action = "key,key"` line of `config.toml`'s key tables, still as names: the workstation
/// turns them into its `Action` and `Key` values (and reports names it does not know).
///
///     [keys]            # both screens
///     help = "?"
///     [worklist_keys]   # the worklist only
///     [viewer_keys]     # the viewer only
///     next_slice = "j,down"
public struct KeyBinding: Sendable, Equatable {
    /// Which screens a binding applies to.
    public enum Scope: Sendable, Equatable, CaseIterable {
        case allScreens, worklist, viewer

        /// The `config.toml` table that holds this scope's bindings.
        public var table: String {
            switch self {
            case .allScreens: return "keys"
            case .worklist: return "worklist_keys"
            case .viewer: return "viewer_keys"
            }
        }
    }

    public var action: String
    /// Key names in the order written (`"j,down"` → ["j", "down"]); blanks around commas dropped.
    public var keys: [String]
    public var scope: Scope
    public var line: Int

    public init(action: String, keys: [String], scope: Scope, line: Int) {
        self.action = action; self.keys = keys; self.scope = scope; self.line = line
    }

    /// Every binding in `document`: `[keys]` first, then `[worklist_keys]`, then `[viewer_keys]`,
    /// each in action-name order (so later, narrower tables override broader ones).
    public static func all(in document: TOMLDocument) -> [KeyBinding] {
        Scope.allCases.flatMap { scope in
            (document.tables[scope.table] ?? [:]).sorted { $0.key < $1.key }.map { action, entry in
                let keys = entry.value.split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                return KeyBinding(action: action, keys: keys, scope: scope, line: entry.line)
            }
        }
    }
}
