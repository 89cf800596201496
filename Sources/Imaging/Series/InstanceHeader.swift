import DICOM

/// What the worklist and the series sorter need to know about one file, read from its header alone.
/// Codable so the study index can cache it between runs.
public struct InstanceHeader: Codable, Sendable, Equatable {
    public var path: String
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var studyInstanceUID: String
    public var seriesInstanceUID: String
    /// Frame of Reference UID (0020,0052): series that share it have comparable patient positions
    /// (linked scrolling by position); nil when absent (optional also so headers cached or written as
    /// JSON before it existed still decode).
    public var frameOfReferenceUID: String?
    public var patientName: String
    public var patientID: String
    /// Issuer of Patient ID (0010,0021): the namespace of `patientID` (priors match on both); nil
    /// when absent (optional so headers cached or written as JSON before it existed still decode).
    public var issuerOfPatientID: String?
    public var patientBirthDate: String
    public var patientSex: String
    public var studyDate: String
    public var studyTime: String
    public var studyDescription: String
    public var accessionNumber: String
    public var seriesDescription: String
    public var seriesNumber: Int?
    public var modality: String
    public var bodyPart: String
    public var viewPosition: String
    public var laterality: String
    public var instanceNumber: Int?
    public var imagePosition: [Double]
    public var imageOrientation: [Double]
    public var pixelSpacing: [Double]
    public var sliceThickness: Double?
    public var rows: Int
    public var columns: Int
    public var frames: Int
    public var transferSyntaxUID: String
    public var hasPixelData: Bool

    public init(file: DICOMFile, path: String) {
        let ds = file.dataSet
        func s(_ t: Tag) -> String { ds.string(t) ?? "" }
        self.path = path
        sopClassUID = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        sopInstanceUID = ds.string(.sopInstanceUID) ?? file.meta.string(.mediaStorageSOPInstanceUID) ?? ""
        studyInstanceUID = s(.studyInstanceUID)
        seriesInstanceUID = s(.seriesInstanceUID)
        frameOfReferenceUID = ds.string(.frameOfReferenceUID)
        patientName = s(.patientName)
        patientID = s(.patientID)
        issuerOfPatientID = ds.string(.issuerOfPatientID)
        patientBirthDate = s(.patientBirthDate)
        patientSex = s(.patientSex)
        studyDate = s(.studyDate)
        studyTime = s(.studyTime)
        studyDescription = s(.studyDescription)
        accessionNumber = s(.accessionNumber)
        seriesDescription = s(.seriesDescription)
        seriesNumber = ds.int(.seriesNumber)
        modality = s(.modality)
        bodyPart = s(.bodyPartExamined)
        viewPosition = s(.viewPosition)
        laterality = ds.string(.imageLaterality) ?? s(.laterality)
        instanceNumber = ds.int(.instanceNumber)
        imagePosition = ds.doubles(.imagePositionPatient)
        imageOrientation = ds.doubles(.imageOrientationPatient)
        // Pixel Spacing when it is usable, else Imager Pixel Spacing (see PixelGeometry).
        let own = ds.doubles(.pixelSpacing), imager = ds.doubles(.imagerPixelSpacing)
        pixelSpacing = PixelGeometry(pixelSpacing: own).isKnown || imager.isEmpty ? own : imager
        sliceThickness = ds.double(.sliceThickness)
        rows = ds.int(.rows) ?? 0
        columns = ds.int(.columns) ?? 0
        frames = max(1, ds.int(.numberOfFrames) ?? 1)
        transferSyntaxUID = file.transferSyntax.uid
        // A header-only read stops before (7FE0,0010); a file with image attributes is taken to have it.
        hasPixelData = ds.contains(.pixelData) || (rows > 0 && columns > 0)
    }
}
