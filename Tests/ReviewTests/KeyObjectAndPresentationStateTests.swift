import Analysis
import DICOM
import Foundation
import XCTest
@testable import Review

/// Key Object Selection and Grayscale Softcopy Presentation State: written by our writers, parsed by
/// our DICOM module, read back by our readers to the same images, windows, areas and annotations;
/// and the builder that turns key images and findings into them.
final class KeyObjectAndPresentationStateTests: XCTestCase {
    static let ct = "1.2.840.10008.5.1.4.1.1.2"

    /// An image header, written and parsed by our own DICOM module.
    func header(sop: String, series: String = "1.2.3.4", photometric: String = "MONOCHROME2", intercept: Double? = -1024,
                window: (Double, Double)? = (40, 400), laterality: String? = nil, modality: String = "CT") throws -> DataSet {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, Self.ct)
        ds.set(.sopInstanceUID, .UI, sop)
        ds.set(.studyInstanceUID, .UI, "1.2.3")
        ds.set(.seriesInstanceUID, .UI, series)
        ds.set(.patientName, .PN, "Müller^Anna")
        ds.set(.patientID, .LO, "P1")
        ds.set(.modality, .CS, modality)
        ds.set(.rows, .US, .uint16([512]))
        ds.set(.columns, .US, .uint16([400]))
        ds.set(.pixelSpacing, .DS, strings: ["0.7", "0.7"])
        ds.set(.photometricInterpretation, .CS, photometric)
        if let intercept {
            ds.set(.rescaleIntercept, .DS, DecimalString.format(intercept) ?? "0")
            ds.set(.rescaleSlope, .DS, "1")
        }
        if let window {
            ds.set(.windowCenter, .DS, strings: [DecimalString.format(window.0) ?? "0", "500"])
            ds.set(.windowWidth, .DS, strings: [DecimalString.format(window.1) ?? "1", "2000"])
        }
        if let laterality { ds.set(.imageLaterality, .CS, laterality) }
        return try DICOMFile.parse(try Part10Writer.data(ds)).dataSet
    }

    func ref(_ sop: String, frame: Int? = nil) -> SOPReference {
        SOPReference(sopClassUID: Self.ct, sopInstanceUID: sop, seriesInstanceUID: "1.2.3.4", frame: frame)
    }

    // MARK: - Key Object Selection

    func testKeyObjectSelectionRoundTrip() throws {
        var doc = KeyObjectSelectionDocument(images: [ref("1.2.3.4.1"), ref("1.2.3.4.7", frame: 5)], reader: "Okafor^Ada",
                                             source: try header(sop: "1.2.3.4.1"))
        doc.note = "RUL nodule, grew 3 mm — prüfen"
        doc.title = KeyObjectCodes.forTeaching
        doc.presentationState = SOPReference(sopClassUID: PresentationStateDocument.sopClassUID, sopInstanceUID: "1.2.3.9.1",
                                             seriesInstanceUID: "1.2.3.9")
        let file = try DICOMFile.parse(try doc.data())
        let ds = file.dataSet
        XCTAssertEqual(ds.string(.sopClassUID), "1.2.840.10008.5.1.4.1.1.88.59")
        XCTAssertEqual(ds.string(.modality), "KO")
        XCTAssertEqual(ds.string(.patientName), "Müller^Anna")
        XCTAssertEqual(ds.sequence(Tag(0x0040, 0xA504)).first?.string(Tag(0x0040, 0xDB00)), "2010")
        // Evidence: both images (once each, no frames) and the presentation state, by series.
        let evidence = ds.sequence(Tag(0x0040, 0xA375)).first?.sequence(Tag(0x0008, 0x1115)) ?? []
        XCTAssertEqual(evidence.map { $0.string(.seriesInstanceUID) }, ["1.2.3.4", "1.2.3.9"])
        XCTAssertEqual(evidence[0].sequence(Tag(0x0008, 0x1199)).compactMap { $0.string(Tag(0x0008, 0x1155)) }, ["1.2.3.4.1", "1.2.3.4.7"])
        XCTAssertFalse(evidence[0].sequence(Tag(0x0008, 0x1199))[1].contains(Tag(0x0008, 0x1160)))

        let kos = try KeyObjectSelectionReader.read(file)
        XCTAssertEqual(kos.title, KeyObjectCodes.forTeaching)
        XCTAssertEqual(kos.note, "RUL nodule, grew 3 mm — prüfen")
        XCTAssertEqual(kos.observer, "Okafor^Ada")
        XCTAssertEqual(kos.entries.map(\.image), [ref("1.2.3.4.1"), ref("1.2.3.4.7", frame: 5)])
        XCTAssertEqual(kos.entries.compactMap(\.presentationState?.sopInstanceUID), ["1.2.3.9.1", "1.2.3.9.1"])
        XCTAssertEqual(kos.entries.first?.presentationState?.seriesInstanceUID, "1.2.3.9")
        XCTAssertTrue(kos.isKey("1.2.3.4.1"))
        XCTAssertTrue(kos.isKey("1.2.3.4.7", frame: 5))
        XCTAssertFalse(kos.isKey("1.2.3.4.7", frame: 6))
        XCTAssertFalse(kos.isKey("1.2.3.4.2"))
    }

    func testKeyObjectSelectionNeedsImagesAndReaderRefusesOtherObjects() throws {
        let empty = KeyObjectSelectionDocument(images: [], reader: "ann", source: try header(sop: "1.2.3.4.1"))
        XCTAssertThrowsError(try empty.dataSet())
        let image = try DICOMFile.parse(try Part10Writer.data(WritableDataSet(copying: try header(sop: "1.2.3.4.1"))))
        XCTAssertThrowsError(try KeyObjectSelectionReader.read(image))
        XCTAssertThrowsError(try PresentationStateReader.read(image))
    }

    // MARK: - Presentation state

    func testPresentationStateRoundTrip() throws {
        let area = DisplayedArea(left: -20, top: 30, right: 300, bottom: 350)
        var first = ImagePresentation(image: ref("1.2.3.4.1"), windowCenter: -600, windowWidth: 1500, displayedArea: area,
                                      pixelSpacing: [0.7, 0.7])
        // Graphics come back grouped by layer (one Graphic Annotation item per image and layer), so
        // they are given here in that order.
        first.graphics = [.box(centerX: 100, centerY: 120, width: 20, height: 10, layer: "READER"),
                          PresentationGraphic(.circle, points: [PixelPoint(x: 200, y: 200), PixelPoint(x: 210, y: 200)], layer: "READER"),
                          PresentationGraphic(.point, points: [PixelPoint(x: 50, y: 60)], layer: "AI")]
        first.texts = [PresentationText("spiculated", anchor: PixelPoint(x: 90, y: 115), layer: "READER")]
        let second = ImagePresentation(image: ref("1.2.3.4.7", frame: 2), displayedArea: DisplayedArea(columns: 400, rows: 512))
        var doc = PresentationStateDocument(images: [first, second], reader: "Okafor^Ada", source: try header(sop: "1.2.3.4.1"))
        doc.inverse = true
        doc.rescale = ModalityRescale(slope: 1, intercept: -1024, type: "HU")
        let file = try DICOMFile.parse(try doc.data())
        let ds = file.dataSet
        XCTAssertEqual(ds.string(.sopClassUID), "1.2.840.10008.5.1.4.1.1.11.1")
        XCTAssertEqual(ds.string(.modality), "PR")
        XCTAssertEqual(ds.string(Tag(0x2050, 0x0020)), "INVERSE")
        XCTAssertEqual(ds.sequence(Tag(0x0070, 0x0060)).compactMap { $0.string(Tag(0x0070, 0x0002)) }, ["READER", "AI"])
        // PIXEL units count from the corner of the first pixel: the box's first corner (90, 115) is written (90.5, 115.5).
        let written = ds.sequence(Tag(0x0070, 0x0001)).first?.sequence(Tag(0x0070, 0x0009)).first?.doubles(Tag(0x0070, 0x0022))
        XCTAssertEqual(Array(written?.prefix(2) ?? []), [90.5, 115.5])
        XCTAssertEqual(ds.sequence(Tag(0x0028, 0x3110)).count, 1, "only the image with a window gets a VOI item")

        let ps = try PresentationStateReader.read(file)
        XCTAssertEqual(ps.creator, "Okafor^Ada")
        XCTAssertEqual(ps.label, "KEY_IMAGES")
        XCTAssertEqual(ps.presentationLUTShape, "INVERSE")
        XCTAssertTrue(ps.invertsDisplay(photometricInterpretation: "MONOCHROME2"))
        XCTAssertFalse(ps.invertsDisplay(photometricInterpretation: "MONOCHROME1"))
        XCTAssertEqual(ps.rescale, ModalityRescale(slope: 1, intercept: -1024, type: "HU"))
        XCTAssertEqual(ps.rotation, 0)
        XCTAssertFalse(ps.horizontalFlip)
        XCTAssertEqual(ps.images.count, 2)
        XCTAssertEqual(ps.presentation(for: "1.2.3.4.1"), first)
        let back = try XCTUnwrap(ps.presentation(for: "1.2.3.4.7", frame: 2))
        XCTAssertNil(back.window)
        XCTAssertEqual(back.displayedArea, DisplayedArea(left: 1, top: 1, right: 400, bottom: 512))
        XCTAssertTrue(back.graphics.isEmpty)
        XCTAssertNil(ps.presentation(for: "1.2.3.4.2"))
    }

    func testBadGraphicsAreRefusedWhenWrittenAndSkippedWhenRead() throws {
        var p = ImagePresentation(image: ref("1.2.3.4.1"), displayedArea: DisplayedArea(columns: 10, rows: 10))
        p.graphics = [PresentationGraphic(.circle, points: [PixelPoint(x: 1, y: 1)], layer: "READER")]
        XCTAssertThrowsError(try PresentationStateDocument(images: [p], reader: "ann", source: try header(sop: "1.2.3.4.1")).dataSet())
        XCTAssertThrowsError(try PresentationStateDocument(images: [], reader: "ann", source: try header(sop: "1.2.3.4.1")).dataSet())

        // Another writer's state: odd graphic data, a DISPLAY-unit graphic, an ellipse with too few
        // points, an area with one corner, and an annotation with no image reference (applies to all).
        var ds = WritableDataSet(copying: try header(sop: "1.2.3.4.1"))
        ds.set(.sopClassUID, .UI, PresentationStateDocument.sopClassUID)
        ds.set(.sopInstanceUID, .UI, "1.2.3.9.1")
        var image = WritableDataSet()
        image.set(Tag(0x0008, 0x1150), .UI, Self.ct)
        image.set(Tag(0x0008, 0x1155), .UI, "1.2.3.4.1")
        var series = WritableDataSet()
        series.set(.seriesInstanceUID, .UI, "1.2.3.4")
        series.set(Tag(0x0008, 0x1140), sequence: [image])
        ds.set(Tag(0x0008, 0x1115), sequence: [series])
        func graphic(_ type: String, _ units: String, _ data: [Float]) -> WritableDataSet {
            var g = WritableDataSet()
            g.set(Tag(0x0070, 0x0005), .CS, units)
            g.set(Tag(0x0070, 0x0022), .FL, .float32(data))
            g.set(Tag(0x0070, 0x0023), .CS, type)
            return g
        }
        var annotation = WritableDataSet()
        annotation.set(Tag(0x0070, 0x0002), .CS, "OTHER")
        annotation.set(Tag(0x0070, 0x0009), sequence: [
            graphic("POLYLINE", "PIXEL", [1, 2, 3]), graphic("POINT", "DISPLAY", [0.5, 0.5]),
            graphic("ELLIPSE", "PIXEL", [1, 1, 5, 5]), graphic("POINT", "PIXEL", [10.5, 20.5]), graphic("SPLINE", "PIXEL", [1, 1]),
        ])
        ds.set(Tag(0x0070, 0x0001), sequence: [annotation])
        var area = WritableDataSet()
        area.set(Tag(0x0070, 0x0052), .SL, .int32([1]))
        area.set(Tag(0x0070, 0x0053), .SL, .int32([10, 10]))
        ds.set(Tag(0x0070, 0x005A), sequence: [area])
        let ps = try PresentationStateReader.read(try DICOMFile.parse(try Part10Writer.data(ds)))
        XCTAssertEqual(ps.images.first?.graphics, [PresentationGraphic(.point, points: [PixelPoint(x: 10, y: 20)], layer: "OTHER")])
        XCTAssertEqual(ps.images.first?.displayedArea, DisplayedArea(columns: 1, rows: 1), "a one-corner area is ignored")
        XCTAssertEqual(ps.presentationLUTShape, "")
    }

    // MARK: - From the store's records to the documents

    func testBuilderTakesTheViewFromKeyImagesAndDrawsKeptFindings() throws {
        let headers = [
            "1.2.3.4.1": try header(sop: "1.2.3.4.1"),
            "1.2.3.4.2": try header(sop: "1.2.3.4.2", window: nil),
            "1.2.3.4.3": try header(sop: "1.2.3.4.3"),
        ]
        let area = DisplayedArea(left: 50, top: 50, right: 250, bottom: 250)
        let keys = [KeyImageRecord(reader: "ann", studyUID: "1.2.3", seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1", note: "nodule",
                                   windowCenter: -600, windowWidth: 1500, displayedArea: area),
                    KeyImageRecord(reader: "ann", studyUID: "1.2.3", seriesUID: "1.2.3.4", sopUID: "1.2.3.4.9", note: "elsewhere")]
        func finding(_ key: String, sop: String, origin: FindingOrigin, outcome: ReviewedFinding.Outcome, w: Double = 0) -> ReviewedFinding {
            ReviewedFinding(ReviewFinding(key: key, origin: origin, label: "label \(key)", seriesUID: "1.2.3.4", sopUID: sop,
                                          centerX: 100, centerY: 100, width: w, height: w), outcome: outcome, reader: "ann")
        }
        let findings = [finding("a", sop: "1.2.3.4.1", origin: .ai, outcome: .accepted, w: 10),
                        finding("b", sop: "1.2.3.4.1", origin: .ai, outcome: .rejected),
                        finding("c", sop: "1.2.3.4.2", origin: .reader, outcome: .addedByReader),
                        finding("d", sop: "1.2.3.4.3", origin: .ai, outcome: .rejected)]
        let b = KeyImagePresentationBuilder(keyImages: keys, findings: findings, headers: headers)
        XCTAssertEqual(b.keyReferences.map(\.sopInstanceUID), ["1.2.3.4.1"])
        XCTAssertEqual(b.missingKeyImages.map(\.sopUID), ["1.2.3.4.9"])
        XCTAssertEqual(b.note, "nodule\nelsewhere")
        let p = b.presentations
        XCTAssertEqual(p.map(\.image.sopInstanceUID), ["1.2.3.4.1", "1.2.3.4.2"], "key image, then images with kept findings")
        XCTAssertEqual(p[0].windowCenter, -600)
        XCTAssertEqual(p[0].displayedArea, area)
        XCTAssertEqual(p[0].graphics.map(\.kind), [.polyline], "the rejected finding is not drawn")
        XCTAssertEqual(p[0].graphics.first?.layer, "AI")
        XCTAssertEqual(p[0].texts.map(\.text), ["label a"])
        XCTAssertNil(p[1].window, "an image without a window of its own keeps it")
        XCTAssertEqual(p[1].displayedArea, DisplayedArea(columns: 400, rows: 512))
        XCTAssertEqual(p[1].graphics.map(\.kind), [.point])
        XCTAssertEqual(p[1].graphics.first?.layer, "READER")
        XCTAssertEqual(b.rescale, ModalityRescale(slope: 1, intercept: -1024, type: "HU"))
        XCTAssertFalse(b.inverse)
        XCTAssertEqual(b.warnings.count, 1)

        // Images with different rescales get no Modality LUT, and say so.
        var mixed = b
        mixed.headers["1.2.3.4.2"] = try header(sop: "1.2.3.4.2", intercept: 0)
        XCTAssertNil(mixed.rescale)
        XCTAssertTrue(mixed.warnings.contains { $0.contains("rescale") })
    }

    func testInversionFollowsPhotometricInterpretationAndTheReader() throws {
        func inverse(_ photometric: String, inverted: Bool) throws -> Bool {
            KeyImagePresentationBuilder(
                keyImages: [KeyImageRecord(studyUID: "1.2.3", seriesUID: "1.2.3.4", sopUID: "1.2.3.4.1", inverted: inverted)],
                findings: [], headers: ["1.2.3.4.1": try header(sop: "1.2.3.4.1", photometric: photometric)]).inverse
        }
        XCTAssertFalse(try inverse("MONOCHROME2", inverted: false))
        XCTAssertTrue(try inverse("MONOCHROME2", inverted: true))
        XCTAssertTrue(try inverse("MONOCHROME1", inverted: false))
        XCTAssertFalse(try inverse("MONOCHROME1", inverted: true))
    }

    func testLateralityOfThePresentedImages() throws {
        func side(_ sides: [String]) throws -> String {
            var headers: [String: DataSet] = [:]
            var keys: [KeyImageRecord] = []
            for (i, s) in sides.enumerated() {
                headers["1.2.3.4.\(i + 1)"] = try header(sop: "1.2.3.4.\(i + 1)", laterality: s, modality: "MG")
                keys.append(KeyImageRecord(studyUID: "1.2.3", seriesUID: "1.2.3.4", sopUID: "1.2.3.4.\(i + 1)"))
            }
            return KeyImagePresentationBuilder(keyImages: keys, findings: [], headers: headers).laterality
        }
        XCTAssertEqual(try side(["L", "L"]), "L")
        XCTAssertEqual(try side(["L", "R"]), "")
    }
}
