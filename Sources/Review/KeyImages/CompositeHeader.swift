import DICOM
import Foundation

/// The modules every object Lightbox derives from a study shares: Patient and General Study copied
/// from one of the study's images, General and Enhanced General Equipment naming Lightbox, and SOP
/// Common with UTC times. The SR, the key object selection and the presentation state use the same
/// copy, so all three name the patient and study identically.
enum CompositeHeader {
    /// Patient and General Study attributes from `source`; Type 2 ones absent there are written empty.
    /// `deidentified`: the patient's name and ID become "DEIDENTIFIED"; birth date, study date and
    /// time, referring physician, study ID, accession and study description are left empty or out;
    /// sex and age stay (they matter to the reading); the Study Instance UID stays, so the object
    /// still belongs to its study. Patient Identity Removed says so (PS3.15 E.1, not the full Basic
    /// Profile: UIDs are not remapped).
    static func study(from source: DataSet, deidentified: Bool = false) throws -> WritableDataSet {
        var ds = WritableDataSet()
        let dummy: Set<Tag> = [.patientName, .patientID]
        for (tag, vr) in MeasurementReportDocument.patientStudyTags {
            if deidentified, tag != .studyInstanceUID, tag != .patientSex {
                ds.set(tag, vr, .text(dummy.contains(tag) ? ["DEIDENTIFIED"] : []))
            } else if source.contains(tag) { ds.copy(tag, from: source) } else { ds.set(tag, vr, .text([])) }
        }
        for tag in MeasurementReportDocument.optionalStudyTags where !deidentified || tag == .patientAge { ds.copy(tag, from: source) }
        if deidentified {
            ds.set(Tag(0x0012, 0x0062), .CS, "YES")
            ds.set(Tag(0x0012, 0x0063), .LO, "Lightbox: names, IDs, dates, descriptions removed")
        }
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
