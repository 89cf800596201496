import DICOM
import Foundation

/// The modules every object Lightbox derives from a study shares: Patient and General Study copied
/// from one of the study's images, General and Enhanced General Equipment naming Lightbox, and SOP
/// Common with UTC times. The SR, the key object selection and the presentation state use the same
/// copy, so all three name the patient and study identically.
enum CompositeHeader {
    /// Patient and General Study attributes from `source`; Type 2 ones absent there are written empty.
    static func study(from source: DataSet) throws -> WritableDataSet {
        var ds = WritableDataSet()
        for (tag, vr) in MeasurementReportDocument.patientStudyTags {
            if source.contains(tag) { ds.copy(tag, from: source) } else { ds.set(tag, vr, .text([])) }
        }
        for tag in MeasurementReportDocument.optionalStudyTags { ds.copy(tag, from: source) }
        guard ds.string(.studyInstanceUID).map(UIDGenerator.isValid) == true else {
            throw DICOMWriteError.invalidCharacters(tag: .studyInstanceUID, vr: "UI", value: ds.string(.studyInstanceUID) ?? "")
        }
        return ds
    }

    /// General Equipment (+ the Enhanced module's model, serial and software version).
    static func addEquipment(to ds: inout WritableDataSet, softwareVersion: String) {
        ds.set(.manufacturer, .LO, "Lightbox")
        ds.set(Tag(0x0008, 0x1090), .LO, "Lightbox reading workstation")
        let host = ProcessInfo.processInfo.hostName
        ds.set(Tag(0x0018, 0x1000), .LO, host.isEmpty ? "1" : String(host.prefix(64)))
        ds.set(Tag(0x0018, 0x1020), .LO, softwareVersion)
    }

    /// SOP Common: class, instance, creation date and time, and the UTC offset every time here uses.
    static func addSOPCommon(to ds: inout WritableDataSet, sopClass: String, sopInstance: String, created: Date) {
        ds.set(.sopClassUID, .UI, sopClass)
        ds.set(.sopInstanceUID, .UI, sopInstance)
        ds.set(Tag(0x0008, 0x0012), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0013), .TM, DICOMDate.time(created))
        ds.set(Tag(0x0008, 0x0201), .SH, "+0000")
    }

    /// Series attributes shared by the derived series (Modality, UID, number, description, date, time).
    static func addSeries(to ds: inout WritableDataSet, modality: String, uid: String, number: Int, description: String, created: Date) {
        ds.set(.modality, .CS, modality)
        ds.set(.seriesInstanceUID, .UI, uid)
        ds.set(.seriesNumber, .IS, String(number))
        ds.set(.seriesDescription, .LO, String(description.prefix(64)))
        ds.set(.seriesDate, .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0031), .TM, DICOMDate.time(created))
    }
}
