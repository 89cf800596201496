import DICOM
import Imaging

/// The JSON `lightbox info --frames` prints: each frame's attributes as the functional groups (or
/// the classic top-level attributes) give them, and the stacks they split into.
enum FrameReport {
    static func object(_ dataSet: DataSet, file: String) -> [String: Any] {
        let frames = FunctionalGroups.frames(of: dataSet)
        let isMR = dataSet.string(.modality) == "MR"
        let stacks = FrameStacks.split(frames).map { stack -> [String: Any] in
            var o: [String: Any] = ["label": stack.label, "frames": stack.frames]
            if let id = stack.stackID { o["stack_id"] = id }
            if let b = stack.diffusionBValue { o["b_value"] = b }
            if isMR, let first = stack.frames.first {
                o["sequence"] = MRSequenceKind.identify(frames[first], in: dataSet).rawValue
            }
            return o
        }
        return [
            "file": file,
            "enhanced": FunctionalGroups.isEnhanced(dataSet),
            "dimension_index_pointers": FunctionalGroups.dimensionIndexPointers(of: dataSet).map(\.description),
            "frames": frames.map(Self.frame),
            "stacks": stacks,
        ]
    }

    private static func frame(_ a: FrameAttributes) -> [String: Any] {
        var o: [String: Any] = ["index": a.index, "image_position": a.imagePosition,
                                "image_orientation": a.imageOrientation, "pixel_spacing": a.pixelSpacing,
                                "rescale_slope": a.rescaleSlope, "rescale_intercept": a.rescaleIntercept,
                                "image_type": a.imageType, "dimension_index_values": a.dimensionIndexValues]
        let optional: [(String, Any?)] = [
            ("slice_thickness", a.sliceThickness), ("window_center", a.windowCenter), ("window_width", a.windowWidth),
            ("stack_id", a.stackID), ("in_stack_position", a.inStackPosition),
            ("temporal_position_index", a.temporalPositionIndex), ("b_value", a.diffusionBValue),
            ("diffusion_directionality", a.diffusionDirectionality), ("echo_time", a.echoTime),
            ("repetition_time", a.repetitionTime), ("inversion_time", a.inversionTime), ("flip_angle", a.flipAngle),
        ]
        for (k, v) in optional { if let v { o[k] = v } }
        return o
    }
}
