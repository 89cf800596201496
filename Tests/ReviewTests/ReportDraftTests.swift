import Analysis
import DICOM
import Foundation
import XCTest
@_spi(Testing) @testable import Review

/// The report draft (Lung-RADS v2022 and BI-RADS wording, volumes, infarct territory and
/// DWI–FLAIR call; rejected findings left out, corrected ones with their corrected values), the
/// edited text's sections, the store's append-only report rows saved with the sign-off, and the
/// report's text in the SR.
final class ReportDraftTests: XCTestCase {
    func ai(_ key: String, _ label: String, mm: Double? = nil, ml: Double? = nil, p: Double = 0.8, category: String? = nil) -> ReviewFinding {
        ReviewFinding(key: key, origin: .ai, label: label, probability: p, risk: .high, seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1",
                      centerX: 10, centerY: 10, diameterMM: mm, volumeML: ml, category: category)
    }

    let ldct = ReportDraft.Study(modality: "CT", description: "LDCT LUNG SCREENING")

    func testLungRADSWordingHighestCategoryRejectedLeftOutCorrectedUsesCorrectedSize() {
        var corrected = ReviewedFinding(ai("n2", "solid nodule", mm: 9, category: "2"), outcome: .corrected, proposedDiameterMM: 4)
        corrected.proposedLabel = nil
        let findings = [
            ReviewedFinding(ai("n1", "solid nodule", mm: 7, category: "3"), outcome: .accepted),
            corrected,
            ReviewedFinding(ai("n3", "ground-glass nodule", mm: 12), outcome: .rejected, reason: "artefact"),
            ReviewedFinding(ai("n4", "ground-glass nodule", mm: 12), outcome: .accepted),
        ]
        let r = ReportDraft.make(findings, study: ldct)
        XCTAssertEqual(r.findings, """
            1. Solid nodule, 7.0 mm. Lung-RADS v2022 category 3 (probably benign).
            2. Solid nodule, 9.0 mm. Lung-RADS v2022 category 4A (suspicious).
            3. Ground-glass nodule, 12.0 mm. Lung-RADS v2022 category 2 (benign appearance or behavior).
            """)
        XCTAssertFalse(r.findings.contains("4.0 mm"), "the corrected size replaces the AI's")
        XCTAssertEqual(r.impression, "Lung-RADS v2022 category 4A: suspicious (finding 2). Management: 3-month LDCT; PET/CT may be considered if solid component ≥ 8 mm.")
        // Nothing kept: category 1.
        let none = ReportDraft.make([ReviewedFinding(ai("n1", "solid nodule", mm: 7), outcome: .rejected)], study: ldct)
        XCTAssertEqual(none.findings, "No pulmonary nodules.")
        XCTAssertTrue(none.impression.hasPrefix("Lung-RADS v2022 category 1: negative."), none.impression)
        // The model's 4X (features size cannot show) stands while uncorrected.
        let fourX = ReportDraft.make([ReviewedFinding(ai("n1", "spiculated solid nodule", mm: 7, category: "4X"), outcome: .accepted)], study: ldct)
        XCTAssertTrue(fourX.impression.hasPrefix("Lung-RADS v2022 category 4X: very suspicious, with additional features"), fourX.impression)
    }

    func testBIRADSWordingFromCategoryOrProbabilityAndReaderMarks() {
        let mg = ReportDraft.Study(modality: "MG")
        let findings = [
            ReviewedFinding(ai("m1", "mass", mm: 14, p: 0.3), outcome: .accepted),
            ReviewedFinding(ai("m2", "calcifications", category: "2"), outcome: .accepted),
            ReviewedFinding(ReviewFinding(key: "r1", origin: .reader, label: "asymmetry"), outcome: .addedByReader),
            ReviewedFinding(ai("m3", "mass", mm: 20, p: 0.99), outcome: .rejected),
        ]
        let r = ReportDraft.make(findings, study: mg)
        XCTAssertEqual(r.findings, """
            1. Mass, 14.0 mm. BI-RADS 4B: moderate suspicion for malignancy.
            2. Calcifications. BI-RADS 2: benign.
            3. Asymmetry (marked by the reader).
            """)
        XCTAssertEqual(r.impression, "BI-RADS 4B: moderate suspicion for malignancy (finding 1). Management: tissue diagnosis.")
        XCTAssertEqual(ReportDraft.make([], study: mg).impression, "BI-RADS 1: negative. Management: routine mammography screening.")
    }

