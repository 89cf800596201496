import DICOM

/// What the report needs to know about an image a finding is on: its identity for references, its
/// plane for 3-D coordinates, and the laterality and body part for the finding site.
public struct SRSourceImage: Sendable, Equatable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var seriesInstanceUID: String
    public var modality: String
    public var bodyPart: String
    /// `R`, `L` or empty.
    public var laterality: String
    /// Set for images that sit in a volume's frame of reference (CT); findings on them get SCOORD3D.
    public var plane: ImagePlane?

    public init(sopClassUID: String, sopInstanceUID: String, seriesInstanceUID: String, modality: String,
                bodyPart: String = "", laterality: String = "", plane: ImagePlane? = nil) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID; self.seriesInstanceUID = seriesInstanceUID
        self.modality = modality; self.bodyPart = bodyPart; self.laterality = laterality; self.plane = plane
    }

    /// Reads a parsed image header. Only cross-sectional modalities get a plane: projection images
    /// (MG, CR, DX) have no patient-space geometry in the sense SCOORD3D needs.
    public init?(dataSet ds: DataSet) {
        guard let cls = ds.string(.sopClassUID), let inst = ds.string(.sopInstanceUID) else { return nil }
        let modality = ds.string(.modality) ?? ""
        var plane = ImagePlane(dataSet: ds)
        if !["CT", "MR", "PT"].contains(modality) || plane?.frameOfReferenceUID.isEmpty ?? true { plane = nil }
        self.init(sopClassUID: cls, sopInstanceUID: inst, seriesInstanceUID: ds.string(.seriesInstanceUID) ?? "",
                  modality: modality, bodyPart: ds.string(.bodyPartExamined) ?? "",
                  laterality: ds.string(.imageLaterality) ?? ds.string(.laterality) ?? "", plane: plane)
    }
}
