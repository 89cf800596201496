/// The codes a Segmentation's segments and frames carry (PS3.16): the segmented property category
/// and type (SNOMED CT, CID 7150 / 7151 and the finding types of the measurement report, so the SR
/// and SEG name a finding the same way), the algorithm family, and the derivation and purpose codes.
public enum SegmentationCodes {
    public static let segmentationStorageClassUID = "1.2.840.10008.5.1.4.1.1.66.4"
    /// CID 7150 Segmentation Property Categories.
    public static let morphologicallyAbnormalStructure = CodedConcept("49755003", "SCT", "Morphologically abnormal structure")
    /// CID 7162 Surface Processing Algorithm Families.
    public static let artificialIntelligence = CodedConcept("123110", "DCM", "Artificial Intelligence")
    /// CID 7203 Image Derivation.
    public static let segmentation = CodedConcept("113076", "DCM", "Segmentation")
    /// CID 7202 Source Image Purposes of Reference.
    public static let sourceForProcessing = CodedConcept("121322", "DCM", "Source image for image processing operation")

    /// The segmented property type of a finding label: the report's finding type (`SRCodes.findingType`).
    public static func propertyType(label: String) -> CodedConcept { SRCodes.findingType(label: label) }
}