    func testInfarctVolumeTerritoryAndMismatch() {
        var infarct = ai("s1", "acute infarct", ml: 12.44)
        infarct.territory = "left MCA"
        infarct.dwiFlairMismatch = true
        infarct.flairRelativeSignal = 1.04
        var old = ai("s2", "acute infarct", ml: 3.0)
        old.territory = "right PCA"
        old.dwiFlairMismatch = false
        let r = ReportDraft.make([ReviewedFinding(infarct, outcome: .accepted), ReviewedFinding(old, outcome: .accepted)],
                                 study: ReportDraft.Study(modality: "MR", description: "MR BRAIN STROKE"))
        XCTAssertEqual(r.findings, """
            1. Acute infarct, volume 12.4 mL, left MCA territory. DWI–FLAIR mismatch present (FLAIR relative signal 1.04).
            2. Acute infarct, volume 3.0 mL, right PCA territory. No DWI–FLAIR mismatch.
            """)
        XCTAssertTrue(r.impression.hasPrefix("1. Acute infarct in the left MCA territory, 12.4 mL; DWI–FLAIR mismatch, which suggests onset within about 4.5 hours."),
                      r.impression)
        XCTAssertTrue(r.impression.contains("2. Acute infarct in the right PCA territory, 3.0 mL; no DWI–FLAIR mismatch"), r.impression)
        // A volume without the stroke call (haemorrhage) is still a volume.
        let bleed = ReportDraft.make([ReviewedFinding(ai("h1", "haemorrhage", ml: 31.2), outcome: .accepted)], study: ReportDraft.Study(modality: "CT", description: "CT HEAD"))
        XCTAssertEqual(bleed.findings, "1. Haemorrhage, volume 31.2 mL.")
    }

    func testEditedTextSplitsIntoSections() {
        let t = ReportText(findings: "1. Solid nodule.\n\n2. Scar.", impression: "Lung-RADS 2.")
        XCTAssertEqual(ReportText(parsing: t.text), t)
        XCTAssertEqual(ReportText(parsing: "  findings\nA\nImpression:\n\nB\n\n"), ReportText(findings: "A", impression: "B"))
        XCTAssertEqual(ReportText(parsing: "no headings at all"), ReportText(findings: "no headings at all", impression: ""))
    }

    func testStoreKeepsDraftsAndTheSignedTextAppendOnly() throws {
        let dir = NSTemporaryDirectory() + "lightbox-report-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try ReviewStore(path: dir + "/review.sqlite")
        XCTAssertNil(try store.report(studyUID: "S", reader: "ann"))
        let draft = ReportText(findings: "1. Nodule, 山田 7 mm.", impression: "Lung-RADS 3.")
        try store.saveReport(draft, reader: "ann", studyUID: "S")
        XCTAssertEqual(try store.report(studyUID: "S", reader: "ann")?.text, draft)
        XCTAssertEqual(try store.report(studyUID: "S", reader: "ann")?.isSigned, false)
        var signed = draft
        signed.impression = "Lung-RADS v2022 category 3."
        let id = try store.signOff(reader: "ann", studyUID: "S", assessment: "probably benign", undecided: 0, forced: false, report: signed)
        let rows = try store.reports(studyUID: "S", reader: "ann")
        XCTAssertEqual(rows.map(\.text), [draft, signed], "each save is a row")
        XCTAssertEqual(rows.last?.signoffID, id)
        XCTAssertEqual(try store.signoffs(studyUID: "S", reader: "ann").last?.id, id)
        XCTAssertNil(try store.report(studyUID: "S", reader: "bob"))
        // After a restart, the newest row is in force.
        let again = try ReviewStore(path: dir + "/review.sqlite")
        XCTAssertEqual(try again.report(studyUID: "S", reader: "ann")?.text, signed)
        XCTAssertThrowsError(try again.rawQuery("UPDATE reports SET impression = 'x'"))
        XCTAssertThrowsError(try again.rawQuery("DELETE FROM reports"))
    }

    func testSRCarriesTheReportAsTextItems() throws {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2")
        ds.set(.sopInstanceUID, .UI, "1.2.3.4.1")
        ds.set(.studyInstanceUID, .UI, "1.2.3")
        ds.set(.seriesInstanceUID, .UI, "1.2.3.4")
        ds.set(.modality, .CS, "CT")
        let source = try DICOMFile.parse(try Part10Writer.data(ds)).dataSet
        var builder = MeasurementReportBuilder(reader: "ann", findings: [ReviewedFinding(ai("n1", "solid nodule", mm: 7), outcome: .accepted)], images: [:])
        let text = ReportText(findings: "1. Solid nodule, 7.0 mm.\n2. Kanji 山田.", impression: "Lung-RADS v2022 category 3.")
        builder.report = text
        let file = try DICOMFile.parse(try MeasurementReportDocument(builder: builder, source: source).data())
        XCTAssertEqual(ReportText(sr: file.dataSet), text)
        let root = SRParsedItem(file.dataSet)
        let qualitative = root.child(SRCodes.qualitativeEvaluations)
        XCTAssertEqual(qualitative?.valueType, "CONTAINER")
        XCTAssertEqual(qualitative?.children.map(\.concept?.value), ["121070", "121073"])
        // Findings still read back; no report, no container.
        XCTAssertEqual(try SRFindingsReader.read(file, planes: [:]).count, 1)
        builder.report = nil
        let plain = try DICOMFile.parse(try MeasurementReportDocument(builder: builder, source: source).data())
        XCTAssertNil(ReportText(sr: plain.dataSet))
    }
}
