import Foundation

/// Which earlier studies are priors of a study: the same patient (Patient ID and, when either
/// study has one, the same Issuer of Patient ID: a Patient ID alone is unique only within its
/// issuer), the same modality and body part, and an earlier study date and time. Newest first, so
/// `priors(…).first` is the one a reader compares with.
///
///     let index = StudyIndex.scan([root], cache: .standard())
///     let prior = PriorStudyQuery(for: current).priors(in: index.studies).first
///
/// Body parts compare case-insensitively with "CHEST"/"LUNG"/"THORAX" as one; a study without a
/// body part matches on modality alone. Studies without a valid date are never priors.
public struct PriorStudyQuery: Sendable {
    public var patientID: String
    public var issuerOfPatientID: String
    public var modality: String
    public var bodyPart: String
    public var before: StudyDateTime?
    public var studyInstanceUID: String

    public init(for study: StudyIndex.Study) {
        let h = Self.header(of: study)
        patientID = h.patientID.trimmingCharacters(in: .whitespaces)
        issuerOfPatientID = (h.issuerOfPatientID ?? "").trimmingCharacters(in: .whitespaces)
        modality = h.modality.uppercased()
        bodyPart = Self.region(h.bodyPart)
        before = StudyDateTime(date: h.studyDate, time: h.studyTime)
        studyInstanceUID = study.studyInstanceUID
    }

    /// Whether `candidate` is a prior of the query's study.
    public func matches(_ candidate: StudyIndex.Study) -> Bool {
        guard !patientID.isEmpty, let before, candidate.studyInstanceUID != studyInstanceUID else { return false }
        let h = Self.header(of: candidate)
        guard h.patientID.trimmingCharacters(in: .whitespaces) == patientID,
              (h.issuerOfPatientID ?? "").trimmingCharacters(in: .whitespaces) == issuerOfPatientID,
              candidate.series.contains(where: { $0.first.modality.uppercased() == modality }),
              let date = StudyDateTime(date: h.studyDate, time: h.studyTime), date < before else { return false }
        let part = Self.region(h.bodyPart)
        return part.isEmpty || bodyPart.isEmpty || part == bodyPart
    }

    /// The priors among `studies`, newest first.
    public func priors(in studies: [StudyIndex.Study]) -> [StudyIndex.Study] {
        studies.filter(matches).sorted { Self.date(of: $0)! > Self.date(of: $1)! }
    }

    /// The date and time of the study's first image series.
    public static func date(of study: StudyIndex.Study) -> StudyDateTime? {
        let h = header(of: study)
        return StudyDateTime(date: h.studyDate, time: h.studyTime)
    }

    static func header(of study: StudyIndex.Study) -> InstanceHeader {
        study.series.first(where: { $0.first.hasPixelData })?.first ?? study.first
    }

    static func region(_ bodyPart: String) -> String {
        let p = bodyPart.trimmingCharacters(in: .whitespaces).uppercased()
        return ["LUNG", "THORAX", "CHEST"].contains(p) ? "CHEST" : p
    }
}
