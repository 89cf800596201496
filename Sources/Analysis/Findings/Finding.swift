/// One AI finding. Field names in JSON match the ground-truth sidecars of SampleStudies
/// (`label`, `center_mm`, `diameter_mm`, `volume_ml`, `sop_instance_uid`, `center_px`) so results
/// and truth compare directly. Documented in docs/ANALYSIS_JSON.md; `Finding+Coding.swift` holds
/// the JSON rules (what a document from another writer may leave out).
public struct Finding: Codable, Sendable, Equatable {
    /// A key stable across runs of the same model on the same images, unique within a document:
    /// the review store keeps decisions under it. `StudyAnalysis` sets "SOP UID:n"; another
    /// writer may choose its own.
    public var id: String?
    public var label: String
    /// Calibrated probability from the model (0…1).
    public var probability: Double
    public var risk: RiskLevel
    /// Category in the scheme of the study kind: Lung-RADS ("4A"), BI-RADS ("4B"), or nil.
    public var category: String?
    /// Mammography: the 1–10 suspicion score.
    public var suspicionScore: Int?
    /// LDCT: Brock model 2b malignancy probability, when patient data allow.
    public var malignancyProbability: Double?
    /// Patient coordinates (LPS, mm) of the centre.
    public var centerMM: [Double]
    /// Longest in-plane diameter and the diameter perpendicular to it (mm); nil when the image has
    /// no pixel spacing (the size is unknown, and is never shown as 0 mm).
    public var diameterMM: Double?
    public var shortDiameterMM: Double?
    /// 2-D findings: the longest diameter (then `diameterMM` is the equivalent-circle diameter).
    public var longAxisMM: Double?
    /// 3-D findings only.
    public var volumeML: Double?
    /// Haemorrhage: the ABC/2 estimate beside the voxel-count volume.
    public var volumeABC2ML: Double?
    /// The image where the finding is seen best, and its centre there as [column, row].
    public var sopInstanceUID: String
    /// The series of that image, when known.
    public var seriesInstanceUID: String?
    public var centerPX: [Double]
    /// Bounding box on that image: [column, row, width, height] in pixels.
    public var bboxPX: [Int]
    /// Volumes: first and last slice index (anatomical order) the finding spans.
    public var sliceRange: [Int]?
    /// 2-D findings: outline on that image as [column, row] points (source pixels).
    public var contourPX: [[Double]]?
    /// Projection images: "L"/"R" (mammography) and the view ("CC", "MLO", "PA", …).
    public var laterality: String?
    public var view: String?
    /// LDCT: fraction of the nodule's voxels at solid attenuation (≥ −300 HU), which sets its type.
    public var solidFraction: Double?
    /// Enhanced (multi-frame) images: the 1-based frame of `sopInstanceUID` where the finding is
    /// seen best (DICOM's Referenced Frame Number); nil for single-frame images.
    public var frameNumber: Int?
    /// Brain MR infarcts: the arterial territory, estimated from position (`VascularTerritory`).
    public var territory: String?
    /// Brain MR infarcts: the lesion's FLAIR signal relative to the mirror region, and whether that
    /// makes a DWI–FLAIR mismatch (`DWIFLAIRMismatch`: likely under 4.5 hours old).
    public var flairRelativeSignal: Double?
    public var dwiFlairMismatch: Bool?
    /// LDCT nodules analysed with a prior study: how the nodule changed since then (status, size
    /// change, volume doubling time; `PriorComparison`). Nil when there was no prior to compare with.
    public var prior: PriorComparison?
    /// The input was outside the model's validated range; the finding is shown with a warning.
    public var ood: Bool
    public var model: ModelIdentity
    /// 2-D findings: the heatmap peak that proposed it, as [column, row] on the model grid; used by
    /// the card's post-processing rules within a run and not encoded (cached runs hold the result).
    public var peakGrid: [Double]? = nil

    enum CodingKeys: String, CodingKey {
        case id, label, probability, risk, category, ood, model, laterality, view
        case contourPX = "contour_px"
        case solidFraction = "solid_fraction"
        case suspicionScore = "suspicion_score"
        case malignancyProbability = "malignancy_probability"
        case centerMM = "center_mm"
        case diameterMM = "diameter_mm"
        case shortDiameterMM = "short_diameter_mm"
        case longAxisMM = "long_axis_mm"
        case volumeML = "volume_ml"
        case volumeABC2ML = "volume_abc2_ml"
        case sopInstanceUID = "sop_instance_uid"
        case seriesInstanceUID = "series_instance_uid"
        case sizeUnknown = "size_unknown"
        case centerPX = "center_px"
        case bboxPX = "bbox_px"
        case sliceRange = "slice_range"
        case frameNumber = "frame_number"
        case territory, prior
        case flairRelativeSignal = "flair_rsi"
        case dwiFlairMismatch = "dwi_flair_mismatch"
    }

    public init(label: String, probability: Double, risk: RiskLevel, category: String? = nil,
                centerMM: [Double], diameterMM: Double?, sopInstanceUID: String, centerPX: [Double],
                bboxPX: [Int], ood: Bool, model: ModelIdentity) {
        self.label = label; self.probability = probability; self.risk = risk; self.category = category
        self.centerMM = centerMM; self.diameterMM = diameterMM; self.sopInstanceUID = sopInstanceUID
        self.centerPX = centerPX; self.bboxPX = bboxPX; self.ood = ood; self.model = model
    }
}
