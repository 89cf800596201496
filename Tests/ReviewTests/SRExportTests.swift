import Analysis
import DICOM
import Foundation
import XCTest
@testable import Review

/// TID 1500 export and import: decisions in a real SQLite store → reviewed findings → SR bytes →
/// our parser → SRFindingsReader → the same findings; and a report written the way other tools
/// write them (only standard codes, CIRCLE and POLYLINE regions) read into findings.
final class SRExportTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-sr-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    let model = ModelIdentity(id: "lung-nodule", version: "1.2", sha256: String(repeating: "0f", count: 32))
    let ctPlane = ImagePlane(origin: [-180, -180, -40], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [1.40625, 1.40625],
                             frameOfReferenceUID: "1.2.3.99")!

    /// A source image header, written and parsed by our own DICOM module.
    func sourceHeader(modality: String = "CT") throws -> DataSet {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2")
        ds.set(.sopInstanceUID, .UI, "1.2.3.4.1")
        ds.set(.studyInstanceUID, .UI, "1.2.3")
        ds.set(.seriesInstanceUID, .UI, "1.2.3.4")
        ds.set(.patientName, .PN, "Müller^Anna")
        ds.set(.patientID, .LO, "P1")
        ds.set(.modality, .CS, modality)
        ds.set(.studyDate, .DA, "20260101")
        return try DICOMFile.parse(try Part10Writer.data(ds)).dataSet
    }

    var images: [String: SRSourceImage] {
        ["1.2.3.4.1": SRSourceImage(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.2.3.4.1", seriesInstanceUID: "1.2.3.4",
                                    modality: "CT", bodyPart: "CHEST", plane: ctPlane),
         "1.2.3.5.1": SRSourceImage(sopClassUID: "1.2.840.10008.5.1.4.1.1.1.2", sopInstanceUID: "1.2.3.5.1", seriesInstanceUID: "1.2.3.5",
                                    modality: "MG", bodyPart: "BREAST", laterality: "R")]
    }

    func testStoreToFindingsAppliesUndoCorrectionAndReaderMarks() throws {
        let store = try ReviewStore(path: dir + "/review.sqlite")
        func snap(_ key: String, label: String = "solid nodule") -> ReviewFinding {
            ReviewFinding(key: key, origin: .ai, label: label, probability: 0.8, risk: .high, seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1",
                          centerX: 100, centerY: 120, slice: 3, width: 10, height: 8, diameterMM: 6, model: model)
        }
        try store.recordDecision(reader: "ann", studyUID: "1.2.3", finding: snap("m:1"), decision: .accept)
        let wrong = try store.recordDecision(reader: "ann", studyUID: "1.2.3", finding: snap("m:2"), decision: .accept)
        try store.undoDecision(id: wrong, reader: "ann")
        try store.recordDecision(reader: "ann", studyUID: "1.2.3", finding: snap("m:2"), decision: .reject, reason: "vessel")
        try store.recordDecision(reader: "ann", studyUID: "1.2.3", finding: snap("m:3", label: "nodule"), decision: .correct,
                                 correction: Correction(label: "part-solid nodule", risk: "critical", diameterMM: 9))
        try store.recordDecision(reader: "bob", studyUID: "1.2.3", finding: snap("m:1"), decision: .reject)
        try store.addReaderFinding(ReaderFindingRecord(key: "r:1", studyUID: "1.2.3", seriesUID: "1.2.3.5", sopUID: "1.2.3.5.1",
                                                       label: "asymmetry", kind: .point, x: 40, y: 50, slice: 0), reader: "ann")
        try store.addReaderFinding(ReaderFindingRecord(key: "r:2", studyUID: "1.2.3", seriesUID: "1.2.3.5", sopUID: "1.2.3.5.1",
                                                       label: "removed mark", kind: .point, x: 1, y: 1, slice: 0), reader: "ann")
        try store.removeReaderFinding(key: "r:2")

        XCTAssertEqual(try store.readers(studyUID: "1.2.3"), ["ann", "bob"])
        let found = try store.reviewedFindings(studyUID: "1.2.3", reader: "ann")
        XCTAssertEqual(found.map(\.key), ["m:1", "m:2", "m:3", "r:1"])
        XCTAssertEqual(found.map(\.outcome), [.accepted, .rejected, .corrected, .addedByReader])
        XCTAssertEqual(found[1].reason, "vessel")
        XCTAssertEqual(found[2].label, "part-solid nodule")
        XCTAssertEqual(found[2].proposedLabel, "nodule")
        XCTAssertEqual(found[2].risk, .critical)
        XCTAssertEqual(found[2].proposedRisk, .high)
        XCTAssertEqual(found[2].diameterMM, 9)
        XCTAssertEqual(found[2].proposedDiameterMM, 6)
        XCTAssertEqual(found[0].model, model)
        XCTAssertEqual(found[0].centerX, 100)
        XCTAssertEqual(found[0].width, 10)
        XCTAssertEqual(found[3].origin, .reader)
        XCTAssertNil(found[3].model)
        XCTAssertEqual(try store.reviewedFindings(studyUID: "1.2.3", reader: "bob").map(\.outcome), [.rejected])
    }

    /// A brain MR infarct's volume, territory and DWI–FLAIR call go from the decision in the store
    /// through the SR and back.
    func testInfarctVolumeTerritoryAndMismatchSurviveStoreAndSR() throws {
        let store = try ReviewStore(path: dir + "/review.sqlite")
        var infarct = ReviewFinding(key: "s:1", origin: .ai, label: "acute infarct", probability: 0.97, risk: .critical,
                                    seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1", centerX: 80, centerY: 60, slice: 11,
                                    width: 20, height: 30, diameterMM: 41, volumeML: 17.6, model: model)
        infarct.territory = "left MCA"
        infarct.dwiFlairMismatch = true
        infarct.flairRelativeSignal = 1.04
        try store.recordDecision(reader: "ann", studyUID: "1.2.3", finding: infarct, decision: .accept)
        let stored = try XCTUnwrap(try store.reviewedFindings(studyUID: "1.2.3", reader: "ann").first)
        XCTAssertEqual(stored.volumeML, 17.6)
        XCTAssertEqual(stored.territory, "left MCA")
        XCTAssertEqual(stored.dwiFlairMismatch, true)
        XCTAssertEqual(stored.flairRelativeSignal, 1.04)
        XCTAssertEqual(stored.strokeSummary, "left MCA · DWI–FLAIR mismatch (FLAIR rSI 1.04)")
        let back = try XCTUnwrap(try SRFindingsReader.read(try export([stored]), planes: ["1.2.3.4.1": ctPlane]).first)
        XCTAssertEqual(back.label, "acute infarct")
        XCTAssertEqual(back.volumeML, 17.6)
        XCTAssertEqual(back.territory, "left MCA")
        XCTAssertEqual(back.dwiFlairMismatch, true)
        XCTAssertEqual(back.flairRelativeSignal ?? 0, 1.04, accuracy: 1e-9)
    }

    func findings() -> [ReviewedFinding] {
        [ReviewedFinding(ReviewFinding(key: "m:1", origin: .ai, label: "part-solid nodule, RUL", probability: 0.93, risk: .high, seriesUID: "1.2.3.4",
                         sopUID: "1.2.3.4.1", centerX: 78, centerY: 113, diameterMM: 18, volumeML: 2.9, model: model), outcome: .accepted,
                         reader: "ann", decidedAt: "2026-11-28T00:10:00.250Z"),
         ReviewedFinding(ReviewFinding(key: "m:2", origin: .ai, label: "solid nodule", probability: 0.41, risk: .low, seriesUID: "1.2.3.4",
                         sopUID: "1.2.3.4.1", centerX: 188, centerY: 156, width: 6, height: 4, diameterMM: 5, model: model),
                         outcome: .rejected, reason: "calcified granuloma", reader: "ann", decidedAt: "2026-11-28T00:11:00.000Z"),
         ReviewedFinding(ReviewFinding(key: "m:3", origin: .ai, label: "part-solid nodule", probability: 0.7, risk: .critical, seriesUID: "1.2.3.4",
                         sopUID: "1.2.3.4.1", centerX: 20, centerY: 30, width: 8, height: 8, diameterMM: 9, model: model),
                         outcome: .corrected, proposedLabel: "nodule", proposedRisk: .high, proposedDiameterMM: 6,
                         reader: "ann", decidedAt: "2026-11-28T00:12:00.000Z"),
         ReviewedFinding(ReviewFinding(key: "r:1", origin: .reader, label: "Asymmetrie — prüfen", seriesUID: "1.2.3.5", sopUID: "1.2.3.5.1",
                         centerX: 40, centerY: 50, width: 12, height: 10), outcome: .addedByReader, reader: "ann",
                         decidedAt: "2026-11-28T00:13:00.000Z"),
         ReviewedFinding(ReviewFinding(key: "r:2", origin: .reader, label: "point mark", seriesUID: "1.2.3.5", sopUID: "1.2.3.5.1",
                         centerX: 7, centerY: 9), outcome: .addedByReader, reader: "ann", decidedAt: "2026-11-28T00:14:00.000Z")]
    }

    func export(_ input: [ReviewedFinding]) throws -> DICOMFile {
        let doc = MeasurementReportDocument(builder: MeasurementReportBuilder(reader: "ann", findings: input, images: images),
                                            source: try sourceHeader())
        let url = URL(fileURLWithPath: dir + "/sr.dcm")
        try doc.write(to: url)
        return try DICOMFile.read(url)
    }

    func testOurReportReadsBackToTheSameFindings() throws {
        let input = findings()
        let file = try export(input)
        let back = try SRFindingsReader.read(file, planes: ["1.2.3.4.1": ctPlane])
        XCTAssertEqual(back.count, input.count)
        for (a, b) in zip(input, back) {
            XCTAssertEqual(a.key, b.key); XCTAssertEqual(a.label, b.label); XCTAssertEqual(a.origin, b.origin)
            XCTAssertEqual(a.outcome, b.outcome); XCTAssertEqual(a.reason, b.reason); XCTAssertEqual(a.risk, b.risk)
            XCTAssertEqual(a.probability, b.probability); XCTAssertEqual(a.diameterMM, b.diameterMM)
            XCTAssertEqual(a.volumeML, b.volumeML); XCTAssertEqual(a.model, b.model)
            XCTAssertEqual(a.sopUID, b.sopUID); XCTAssertEqual(a.seriesUID, b.seriesUID)
            XCTAssertEqual(a.centerX ?? .nan, b.centerX ?? .nan, accuracy: 1e-3, a.key)
            XCTAssertEqual(a.centerY ?? .nan, b.centerY ?? .nan, accuracy: 1e-3, a.key)
            XCTAssertEqual(a.width, b.width, accuracy: 1e-3); XCTAssertEqual(a.height, b.height, accuracy: 1e-3)
            XCTAssertEqual(a.proposedLabel, b.proposedLabel); XCTAssertEqual(a.proposedRisk, b.proposedRisk)
            XCTAssertEqual(a.proposedDiameterMM, b.proposedDiameterMM)
            XCTAssertEqual(a.reader, b.reader); XCTAssertEqual(a.decidedAt, b.decidedAt)
        }
        let ds = file.dataSet
        XCTAssertEqual(ds.string(.sopClassUID), MeasurementReportDocument.comprehensive3DSRClassUID)
        XCTAssertEqual(ds.string(.modality), "SR")
        XCTAssertEqual(ds.string(.patientName), "Müller^Anna")
        XCTAssertEqual(ds.string(.specificCharacterSet), "ISO_IR 192")
        XCTAssertEqual(ds.string(.studyInstanceUID), "1.2.3")
        XCTAssertNotEqual(ds.string(.seriesInstanceUID), "1.2.3.4", "the SR is a new series")
    }

    func testGeometryIsPatientSpaceOnCrossSectionsAndPixelsOnProjections() throws {
        let root = SRParsedItem(try export(findings()).dataSet)
        let groups = root.descendants.filter { $0.concept?.matches(SRCodes.measurementGroup) ?? false }
        XCTAssertEqual(groups.count, 5)
        let ct = try XCTUnwrap(groups[0].child(SRCodes.imageRegion))
        XCTAssertEqual(ct.valueType, "SCOORD3D")
        XCTAssertEqual(ct.graphicType, "POINT")
        XCTAssertEqual(ct.frameOfReference, "1.2.3.99")
        // origin + 78 columns × 1.40625 mm along x, 113 rows along y.
        XCTAssertEqual(ct.graphicData[0], -180 + 78 * 1.40625, accuracy: 1e-4)
        XCTAssertEqual(ct.graphicData[1], -180 + 113 * 1.40625, accuracy: 1e-4)
        XCTAssertEqual(ct.graphicData[2], -40, accuracy: 1e-4)
        let ctBox = try XCTUnwrap(groups[1].child(SRCodes.imageRegion))
        XCTAssertEqual(ctBox.graphicType, "POLYGON")
        XCTAssertEqual(ctBox.graphicData.count, 15, "closed: 4 corners + the first again")
        let mg = try XCTUnwrap(groups[3].child(SRCodes.imageRegion))
        XCTAssertEqual(mg.valueType, "SCOORD")
        XCTAssertEqual(mg.graphicType, "POLYLINE")
        XCTAssertEqual(mg.graphicData, [34.5, 45.5, 46.5, 45.5, 46.5, 55.5, 34.5, 55.5, 34.5, 45.5], "pixel-corner origin: +0.5")
        XCTAssertEqual(mg.children.first?.relationship, "SELECTED FROM")
        XCTAssertEqual(mg.children.first?.referencedSOP, "1.2.3.5.1")
        let point = try XCTUnwrap(groups[4].child(SRCodes.center))
        XCTAssertEqual(point.graphicType, "POINT")
        XCTAssertEqual(point.graphicData, [7.5, 9.5])
        let site = try XCTUnwrap(groups[3].child(SRCodes.findingSite))
        XCTAssertEqual(site.code?.value, "76752008")
        XCTAssertEqual(site.child(SRCodes.laterality)?.code?.value, "24028007")
        XCTAssertEqual(groups[0].child(SRCodes.finding)?.code?.value, "27925004")
        XCTAssertEqual(groups[0].child(SRCodes.algorithmParameters)?.text, "sha256:" + model.sha256)
        XCTAssertEqual(root.children(SRCodes.deviceObserverName).compactMap(\.text), ["lung-nodule"])
        XCTAssertEqual(root.child(SRCodes.personObserverName)?.text, "ann")
    }

    func testForeignReportWithStandardCodesOnly() throws {
        // How another tool might write TID 1500: Finding codes, a CIRCLE and a POLYLINE, a NUM in cm,
        // a probability in percent, no decision, no local codes.
        func region(_ type: String, _ points: [Float]) -> SRContentItem {
            SRContentItem("CONTAINS", SRCodes.imageRegion, .scoord(graphicType: type, points: points), children: [
                SRContentItem("SELECTED FROM", nil, .image(sopClass: "1.2.840.10008.5.1.4.1.1.1.2", sopInstance: "1.2.3.5.1")),
            ])
        }
        let groups = [
            SRContentItem("CONTAINS", SRCodes.measurementGroup, .container, children: [
                SRContentItem("HAS OBS CONTEXT", SRCodes.trackingIdentifier, .text("Lesion A")),
                SRContentItem("CONTAINS", SRCodes.finding, .code(CodedConcept("4147007", "SCT", "Mass"))),
                region("CIRCLE", [100.5, 200.5, 110.5, 200.5]),
                SRContentItem("CONTAINS", SRCodes.longAxis, .num(2.5, unit: CodedConcept("cm", "UCUM", "centimeter"))),
                SRContentItem("CONTAINS", SRCodes.probabilityOfCancer, .num(87, unit: CodedConcept("%", "UCUM", "percent"))),
            ]),
            SRContentItem("CONTAINS", SRCodes.measurementGroup, .container, children: [
                SRContentItem("CONTAINS", SRCodes.finding, .code(CodedConcept("129748009", "SCT", "Calcification"))),
                region("POLYLINE", [10.5, 10.5, 30.5, 12.5, 20.5, 40.5, 10.5, 10.5]),
            ]),
        ]
        let tree = SRContentItem("", SRCodes.imagingMeasurementReport, .container, children: [
            SRContentItem("HAS OBS CONTEXT", SRCodes.observerType, .code(SRCodes.device)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.deviceObserverName, .text("OtherCAD")),
            SRContentItem("CONTAINS", SRCodes.imagingMeasurements, .container, children: groups),
        ])
        var ds = try tree.dataSet(root: true)
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.88.22")
        ds.set(.sopInstanceUID, .UI, UIDGenerator.make())
        let back = try SRFindingsReader.read(try DICOMFile.parse(try Part10Writer.data(ds)))
        XCTAssertEqual(back.count, 2)
        XCTAssertEqual(back[0].key, "Lesion A")
        XCTAssertEqual(back[0].label, "Mass")
        XCTAssertEqual(back[0].outcome, .accepted)
        XCTAssertEqual(back[0].centerX, 100); XCTAssertEqual(back[0].centerY, 200)
        XCTAssertEqual(back[0].width, 20); XCTAssertEqual(back[0].height, 20)
        XCTAssertEqual(back[0].diameterMM, 25)
        XCTAssertEqual(back[0].probability ?? 0, 0.87, accuracy: 1e-9)
        XCTAssertEqual(back[0].model?.id, "OtherCAD")
        XCTAssertEqual(back[0].sopUID, "1.2.3.5.1")
        XCTAssertEqual(back[1].key, "sr-2")
        XCTAssertEqual(back[1].label, "Calcification")
        XCTAssertEqual(back[1].centerX, 20); XCTAssertEqual(back[1].centerY, 25)
        XCTAssertEqual(back[1].width, 20); XCTAssertEqual(back[1].height, 30)
    }

    /// `review export --deidentify`: no name, ID, birth date, accession or description in the SR;
    /// the study stays the same study, and the file says identity was removed.
    func testDeidentifiedReportCarriesNoPatientIdentity() throws {
        var doc = MeasurementReportDocument(builder: MeasurementReportBuilder(reader: "ann", findings: findings(), images: images),
                                            source: try sourceHeader())
        doc.deidentified = true
        let url = URL(fileURLWithPath: dir + "/sr-deid.dcm")
        try doc.write(to: url)
        let bytes = try Data(contentsOf: url)
        XCTAssertNil(bytes.range(of: Data("Müller".utf8)), "the patient's name is not in the file")
        let ds = try DICOMFile.read(url).dataSet
        XCTAssertEqual(ds.string(.patientName), "DEIDENTIFIED")
        XCTAssertEqual(ds.string(.patientID), "DEIDENTIFIED")
        XCTAssertEqual(ds.string(.patientBirthDate) ?? "", "")
        XCTAssertEqual(ds.string(.studyDate) ?? "", "")
        XCTAssertEqual(ds.string(.accessionNumber) ?? "", "")
        XCTAssertEqual(ds.string(.studyInstanceUID), "1.2.3", "still the study's SR")
        XCTAssertEqual(ds.string(Tag(0x0012, 0x0062)), "YES")
        XCTAssertEqual(try SRFindingsReader.read(DICOMFile.read(url), planes: ["1.2.3.4.1": ctPlane]).count, findings().count)
    }

    func testSignedOffStudiesGiveVerifiedReports() throws {
        var doc = MeasurementReportDocument(builder: MeasurementReportBuilder(reader: "ann", findings: findings(), images: images),
                                            source: try sourceHeader())
        XCTAssertEqual(try DICOMFile.parse(try doc.data()).dataSet.string(Tag(0x0040, 0xA493)), "UNVERIFIED")
        doc.signoff = SignoffRecord(id: 1, reader: "ann", at: "2026-11-28T01:02:03.000Z", studyUID: "1.2.3", assessment: "BI-RADS 2",
                                    undecided: 0, forced: false)
        let ds = try DICOMFile.parse(try doc.data()).dataSet
        XCTAssertEqual(ds.string(Tag(0x0040, 0xA493)), "VERIFIED")
        let observer = try XCTUnwrap(ds.sequence(Tag(0x0040, 0xA073)).first)
        XCTAssertEqual(observer.string(Tag(0x0040, 0xA075)), "ann")
        XCTAssertEqual(observer.string(Tag(0x0040, 0xA030)), "20261128010203.000")
        XCTAssertNotNil(observer.string(Tag(0x0040, 0xA027)))
    }

    func testImagesAreRefusedAsReports() throws {
        let image = try DICOMFile.parse(try Part10Writer.data({
            var d = WritableDataSet(); d.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2"); d.set(.sopInstanceUID, .UI, "1.2"); return d
        }()))
        XCTAssertThrowsError(try SRFindingsReader.read(image)) { XCTAssertTrue("\($0)".contains("not a structured report")) }
    }

    func testPlaneConversionsAreInverse() {
        let oblique = ImagePlane(origin: [10, -20, 30], orientation: [0.8, 0.6, 0, 0, 0, -1], pixelSpacing: [0.7, 0.9],
                                 frameOfReferenceUID: "")!
        let p = oblique.patient(x: 12.25, y: -3.5)
        let back = oblique.image(p)
        XCTAssertEqual(back.x, 12.25, accuracy: 1e-9)
        XCTAssertEqual(back.y, -3.5, accuracy: 1e-9)
        XCTAssertEqual(back.distance, 0, accuracy: 1e-9)
        XCTAssertNil(ImagePlane(origin: [0, 0], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [1, 1], frameOfReferenceUID: ""))
        XCTAssertNil(ImagePlane(origin: [0, 0, 0], orientation: [1, 0, 0, 0, 1, 0], pixelSpacing: [0, 1], frameOfReferenceUID: ""))
    }

    func testResearchTables() throws {
        let input = findings()
        let csv = ReviewedFindingTable.csv(input + [ReviewedFinding(ReviewFinding(key: "x", origin: .reader, label: "=cmd(), \"quoted\""),
                                                                    outcome: .addedByReader)], studyUID: "1.2.3")
        let lines = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        XCTAssertEqual(lines.count, 7)
        XCTAssertEqual(lines[0], ReviewedFindingTable.columns.joined(separator: ","))
        XCTAssertTrue(lines[6].contains("\"'=cmd(), \"\"quoted\"\"\""), "formula neutralised, quotes doubled")
        let json = try JSONSerialization.jsonObject(with: ReviewedFindingTable.json(input, studyUID: "1.2.3", reader: "ann")) as? [String: Any]
        let rows = json?["findings"] as? [[String: Any]]
        XCTAssertEqual(rows?.count, 5)
        XCTAssertEqual(rows?[1]["decision"] as? String, "rejected")
        XCTAssertEqual(rows?[1]["reason"] as? String, "calcified granuloma")
        XCTAssertTrue(rows?[3]["probability"] is NSNull)
    }
}
