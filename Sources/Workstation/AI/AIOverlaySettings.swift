/// How the AI's output is drawn over the images. Display only: what the AI found, and whether a
/// blinded read may see it, live in the study's entry and the workflow.
public struct AIOverlaySettings: Sendable {
    /// Findings and heatmaps of the AI at all (`a`).
    public var ai = true
    /// The reader asked to see what an abstaining AI withheld (findings and heatmaps, marked OOD).
    public var showWithheld = false
    public var heatmap = true
    public var outlines = true
    public var opacity = 0.5

    public init() {}

    /// The next heatmap opacity of 25, 50, 75 and 100 %, wrapping; returns it.
    mutating func cycleOpacity() -> Double {
        let steps = [0.25, 0.5, 0.75, 1.0]
        opacity = steps[steps.firstIndex { $0 > opacity + 1e-9 } ?? 0]
        return opacity
    }
}
