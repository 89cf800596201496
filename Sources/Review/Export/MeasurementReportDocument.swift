import DICOM
import Foundation

/// A TID 1500 Measurement Report as a Comprehensive 3D SR instance (PS3.3 A.35.13): the Patient and
/// General Study modules copied from an image of the study it reports on, then SR Document Series,
/// General and Enhanced General Equipment, SR Document General (with the evidence list) and SR Document
/// Content (the tree from `MeasurementReportBuilder`), and SOP Common.
public struct MeasurementReportDocument: Sendable {
    public static let comprehensive3DSRClassUID = "1.2.840.10008.5.1.4.1.1.88.34"
    /// SR storage classes a reader accepts (Basic Text, Enhanced, Comprehensive, Comprehensive 3D, Extensible).
    public static let srClassUIDs: Set<String> = [
        "1.2.840.10008.5.1.4.1.1.88.11", "1.2.840.10008.5.1.4.1.1.88.22", "1.2.840.10008.5.1.4.1.1.88.33",
        comprehensive3DSRClassUID, "1.2.840.10008.5.1.4.1.1.88.35",
    ]

    /// Patient and study attributes copied from the source study; (0010,0010) etc. are Type 2, so
    /// absent ones are written empty.
    static let patientStudyTags: [(Tag, VR)] = [
        (.patientName, .PN), (.patientID, .LO), (.patientBirthDate, .DA), (.patientSex, .CS),
        (.studyInstanceUID, .UI), (.studyDate, .DA), (.studyTime, .TM), (.referringPhysicianName, .PN),
        (.studyID, .SH), (.accessionNumber, .SH),
    ]
    static let optionalStudyTags: [Tag] = [.studyDescription, .patientAge, Tag(0x0010, 0x1020), Tag(0x0010, 0x1030)]

    public var builder: MeasurementReportBuilder
    /// A parsed header of one image of the study (for the patient and study modules).
    public var source: DataSet
    public var seriesInstanceUID = UIDGenerator.make()
    public var sopInstanceUID = UIDGenerator.make()
    public var seriesNumber = 990
    public var instanceNumber = 1
    public var seriesDescription = "Lightbox measurement report"
    public var softwareVersion = ReviewModule.version
    public var created = Date()
    /// Leave the patient's identity and the study's descriptive text out (`CompositeHeader`).
    public var deidentified = false
    /// The reader's sign-off of the study, when there is one: the report is then VERIFIED, with the
    /// reader as verifying observer (PS3.3 C.17.2); without it the report is UNVERIFIED.
    public var signoff: SignoffRecord?

    public init(builder: MeasurementReportBuilder, source: DataSet) {
        self.builder = builder; self.source = source
    }

    public func dataSet() throws -> WritableDataSet {
        let modality = source.string(.modality) ?? ""
        var ds = try builder.contentTree(modality: modality).dataSet(root: true)
        ds.set(Tag(0x0040, 0xA504), sequence: [Self.templateItem])

        for (tag, e) in try CompositeHeader.study(from: source, deidentified: deidentified).elements { ds[tag] = e }

        // SR Document Series
        ds.set(.modality, .CS, "SR")
        ds.set(.seriesInstanceUID, .UI, seriesInstanceUID)
        ds.set(.seriesNumber, .IS, String(seriesNumber))
        ds.set(.seriesDescription, .LO, seriesDescription)
        ds.set(Tag(0x0008, 0x1111), sequence: [])  // Referenced Performed Procedure Step Sequence, Type 2
        ds.set(.seriesDate, .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0031), .TM, DICOMDate.time(created))

        // General and Enhanced General Equipment
        ds.set(.manufacturer, .LO, "Lightbox")
        ds.set(Tag(0x0008, 0x1090), .LO, "Lightbox reading workstation")
        ds.set(Tag(0x0018, 0x1000), .LO, ProcessInfo.processInfo.hostName.isEmpty ? "1" : String(ProcessInfo.processInfo.hostName.prefix(64)))
        ds.set(Tag(0x0018, 0x1020), .LO, softwareVersion)

