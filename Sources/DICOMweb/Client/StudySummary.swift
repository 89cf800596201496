import DICOM
import Foundation

/// One QIDO-RS study result, as the worklist shows it.
public struct StudySummary: Sendable, Equatable {
    public var studyInstanceUID: String
    public var patientName: String
    public var patientID: String
    public var studyDate: String
    public var studyDescription: String
    public var accessionNumber: String
    public var modalities: [String]
    public var numberOfSeries: Int?
    public var numberOfInstances: Int?

    public init(_ o: DICOMJSONObject) {
        studyInstanceUID = o.string(.studyInstanceUID) ?? ""
        patientName = o.string(.patientName) ?? ""
        patientID = o.string(.patientID) ?? ""
        studyDate = o.string(.studyDate) ?? ""
        studyDescription = o.string(.studyDescription) ?? ""
        accessionNumber = o.string(.accessionNumber) ?? ""
        modalities = o.strings(Tag(0x0008, 0x0061))
        numberOfSeries = o.int(Tag(0x0020, 0x1206))
        numberOfInstances = o.int(Tag(0x0020, 0x1208))
    }
}

/// One QIDO-RS series result.
public struct SeriesSummary: Sendable, Equatable {
    public var seriesInstanceUID: String
    public var modality: String
    public var seriesNumber: Int?
    public var seriesDescription: String
    public var numberOfInstances: Int?

    public init(_ o: DICOMJSONObject) {
        seriesInstanceUID = o.string(.seriesInstanceUID) ?? ""
        modality = o.string(.modality) ?? ""
        seriesNumber = o.int(.seriesNumber)
        seriesDescription = o.string(.seriesDescription) ?? ""
        numberOfInstances = o.int(Tag(0x0020, 0x1209))
    }
}
