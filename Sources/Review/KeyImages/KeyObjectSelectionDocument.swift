import DICOM
import Foundation

/// A Key Object Selection Document (PS3.3 A.35.4): the images a reader flagged, as a TID 2010 tree
///
///     CONTAINER (113000, DCM, "Of Interest") or another CID 7010 title         (TID 2010)
///       HAS CONCEPT MOD  Language of Content Item and Descendants = en-US    (TID 1204)
///       HAS OBS CONTEXT  Observer Type = Person, Person Observer Name = reader (TID 1002)
///       CONTAINS TEXT    Key Object Description = the reader's note, when there is one
///       CONTAINS IMAGE   one per key image (with its frame), each naming the presentation state
///                        to show it with when one is exported beside it
///
/// with every referenced image (and that presentation state) in the Current Requested Procedure
/// Evidence Sequence. Patient and study come from an image of the study, as for the SR.
public struct KeyObjectSelectionDocument: Sendable {
    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.88.59"

    public var images: [SOPReference]
    public var reader: String
    public var title: CodedConcept = KeyObjectCodes.ofInterest
    /// Key Object Description; left out when empty.
    public var note: String = ""
    /// The presentation state the images are to be shown with (exported beside this document).
    public var presentationState: SOPReference?
    /// A parsed header of one image of the study (for the patient and study modules).
    public var source: DataSet
    public var seriesInstanceUID = UIDGenerator.make()
    public var sopInstanceUID = UIDGenerator.make()
    public var seriesNumber = 991
    public var instanceNumber = 1
    public var seriesDescription = "Lightbox key images"
    public var softwareVersion = ReviewModule.version
    public var created = Date()
    /// Leave the patient's identity and the study's descriptive text out (`CompositeHeader`).
    public var deidentified = false

    public init(images: [SOPReference], reader: String, source: DataSet) {
        self.images = images; self.reader = reader; self.source = source
    }

    public enum BuildError: Error, CustomStringConvertible {
        case noImages
        public var description: String { "a key object selection needs at least one key image" }
    }

    public func dataSet() throws -> WritableDataSet {
        guard !images.isEmpty else { throw BuildError.noImages }
        var root: [SRContentItem] = [
            SRContentItem("HAS CONCEPT MOD", SRCodes.language, .code(SRCodes.english)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.observerType, .code(SRCodes.person)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.personObserverName, .pname(reader.isEmpty ? "reader" : reader)),
        ]
        if !note.isEmpty { root.append(SRContentItem("CONTAINS", KeyObjectCodes.keyObjectDescription, .text(note))) }
        var ds = try SRContentItem("", title, .container, children: root).dataSet(root: true)
        var content = ds.items(Tag(0x0040, 0xA730))
        content += images.map(imageItem)
        ds.set(Tag(0x0040, 0xA730), sequence: content)
        var template = WritableDataSet()
        template.set(Tag(0x0008, 0x0105), .CS, "DCMR")
        template.set(Tag(0x0040, 0xDB00), .CS, "2010")
        ds.set(Tag(0x0040, 0xA504), sequence: [template])

        let study = try CompositeHeader.study(from: source, deidentified: deidentified)
        for (tag, e) in study.elements { ds[tag] = e }

        // Key Object Document Series
        CompositeHeader.addSeries(to: &ds, modality: "KO", uid: seriesInstanceUID, number: seriesNumber,
                                  description: seriesDescription, created: created)
        ds.set(Tag(0x0008, 0x1111), sequence: [])  // Referenced Performed Procedure Step Sequence, Type 2
        CompositeHeader.addEquipment(to: &ds, softwareVersion: softwareVersion)

        // Key Object Document
        ds.set(.instanceNumber, .IS, String(instanceNumber))
        ds.set(Tag(0x0008, 0x0023), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0033), .TM, DICOMDate.time(created))
        var evidence = WritableDataSet()
        evidence.set(.studyInstanceUID, .UI, ds.string(.studyInstanceUID) ?? "")
        evidence.set(Tag(0x0008, 0x1115), sequence: Self.evidenceSeries(images + (presentationState.map { [$0] } ?? [])))
        ds.set(Tag(0x0040, 0xA375), sequence: [evidence])

        CompositeHeader.addSOPCommon(to: &ds, sopClass: Self.sopClassUID, sopInstance: sopInstanceUID, created: created)
        return ds
    }

    /// The Part 10 bytes.
    public func data() throws -> Data { try Part10Writer.data(try dataSet()) }

    /// Writes the document to `url` atomically.
    public func write(to url: URL) throws { try Part10Writer.write(try dataSet(), to: url) }

    /// An IMAGE content item (Image Reference Macro): the image, its frame, and the presentation
    /// state in a nested Referenced SOP Sequence.
    func imageItem(_ image: SOPReference) -> WritableDataSet {
        var ds = WritableDataSet()
        ds.set(Tag(0x0040, 0xA010), .CS, "CONTAINS")
        ds.set(Tag(0x0040, 0xA040), .CS, "IMAGE")
        var ref = image.item
        if let ps = presentationState {
            var p = ps
            p.frame = nil
            ref.set(Tag(0x0008, 0x1199), sequence: [p.item])
        }
        ds.set(Tag(0x0008, 0x1199), sequence: [ref])
        return ds
    }

    /// Evidence by series (Hierarchical SOP Instance Reference Macro): each instance once, frames
    /// left out (the evidence names instances).
    static func evidenceSeries(_ refs: [SOPReference]) -> [WritableDataSet] {
        var order: [String] = []
        var bySeries: [String: [SOPReference]] = [:]
        for r in refs {
            var r = r
            r.frame = nil
            if bySeries[r.seriesInstanceUID] == nil { order.append(r.seriesInstanceUID) }
            if !(bySeries[r.seriesInstanceUID]?.contains(r) ?? false) { bySeries[r.seriesInstanceUID, default: []].append(r) }
        }
        return order.map { series in
            var s = WritableDataSet()
            s.set(.seriesInstanceUID, .UI, series)
            s.set(Tag(0x0008, 0x1199), sequence: bySeries[series, default: []].map(\.item))
            return s
        }
    }
}