        // SR Document General
        ds.set(.instanceNumber, .IS, String(instanceNumber))
        ds.set(Tag(0x0040, 0xA491), .CS, "COMPLETE")
        if let signoff, let at = MeasurementReportBuilder.dicomDateTime(signoff.at) {
            ds.set(Tag(0x0040, 0xA493), .CS, "VERIFIED")
            var observer = WritableDataSet()
            observer.set(Tag(0x0040, 0xA075), .PN, signoff.reader.isEmpty ? "reader" : signoff.reader)
            observer.set(Tag(0x0040, 0xA088), sequence: [])  // Verifying Observer Identification Code Sequence, Type 2
            observer.set(Tag(0x0040, 0xA027), .LO, source.string(.institutionName).map { String($0.prefix(64)) } ?? "Lightbox")
            observer.set(Tag(0x0040, 0xA030), .DT, at)
            ds.set(Tag(0x0040, 0xA073), sequence: [observer])
        } else {
            ds.set(Tag(0x0040, 0xA493), .CS, "UNVERIFIED")
        }
        ds.set(Tag(0x0008, 0x0023), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0033), .TM, DICOMDate.time(created))
        ds.set(Tag(0x0040, 0xA372), sequence: [])  // Performed Procedure Code Sequence, Type 2
        let evidence = evidenceItem(studyUID: ds.string(.studyInstanceUID) ?? "")
        if let evidence { ds.set(Tag(0x0040, 0xA375), sequence: [evidence]) }

        // SOP Common
        ds.set(.sopClassUID, .UI, Self.comprehensive3DSRClassUID)
        ds.set(.sopInstanceUID, .UI, sopInstanceUID)
        ds.set(Tag(0x0008, 0x0012), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0013), .TM, DICOMDate.time(created))
        ds.set(Tag(0x0008, 0x0201), .SH, "+0000")  // every date and time here is UTC
        var scheme = WritableDataSet()
        scheme.set(Tag(0x0008, 0x0102), .SH, SRCodes.localScheme)
        scheme.set(Tag(0x0008, 0x0115), .ST, "Lightbox local codes")
        scheme.set(Tag(0x0008, 0x0116), .ST, "Lightbox")
        ds.set(Tag(0x0008, 0x0110), sequence: [scheme])
        return ds
    }

    /// The Part 10 bytes.
    public func data() throws -> Data { try Part10Writer.data(try dataSet()) }

    /// Writes the report to `url` atomically.
    public func write(to url: URL) throws { try Part10Writer.write(try dataSet(), to: url) }

    /// TID 1500 from DCMR.
    static var templateItem: WritableDataSet {
        var t = WritableDataSet()
        t.set(Tag(0x0008, 0x0105), .CS, "DCMR")
        t.set(Tag(0x0040, 0xDB00), .CS, "1500")
        return t
    }

    /// Current Requested Procedure Evidence: every image the report references, by series.
    func evidenceItem(studyUID: String) -> WritableDataSet? {
        let images = builder.referencedImages
        guard !images.isEmpty else { return nil }
        var order: [String] = []
        var bySeries: [String: [SRSourceImage]] = [:]
        for img in images {
            if bySeries[img.seriesInstanceUID] == nil { order.append(img.seriesInstanceUID) }
            bySeries[img.seriesInstanceUID, default: []].append(img)
        }
        var study = WritableDataSet()
        study.set(.studyInstanceUID, .UI, studyUID)
        study.set(Tag(0x0008, 0x1115), sequence: order.map { series in
            var s = WritableDataSet()
            s.set(.seriesInstanceUID, .UI, series)
            s.set(Tag(0x0008, 0x1199), sequence: bySeries[series, default: []].map { img in
                var r = WritableDataSet()
                r.set(Tag(0x0008, 0x1150), .UI, img.sopClassUID)
                r.set(Tag(0x0008, 0x1155), .UI, img.sopInstanceUID)
                return r
            })
            return s
        })
        return study
    }
}
