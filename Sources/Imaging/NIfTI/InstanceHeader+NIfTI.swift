import Foundation

/// A NIfTI file in the worklist: one synthetic study holding one series holding one instance whose
/// frames are the volume's slices (like an Enhanced multi-frame object).
///
/// NIfTI carries no patient, study or modality: patient fields stay empty; the study and series
/// descriptions are the file name; the modality is "MR" (what most NIfTI files hold; MR windowing
/// picks a robust window) unless the header declares an intent (a statistic map or label image),
/// which becomes "OT". UIDs are derived from the file's absolute path (under the 2.25 root), so the
/// same file keeps its study, and its review records, across runs.
extension InstanceHeader {
    /// The `transferSyntaxUID` given to NIfTI instances ("NIfTI-1" or "NIfTI-2"): how loaders tell
    /// them from DICOM (no DICOM UID starts with a letter).
    public static let niftiSyntaxPrefix = "NIfTI-"

    public var isNIfTI: Bool { transferSyntaxUID.hasPrefix(Self.niftiSyntaxPrefix) }

    public init(nifti h: NIfTIHeader, path: String) throws(NIfTIError) {
        let g = try NIfTIGeometry(header: h)
        let name = (path as NSString).lastPathComponent
        let root = "2.25.\(Self.stableHash(URL(fileURLWithPath: path).standardizedFileURL.path))"
        self.path = path
        sopClassUID = ""
        studyInstanceUID = root
        seriesInstanceUID = root + ".1"
        sopInstanceUID = root + ".1.1"
        frameOfReferenceUID = root + ".2"
        patientName = ""; patientID = ""; patientBirthDate = ""; patientSex = ""
        studyDate = ""; studyTime = ""; accessionNumber = ""
        studyDescription = name
        seriesDescription = h.descrip.isEmpty ? name : "\(name) (\(h.descrip))"
        seriesNumber = 1
        modality = h.intentCode == 0 ? "MR" : "OT"
        bodyPart = ""; viewPosition = ""; laterality = ""
        instanceNumber = 1
        imagePosition = g.origin
        imageOrientation = g.imageOrientation
        pixelSpacing = [g.spacing.row, g.spacing.column]
        sliceThickness = g.spacing.slice
        columns = h.dims[0]; rows = h.dims[1]; frames = h.dims[2]
        transferSyntaxUID = Self.niftiSyntaxPrefix + String(h.version)
        hasPixelData = true
    }

    /// FNV-1a, 64-bit: stable across runs and platforms (Swift's `hashValue` is seeded per process).
    static func stableHash(_ text: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return h
    }
}
