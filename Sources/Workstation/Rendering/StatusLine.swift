import TerminalGraphics

/// The bottom line: tool, W/L, slice and the latest message; prompts replace it while open.
enum StatusLine {
    static func draw(_ state: AppState, into screen: inout Screen, left: String) {
        let row = screen.rows - 1
        screen.fill(row: row, column: 0, rows: 1, columns: screen.columns, style: .status)
        screen.put(left, row: row, column: 1, style: .status)
        let anyLoading = state.loading.values.min()
        var right = state.message
        if let p = anyLoading { right = progressBar(p, width: 12) + " loading " + (right.isEmpty ? "" : "· " + right) }
        if !right.isEmpty {
            let start = max(Text.width(left) + 3, screen.columns - Text.width(right) - 1)
            screen.put(right, row: row, column: start, style: .status)
        }
    }

    static func progressBar(_ fraction: Double, width: Int) -> String {
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        let filled = Int((f * Double(width)).rounded())
        return "[" + String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled) + "] \(Int(f * 100))%"
    }

    static func drawPrompt(_ p: Prompt, state: AppState, into screen: inout Screen) {
        let row = screen.rows - 1
        var top = row
        if !p.choices.isEmpty {
            top = row - p.choices.count - 1
            screen.fill(row: top, column: 0, rows: p.choices.count + 1, columns: screen.columns, style: .prompt)
            screen.put(p.title, row: top, column: 1, style: .prompt)
            for (i, c) in p.choices.enumerated() { screen.put("  \(p.zeroBased ? i : i + 1)  \(c)", row: top + 1 + i, column: 1, style: .prompt) }
        }
        screen.fill(row: row, column: 0, rows: 1, columns: screen.columns, style: .prompt)
        let label = p.choices.isEmpty ? p.title + ": " : "or type: "
        screen.put(label + p.text, row: row, column: 1, style: .prompt)
        screen.cursor = (row, min(screen.columns - 1, 1 + Text.width(label) + Text.width(p.text)))
    }
}
