/// Tags of the Multi-frame Functional Groups (PS3.3 C.7.6.16) and of the MR acquisition attributes
/// that say which sequence an image comes from (PS3.3 C.8.3.1, C.8.13).
extension Tag {
    // Functional group containers.
    public static let sharedFunctionalGroupsSequence = Tag(0x5200, 0x9229)
    public static let perFrameFunctionalGroupsSequence = Tag(0x5200, 0x9230)

    // Functional group macros and what they hold.
    public static let pixelMeasuresSequence = Tag(0x0028, 0x9110)
    public static let planePositionSequence = Tag(0x0020, 0x9113)
    public static let planeOrientationSequence = Tag(0x0020, 0x9116)
    public static let frameContentSequence = Tag(0x0020, 0x9111)
    public static let pixelValueTransformationSequence = Tag(0x0028, 0x9145)
    public static let frameVOILUTSequence = Tag(0x0028, 0x9132)
    public static let mrImageFrameTypeSequence = Tag(0x0018, 0x9226)
    public static let mrEchoSequence = Tag(0x0018, 0x9114)
    public static let mrTimingAndRelatedParametersSequence = Tag(0x0018, 0x9112)
    public static let mrModifierSequence = Tag(0x0018, 0x9115)
    public static let mrDiffusionSequence = Tag(0x0018, 0x9117)

    public static let stackID = Tag(0x0020, 0x9056)
    public static let inStackPositionNumber = Tag(0x0020, 0x9057)
    public static let temporalPositionIndex = Tag(0x0020, 0x9128)
    public static let dimensionIndexValues = Tag(0x0020, 0x9157)
    public static let frameType = Tag(0x0008, 0x9007)
    public static let effectiveEchoTime = Tag(0x0018, 0x9082)
    public static let inversionRecovery = Tag(0x0018, 0x9009)
    public static let inversionTimes = Tag(0x0018, 0x9079)
    public static let diffusionBValue = Tag(0x0018, 0x9087)
    public static let diffusionDirectionality = Tag(0x0018, 0x9075)

    // Dimension organisation (PS3.3 C.7.6.17).
    public static let dimensionIndexSequence = Tag(0x0020, 0x9222)
    public static let dimensionIndexPointer = Tag(0x0020, 0x9165)
    public static let functionalGroupPointer = Tag(0x0020, 0x9167)

    // MR acquisition (classic MR Image module and Enhanced MR Image module).
    public static let scanningSequence = Tag(0x0018, 0x0020)
    public static let sequenceVariant = Tag(0x0018, 0x0021)
    public static let repetitionTime = Tag(0x0018, 0x0080)
    public static let echoTime = Tag(0x0018, 0x0081)
    public static let inversionTime = Tag(0x0018, 0x0082)
    public static let flipAngle = Tag(0x0018, 0x1314)
    public static let acquisitionContrast = Tag(0x0008, 0x9209)
}
