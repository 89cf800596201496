import Foundation

/// QIDO-RS search criteria (PS3.18 §10.6). Empty fields are not sent.
public struct StudyQuery: Sendable, Equatable {
    /// DICOM PN matching; `*` and `?` wildcards allowed.
    public var patientName: String?
    public var patientID: String?
    /// YYYYMMDD, or a range YYYYMMDD-YYYYMMDD (either end may be open).
    public var studyDate: String?
    public var modality: String?
    public var accessionNumber: String?
    public var studyInstanceUID: String?
    public var limit: Int?
    public var offset: Int?
    /// Ask the server to match patient names fuzzily (servers may ignore it).
    public var fuzzyMatching = false

    public init(patientName: String? = nil, patientID: String? = nil, studyDate: String? = nil, modality: String? = nil,
                accessionNumber: String? = nil, studyInstanceUID: String? = nil, limit: Int? = nil, offset: Int? = nil) {
        self.patientName = patientName
        self.patientID = patientID
        self.studyDate = studyDate
        self.modality = modality
        self.accessionNumber = accessionNumber
        self.studyInstanceUID = studyInstanceUID
        self.limit = limit
        self.offset = offset
    }

    /// Checks the date form before anything is sent.
    public func validate() throws {
        if let d = studyDate {
            let parts = d.split(separator: "-", omittingEmptySubsequences: false)
            guard (1 ... 2).contains(parts.count), !(parts.count == 2 && parts.allSatisfy(\.isEmpty)),
                  parts.allSatisfy({ $0.isEmpty || ($0.count == 8 && $0.allSatisfy(\.isNumber)) }),
                  !(parts.count == 1 && parts[0].isEmpty) else {
                throw DICOMwebError.configuration("study date must be YYYYMMDD or a range YYYYMMDD-YYYYMMDD, not \(d)")
            }
        }
        if let l = limit, l < 1 { throw DICOMwebError.configuration("limit must be at least 1") }
        if let o = offset, o < 0 { throw DICOMwebError.configuration("offset must not be negative") }
    }

    var queryItems: [URLQueryItem] {
        var items: [URLQueryItem] = []
        func add(_ k: String, _ v: String?) { if let v, !v.isEmpty { items.append(URLQueryItem(name: k, value: v)) } }
        add("PatientName", patientName)
        add("PatientID", patientID)
        add("StudyDate", studyDate)
        add("ModalitiesInStudy", modality)
        add("AccessionNumber", accessionNumber)
        add("StudyInstanceUID", studyInstanceUID)
        add("limit", limit.map(String.init))
        add("offset", offset.map(String.init))
        if fuzzyMatching { add("fuzzymatching", "true") }
        // Ask for the attributes the worklist shows (some servers omit them by default).
        for f in ["StudyDescription", "ModalitiesInStudy", "NumberOfStudyRelatedSeries", "NumberOfStudyRelatedInstances"] {
            add("includefield", f)
        }
        return items
    }
}
