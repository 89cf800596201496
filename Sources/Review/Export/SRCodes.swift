/// The codes the measurement report uses, from DICOM (DCM), SNOMED CT (SCT) and UCUM, plus a few
/// local ones (`99LBX`, declared in the document's Coding Scheme Identification Sequence) for what no
/// standard code says: the reader's decision on an AI finding and the free-text label.
public enum SRCodes {
    /// Local coding scheme designator ("99" prefix: private, PS3.16 §8.2).
    public static let localScheme = "99LBX"

    // Document structure (TID 1500, 1204, 1001, 1600)
    public static let imagingMeasurementReport = CodedConcept("126000", "DCM", "Imaging Measurement Report")
    public static let language = CodedConcept("121049", "DCM", "Language of Content Item and Descendants")
    public static let english = CodedConcept("en-US", "RFC5646", "English (United States)")
    public static let procedureReported = CodedConcept("121058", "DCM", "Procedure reported")
    public static let observerType = CodedConcept("121005", "DCM", "Observer Type")
    public static let person = CodedConcept("121006", "DCM", "Person")
    public static let device = CodedConcept("121007", "DCM", "Device")
    public static let personObserverName = CodedConcept("121008", "DCM", "Person Observer Name")
    public static let deviceObserverUID = CodedConcept("121012", "DCM", "Device Observer UID")
    public static let deviceObserverName = CodedConcept("121013", "DCM", "Device Observer Name")
    public static let deviceObserverModelName = CodedConcept("121015", "DCM", "Device Observer Model Name")
    public static let imageLibrary = CodedConcept("111028", "DCM", "Image Library")
    public static let imageLibraryGroup = CodedConcept("126200", "DCM", "Image Library Group")
    public static let imagingMeasurements = CodedConcept("126010", "DCM", "Imaging Measurements")
    public static let measurementGroup = CodedConcept("125007", "DCM", "Measurement Group")
    /// The report's text (TID 1500 row 12: Qualitative Evaluations holds TEXT items).
    public static let qualitativeEvaluations = CodedConcept("C0034375", "UMLS", "Qualitative Evaluations")
    public static let reportFindings = CodedConcept("121070", "DCM", "Findings")
    public static let impression = CodedConcept("121073", "DCM", "Impression")

    // Measurement group content (TID 1410/1501, 4019)
    public static let trackingIdentifier = CodedConcept("112039", "DCM", "Tracking Identifier")
    public static let trackingUID = CodedConcept("112040", "DCM", "Tracking Unique Identifier")
    public static let finding = CodedConcept("121071", "DCM", "Finding")
    public static let findingSite = CodedConcept("363698007", "SCT", "Finding Site")
    public static let laterality = CodedConcept("272741003", "SCT", "Laterality")
    public static let imageRegion = CodedConcept("111030", "DCM", "Image Region")
    public static let center = CodedConcept("111010", "DCM", "Center")
    public static let sourceOfMeasurement = CodedConcept("121112", "DCM", "Source of Measurement")
    public static let algorithmName = CodedConcept("111001", "DCM", "Algorithm Name")
    public static let algorithmVersion = CodedConcept("111003", "DCM", "Algorithm Version")
    public static let algorithmParameters = CodedConcept("111002", "DCM", "Algorithm Parameters")
    public static let comment = CodedConcept("121106", "DCM", "Comment")

    // Measurements and units
    public static let diameter = CodedConcept("81827009", "SCT", "Diameter")
    public static let longAxis = CodedConcept("103339001", "SCT", "Long Axis")
    public static let shortAxis = CodedConcept("103340004", "SCT", "Short Axis")
    /// A haemorrhage's ABC/2 estimate is an ellipsoid volume (π/6·ABC ≈ ABC/2), with its method.
    public static let volumeOfEllipsoid = CodedConcept("121221", "DCM", "Volume of ellipsoid")
    public static let measurementMethod = CodedConcept("370129005", "SCT", "Measurement Method")
    public static let abcOver2 = CodedConcept("LBX-ABC2", localScheme, "ABC/2 (Kothari) from the longest axes and slice areas")
    /// Brock model 2b (PanCan) malignancy probability of a lung nodule, named as its algorithm.
    public static let brockModel = "Brock model 2b (PanCan)"
    public static let assessmentCategory = CodedConcept("111005", "DCM", "Assessment Category")
    public static let volume = CodedConcept("118565006", "SCT", "Volume")
    public static let probability = CodedConcept("122157", "DCM", "Probability")
    public static let probabilityOfCancer = CodedConcept("111047", "DCM", "Probability of cancer")
    public static let certaintyOfFinding = CodedConcept("111012", "DCM", "Certainty of Finding")
    public static let millimeter = CodedConcept("mm", "UCUM", "millimeter")
    public static let milliliter = CodedConcept("ml", "UCUM", "milliliter")
    public static let noUnits = CodedConcept("1", "UCUM", "no units")

