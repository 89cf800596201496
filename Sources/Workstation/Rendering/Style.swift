import Analysis
import TerminalGraphics

/// How a cell of text is drawn. The backend maps each style to a colour pair from the theme;
/// the in-memory screen keeps the style so tests can assert emphasis as well as text.
public enum Style: Hashable, Sendable {
    case normal, dim, header, selected, status, banner, warning, accent, prompt
    case risk(RiskLevel)
}
