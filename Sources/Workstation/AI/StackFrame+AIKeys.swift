import Analysis
import Imaging
import Review

extension StackFrame {
    /// This frame's AI map in a viewer's maps: by SOP Instance UID and frame for a frame of a
    /// multi-frame image (`ModelGridHeatmap.imageKey`), else by SOP Instance UID.
    func aiMap(in maps: [String: ModelGridHeatmap]) -> ModelGridHeatmap? {
        maps[ModelGridHeatmap.imageKey(sop: sopUID, frame: frameIndex + 1)] ?? maps[sopUID]
    }

    /// Whether `finding` is placed on this frame: same SOP instance, and for a finding on a frame
    /// of a multi-frame image, that frame.
    func shows(_ finding: ReviewFinding) -> Bool {
        finding.sopUID == sopUID && (finding.frameNumber == nil || finding.frameNumber == frameIndex + 1)
    }
}