    // Local concepts
    public static let findingLabel = CodedConcept("LBX-LABEL", localScheme, "Finding label")
    public static let riskLevel = CodedConcept("LBX-RISK", localScheme, "Risk level")
    public static let readerDecision = CodedConcept("LBX-DECISION", localScheme, "Reader decision on finding")
    public static let decisionTime = CodedConcept("LBX-DECIDED-AT", localScheme, "Time of reader decision")
    public static let proposedLabel = CodedConcept("LBX-AI-LABEL", localScheme, "Label proposed by AI")
    public static let proposedDiameter = CodedConcept("LBX-AI-DIAMETER", localScheme, "Diameter proposed by AI")
    public static let proposedRisk = CodedConcept("LBX-AI-RISK", localScheme, "Risk level proposed by AI")
    public static let vascularTerritory = CodedConcept("LBX-TERRITORY", localScheme, "Arterial territory (estimated)")
    public static let dwiFlairMismatch = CodedConcept("LBX-DWI-FLAIR", localScheme, "DWI-FLAIR mismatch")
    public static let flairRelativeSignal = CodedConcept("LBX-FLAIR-RSI", localScheme, "FLAIR relative signal intensity")
    public static let yes = CodedConcept("373066001", "SCT", "Yes")
    public static let no = CodedConcept("373067005", "SCT", "No")

    /// The decision values, one per `ReviewedFinding.Outcome`.
    public static func decision(_ o: ReviewedFinding.Outcome) -> CodedConcept {
        switch o {
        case .accepted: CodedConcept("LBX-ACCEPTED", localScheme, "Accepted by reader")
        case .rejected: CodedConcept("LBX-REJECTED", localScheme, "Rejected by reader")
        case .corrected: CodedConcept("LBX-CORRECTED", localScheme, "Corrected by reader")
        case .addedByReader: CodedConcept("LBX-ADDED", localScheme, "Added by reader")
        }
    }

    /// The Assessment Category code of a Lung-RADS or BI-RADS category ("4A", "2", "0"): BI-RADS 0–5
    /// as the SNOMED CT mammography assessment findings; BI-RADS 4A/4B/4C (SNOMED CT has category 4
    /// only), 6 and every Lung-RADS v2022 category as local codes `LBX-BIRADS-…` / `LBX-LUNGRADS-…`
    /// (DICOM and SNOMED CT have no Lung-RADS codes). nil for an empty category.
    public static func category(_ value: String, biRADS: Bool) -> CodedConcept? {
        let v = value.uppercased().trimmingCharacters(in: .whitespaces)
        guard !v.isEmpty, v.count <= 8, v.allSatisfy({ $0.isLetter || $0.isNumber }) else { return nil }
        if biRADS, let code = biRADSSnomed[v] { return CodedConcept(code, "SCT", "Mammography assessment (Category \(v))") }
        return biRADS ? CodedConcept("LBX-BIRADS-\(v)", localScheme, "BI-RADS category \(v)")
            : CodedConcept("LBX-LUNGRADS-\(v)", localScheme, "Lung-RADS v2022 category \(v)")
    }

    /// The category text of an Assessment Category code written by `category(_:biRADS:)`; nil for another code.
    public static func categoryValue(_ code: CodedConcept) -> String? {
        if code.scheme == "SCT", let v = biRADSSnomed.first(where: { $0.value == code.value })?.key { return v }
        guard code.scheme == localScheme else { return nil }
        for prefix in ["LBX-BIRADS-", "LBX-LUNGRADS-"] where code.value.hasPrefix(prefix) { return String(code.value.dropFirst(prefix.count)) }
        return nil
    }

    static let biRADSSnomed = ["0": "397138000", "1": "397140005", "2": "397141009", "3": "397143007", "4": "397144001", "5": "397145000"]

    /// The finding type for a free-text label, by its key word; a generic code when none applies.
    public static func findingType(label: String) -> CodedConcept {
        let l = label.lowercased()
        if l.contains("haemorrhage") || l.contains("hemorrhage") || l.contains("haematoma") || l.contains("hematoma") {
            return CodedConcept("50960005", "SCT", "Hemorrhage")
        }
        if l.contains("infarct") { return CodedConcept("432504007", "SCT", "Cerebral infarction") }
        if l.contains("calcification") { return CodedConcept("129748009", "SCT", "Radiographic calcification finding") }
        if l.contains("distortion") { return CodedConcept("112079", "DCM", "Architectural distortion") }
        if l.contains("nodule") { return CodedConcept("27925004", "SCT", "Nodule") }
        if l.contains("mass") { return CodedConcept("4147007", "SCT", "Mass") }
        return CodedConcept("49755003", "SCT", "Morphologically abnormal structure")
    }

    /// The anatomic site of a finding on an image of this modality and body part, when it is plain.
    public static func findingSite(modality: String, bodyPart: String, label: String) -> CodedConcept? {
        let b = bodyPart.uppercased(), l = label.lowercased()
        if modality == "MG" || b.contains("BREAST") { return CodedConcept("76752008", "SCT", "Breast") }
        if b.contains("HEAD") || b.contains("BRAIN") || l.contains("haemorrhage") || l.contains("haematoma") {
            return CodedConcept("12738006", "SCT", "Brain")
        }
        if b.contains("CHEST") || b.contains("LUNG") || b.contains("THORAX") || l.contains("nodule") {
            return CodedConcept("39607008", "SCT", "Lung")
        }
        return nil
    }

    public static func laterality(_ value: String) -> CodedConcept? {
        switch value.uppercased() {
        case "R": CodedConcept("24028007", "SCT", "Right")
        case "L": CodedConcept("7771000", "SCT", "Left")
        default: nil
        }
    }

    /// The imaging procedure reported, by modality.
    public static func procedure(modality: String) -> CodedConcept {
        switch modality {
        case "CT": CodedConcept("77477000", "SCT", "Computed tomography")
        case "MG": CodedConcept("71651007", "SCT", "Mammography")
        case "CR", "DX": CodedConcept("168537006", "SCT", "Plain radiography")
        default: CodedConcept("363679005", "SCT", "Imaging procedure")
        }
    }
}
