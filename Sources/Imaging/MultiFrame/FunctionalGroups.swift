import DICOM

/// Reads the Multi-frame Functional Groups (PS3.3 C.7.6.16) of an image object into one
/// `FrameAttributes` per frame.
///
/// Each macro is looked for in the frame's Per-frame Functional Groups item first, then in the
/// Shared Functional Groups, then (for the attributes a classic image carries at the top level) in
/// the data set itself. That last step makes a classic single-frame image, or a multi-frame object
/// without functional groups, read the same way: every frame gets the top-level values.
///
/// Nothing here trusts the file: a per-frame sequence with fewer items than Number of Frames leaves
/// the missing frames with the shared values, and extra items are ignored.
public enum FunctionalGroups {
    public static func frames(of dataSet: DataSet) -> [FrameAttributes] {
        let count = max(1, min(dataSet.int(.numberOfFrames) ?? 1, 1_000_000))
        let shared = dataSet.sequence(.sharedFunctionalGroupsSequence).first
        let perFrame = dataSet.sequence(.perFrameFunctionalGroupsSequence)
        let topLevel = Self.attributes(index: 0, groups: [], topLevel: dataSet)
        return (0 ..< count).map { i in
            var groups: [DataSet] = []
            if i < perFrame.count { groups.append(perFrame[i]) }
            if let shared { groups.append(shared) }
            if groups.isEmpty { var a = topLevel; a.index = i; return a }
            return attributes(index: i, groups: groups, topLevel: dataSet)
        }
    }

    /// True when the object describes its frames with functional groups (Enhanced CT/MR and kin).
    public static func isEnhanced(_ dataSet: DataSet) -> Bool {
        dataSet.contains(.sharedFunctionalGroupsSequence) || dataSet.contains(.perFrameFunctionalGroupsSequence)
    }

    /// The attribute tags the Dimension Index Values of each frame point at, in order.
    public static func dimensionIndexPointers(of dataSet: DataSet) -> [Tag] {
        dataSet.sequence(.dimensionIndexSequence).compactMap { $0.attributeTags(.dimensionIndexPointer).first }
    }

    private static func attributes(index: Int, groups: [DataSet], topLevel: DataSet) -> FrameAttributes {
        /// The first item of `macro` in the frame's groups, per-frame before shared.
        func macro(_ tag: Tag) -> DataSet? {
            for g in groups { if let item = g.sequence(tag).first { return item } }
            return nil
        }
        /// A value from a macro, or from the top level when no group holds that macro.
        func doubles(_ macroTag: Tag, _ tag: Tag) -> [Double] {
            if let m = macro(macroTag) { let v = m.doubles(tag); if !v.isEmpty { return v } }
            return topLevel.doubles(tag)
        }
        func number(_ macroTag: Tag, _ tag: Tag) -> Double? { doubles(macroTag, tag).first.flatMap { $0.isFinite ? $0 : nil } }

        var a = FrameAttributes(index: index)
        a.imagePosition = doubles(.planePositionSequence, .imagePositionPatient)
        if a.imagePosition.count != 3 || !a.imagePosition.allSatisfy(\.isFinite) { a.imagePosition = [] }
        a.imageOrientation = doubles(.planeOrientationSequence, .imageOrientationPatient)
        if a.imageOrientation.count != 6 || !a.imageOrientation.allSatisfy(\.isFinite) { a.imageOrientation = [] }
        a.pixelSpacing = doubles(.pixelMeasuresSequence, .pixelSpacing).filter { $0.isFinite }
        a.sliceThickness = number(.pixelMeasuresSequence, .sliceThickness)
        a.rescaleSlope = number(.pixelValueTransformationSequence, .rescaleSlope) ?? 1
        a.rescaleIntercept = number(.pixelValueTransformationSequence, .rescaleIntercept) ?? 0
        a.windowCenter = number(.frameVOILUTSequence, .windowCenter)
        a.windowWidth = number(.frameVOILUTSequence, .windowWidth)
        if let content = macro(.frameContentSequence) {
            a.stackID = content.string(.stackID)
            a.inStackPosition = content.int(.inStackPositionNumber)
            a.temporalPositionIndex = content.int(.temporalPositionIndex)
            a.dimensionIndexValues = content.doubles(.dimensionIndexValues).compactMap {
                $0.isFinite && abs($0) < 1e9 ? Int($0) : nil
            }
        }
        a.diffusionBValue = number(.mrDiffusionSequence, .diffusionBValue)
        a.diffusionDirectionality = macro(.mrDiffusionSequence)?.string(.diffusionDirectionality)
        let frameType = macro(.mrImageFrameTypeSequence)?.strings(.frameType) ?? []
        a.imageType = (frameType.isEmpty ? topLevel.strings(.imageType) : frameType).map { $0.uppercased() }
        a.echoTime = number(.mrEchoSequence, .effectiveEchoTime) ?? topLevel.double(.echoTime)
        a.repetitionTime = number(.mrTimingAndRelatedParametersSequence, .repetitionTime)
        a.flipAngle = number(.mrTimingAndRelatedParametersSequence, .flipAngle)
        if let modifier = macro(.mrModifierSequence) {
            a.inversionTime = modifier.string(.inversionRecovery) == "YES" ? modifier.double(.inversionTimes) : nil
        } else {
            a.inversionTime = topLevel.double(.inversionTime)
        }
        return a
    }
}
