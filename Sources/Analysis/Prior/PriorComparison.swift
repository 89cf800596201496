/// How a nodule changed since the prior study (`Finding.prior`, JSON `prior`; docs/ANALYSIS_JSON.md).
///
/// A finding of the current study that was matched to one of the prior study gets every field; a
/// finding with no match gets `status: new` and the prior study's UID only. Sizes are the prior
/// finding's own (its long-axis `diameter_mm`, its `volume_ml`); `center_mm` is where it was in the
/// prior's patient coordinates, and `center_in_current_mm` the same point carried into the current
/// study by the registration (where a viewer shows it beside the current nodule).
public struct PriorComparison: Codable, Sendable, Equatable {
    /// The state of a nodule across the two studies. `resolved` is never on a current finding: a
    /// prior finding with no match is listed in the run's `resolved`.
    public enum Status: String, Codable, Sendable, CaseIterable {
        case new, stable, growing, shrinking, resolved
    }

    public var studyInstanceUID: String
    public var status: Status
    /// The matched prior finding's `id`, when it had one.
    public var findingID: String?
    public var centerMM: [Double]?
    public var centerInCurrentMM: [Double]?
    public var diameterMM: Double?
    public var volumeML: Double?
    /// Current minus prior long-axis diameter (mm).
    public var diameterChangeMM: Double?
    /// Current minus prior mean of long and short axis (mm): what Lung-RADS reads growth on.
    public var meanDiameterChangeMM: Double?
    /// (V_current / V_prior − 1) · 100.
    public var volumeChangePct: Double?
    /// Schwartz: t · ln 2 / ln(V_current / V_prior), t the days between the studies; only when the
    /// volume grew (a shrinking nodule has no doubling time).
    public var volumeDoublingDays: Double?
    /// Days between the two studies (study date and time), when both are known.
    public var intervalDays: Double?
    /// The prior finding's Lung-RADS category.
    public var priorCategory: String?
    /// Position distance after registration (mm) between the two centres. Mammography: between
    /// the two normalised breast positions, in mm of the current breast.
    public var distanceMM: Double?
    /// Mammography: whether the finding was already seen on the prior's same view (a match within
    /// the gate; `MammographyComparison`). Nil for CT.
    public var presentOnPrior: Bool?
    /// Mammography: the finding's position normalised to the nipple and the chest wall on its
    /// current view, and the matched prior finding's on the prior's same view.
    public var breastPosition: BreastPosition?
    public var priorBreastPosition: BreastPosition?
    /// Mammography: the finding's probability before the stable-finding rule lowered it, and the
    /// factor applied (`MammographyComparison.Rule`); nil when it was not lowered.
    public var probabilityBeforePrior: Double?
    public var suspicionFactor: Double?

    public init(studyInstanceUID: String, status: Status) {
        self.studyInstanceUID = studyInstanceUID; self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case status
        case studyInstanceUID = "study_instance_uid"
        case findingID = "finding_id"
        case centerMM = "center_mm"
        case centerInCurrentMM = "center_in_current_mm"
        case diameterMM = "diameter_mm"
        case volumeML = "volume_ml"
        case diameterChangeMM = "diameter_change_mm"
        case meanDiameterChangeMM = "mean_diameter_change_mm"
        case volumeChangePct = "volume_change_pct"
        case volumeDoublingDays = "volume_doubling_days"
        case intervalDays = "interval_days"
        case priorCategory = "prior_category"
        case distanceMM = "distance_mm"
        case presentOnPrior = "present_on_prior"
        case breastPosition = "breast_position"
        case priorBreastPosition = "prior_breast_position"
        case probabilityBeforePrior = "probability_before_prior"
        case suspicionFactor = "suspicion_factor"
    }
}

/// A finding of the prior study that has no counterpart in the current one (a run's `resolved`).
public struct ResolvedFinding: Codable, Sendable, Equatable {
    public var studyInstanceUID: String
    public var findingID: String?
    public var label: String
    public var centerMM: [Double]
    /// The prior centre carried into the current study's coordinates by the registration.
    public var centerInCurrentMM: [Double]?
    public var diameterMM: Double?
    public var volumeML: Double?
    public var category: String?
    public var sopInstanceUID: String

    public init(prior f: Finding, studyInstanceUID: String, centerInCurrentMM: [Double]?) {
        self.studyInstanceUID = studyInstanceUID; findingID = f.id; label = f.label; centerMM = f.centerMM
        self.centerInCurrentMM = centerInCurrentMM; diameterMM = f.diameterMM; volumeML = f.volumeML
        category = f.category; sopInstanceUID = f.sopInstanceUID
    }

    enum CodingKeys: String, CodingKey {
        case label, category
        case studyInstanceUID = "study_instance_uid"
        case findingID = "finding_id"
        case centerMM = "center_mm"
        case centerInCurrentMM = "center_in_current_mm"
        case diameterMM = "diameter_mm"
        case volumeML = "volume_ml"
        case sopInstanceUID = "sop_instance_uid"
    }
}

/// The rigid transform found between the two CTs (a run's `registration`).
/// Convention: `p_prior = R · p_current + t`, patient coordinates (LPS, mm); `matrix` is the 4×4
/// homogeneous form, row-major. `rotation_deg` are the angles about x, y, z (R = Rz · Ry · Rx).
public struct PriorRegistration: Codable, Sendable, Equatable {
    public var priorStudyInstanceUID: String
    public var priorSeriesInstanceUID: String
    public var method: String
    public var rotationDeg: [Double]
    public var translationMM: [Double]
    public var matrix: [[Double]]
    public var convention: String
    /// Root-mean-square difference of the clipped HU over the lung region, before and after (HU).
    public var rmsBeforeHU: Double?
    public var rmsAfterHU: Double?
    /// Registration plus matching (s), without loading the two volumes.
    public var seconds: Double
    /// Loading the two volumes for it (s).
    public var loadSeconds: Double?

    public init(priorStudyInstanceUID: String, priorSeriesInstanceUID: String, transform: RigidTransform,
                method: String, seconds: Double) {
        self.priorStudyInstanceUID = priorStudyInstanceUID; self.priorSeriesInstanceUID = priorSeriesInstanceUID
        self.method = method
        rotationDeg = transform.rotationDeg
        translationMM = transform.translation
        matrix = transform.homogeneous
        convention = "p_prior = R·p_current + t (patient LPS, mm)"
        self.seconds = seconds
    }

    /// The transform back from the JSON fields.
    public var transform: RigidTransform { RigidTransform(matrix: matrix) }

    enum CodingKeys: String, CodingKey {
        case method, matrix, convention, seconds
        case priorStudyInstanceUID = "prior_study_instance_uid"
        case priorSeriesInstanceUID = "prior_series_instance_uid"
        case rotationDeg = "rotation_deg"
        case translationMM = "translation_mm"
        case rmsBeforeHU = "rms_before_hu"
        case rmsAfterHU = "rms_after_hu"
        case loadSeconds = "load_seconds"
    }
}
