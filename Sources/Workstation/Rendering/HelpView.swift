/// `?`: the key map for the current screen, from the live bindings (so config changes show).
enum HelpView {
    static func draw(_ state: AppState, into screen: inout Screen) {
        let context: KeyMap.Context = state.mode == .worklist ? .worklist : .viewer
        var lines: [String] = []
        var seen = Set<String>()
        for action in Action.allCases {
            let keys = state.keyMap.keys(for: action, in: context)
            guard !keys.isEmpty else { continue }
            let line = Text.fit(keys.map(\.label).joined(separator: " "), 12) + " " + action.summary
            if seen.insert(line).inserted { lines.append(line) }
        }
        screen.fill(row: 0, column: 0, rows: screen.rows, columns: screen.columns, style: .normal)
        screen.put("Keys — \(context == .worklist ? "worklist" : "viewer") (any key closes; keys are set in config.toml [keys])",
                   row: 0, column: 1, style: .header)
        let perColumn = max(1, screen.rows - 2)
        let colWidth = 40
        for (i, line) in lines.enumerated() {
            let col = i / perColumn, row = 1 + i % perColumn
            screen.put(Text.fit(line, colWidth - 1), row: row, column: 1 + col * colWidth)
        }
    }
}
