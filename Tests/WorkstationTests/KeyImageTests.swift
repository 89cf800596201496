import DICOM
import Foundation
import Imaging
import Review
import XCTest
@testable import Workstation

/// Key images in the viewer: `*` marks the shown image with its view, the corner and the panel show
/// it, the review store keeps it across a restart, and a study folder's KOS + GSPS (written by our
/// own writers) flag their images and give them their window and zoom when the reader arrives.
final class KeyImageTests: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "lightbox-keyimages-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    /// A runtime without a terminal on a fresh store in `dir`, with the fixture's two studies.
    func runtime() throws -> Runtime {
        var options = WorkstationOptions(paths: [], databasePath: dir + "/review.sqlite", reader: "alice")
        options.configPath = nil
        let rt = try Runtime(options: options)
        rt.state.columns = 120; rt.state.rows = 30
        let (a, _) = Fixtures.ctStudy(uid: "1.1")
        let (b, _) = Fixtures.ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20250505")
        rt.dispatch(.studiesLoaded([a, b]))
        return rt
    }

    func open(_ rt: Runtime) {
        rt.dispatch(.key(.enter))
        rt.dispatch(.seriesLoaded(Fixtures.ctStudy(uid: "1.1").1))
    }

    func testMarkShowsInCornerAndPanelIsStoredAndReopensWithItsView() throws {
        var rt = try runtime()
        open(rt)
        XCTAssertEqual(rt.state.currentSlice, 2)
        XCTAssertFalse(view(rt.state).contains("★ KEY"))
        XCTAssertTrue(view(rt.state).contains("Key images: none"))
        // Lung window, zoomed in, then marked.
        for k in ["2", "z", "z", "*"] { rt.dispatch(.key(.char(Character(k)))) }
        var screen = view(rt.state)
        XCTAssertTrue(screen.contains("★ KEY Im 3/5"), screen.snapshot())
        XCTAssertTrue(screen.contains("Key images: 1"))
        let rows = try rt.store.keyImages(studyUID: "1.1", reader: "alice")
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows.first?.sopUID, "1.1.1.3")
        XCTAssertEqual(rows.first?.seriesUID, "1.1.1")
        XCTAssertNil(rows.first?.frame)
        XCTAssertEqual(rows.first?.windowCenter, rt.state.viewer?.display.window?.center)
        XCTAssertEqual(rows.first?.windowWidth, rt.state.viewer?.display.window?.width)
        XCTAssertEqual(rows.first?.displayedArea, DisplayedArea(left: 10, top: 10, right: 23, bottom: 23), "zoom 2.25 of 32 pixels, centred")
        // Other images are not key.
        rt.dispatch(.key(.char("j")))
        XCTAssertFalse(view(rt.state).contains("★ KEY"))

        // A restart: the store's mark is shown, and arriving at the image applies its view.
        rt = try runtime()
        open(rt)
        screen = view(rt.state)
        XCTAssertTrue(screen.contains("★ KEY Im 3/5"), screen.snapshot())
        XCTAssertTrue(screen.contains("Key images: 1"))
        XCTAssertEqual(rt.state.viewer?.display.window?.center, rows.first?.windowCenter)
        XCTAssertEqual(rt.state.viewer?.display.zoom ?? 0, 2.25, accuracy: 0.1)
        XCTAssertTrue(rt.state.message.contains("your key image applied"), rt.state.message)
        // The reader's own change is not undone while staying on the image.
        rt.dispatch(.key(.char("r")))
        XCTAssertNil(rt.state.viewer?.display.window)

        // Unmarking appends a removal row; the mark is gone after another restart.
        rt.dispatch(.key(.char("*")))
        XCTAssertFalse(view(rt.state).contains("★ KEY"))
        XCTAssertEqual(try rt.store.keyImages(studyUID: "1.1", reader: "alice").count, 0)
        XCTAssertEqual(try rt.store.keyImages(studyUID: "1.1", reader: "alice", latestOnly: false).count, 0)
        rt = try runtime()
        open(rt)
        XCTAssertFalse(view(rt.state).contains("★ KEY"))
        XCTAssertTrue(view(rt.state).contains("Key images: none"))
    }

    func testHelpListsTheKeyAndReformatsCannotBeMarked() {
        var (s, stack) = Fixtures.state()
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        Fixtures.keys(&s, [.char("?")])
        XCTAssertTrue(view(s).contains("key image: mark / unmark"))
        Fixtures.keys(&s, [.escape, .char("M")])
        XCTAssertEqual(Fixtures.keys(&s, [.char("*")]), [])
        XCTAssertTrue(s.message.contains("without a slab"), s.message)
    }

    // MARK: - KOS and GSPS in the study folder

    /// The header our writers copy patient and study from.
    func source(sop: String) throws -> DataSet {
        var ds = WritableDataSet()
        ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.2")
        ds.set(.sopInstanceUID, .UI, sop)
        ds.set(.studyInstanceUID, .UI, "1.1")
        ds.set(.seriesInstanceUID, .UI, "1.1.1")
        ds.set(.patientName, .PN, "Doe^Jane")
        ds.set(.patientID, .LO, "PID1")
        ds.set(.modality, .CS, "CT")
        ds.set(.rows, .US, .uint16([32]))
        ds.set(.columns, .US, .uint16([32]))
        ds.set(.photometricInterpretation, .CS, "MONOCHROME2")
        return try DICOMFile.parse(try Part10Writer.data(ds)).dataSet
    }

    /// Study 1.1 with a KOS flagging image 4 and a GSPS showing it in a lung window at 2×, written
    /// into the folder by our writers and indexed from the files.
    func studyWithDocuments() throws -> StudyIndex.Study {
        let ref = SOPReference(sopClassUID: "1.2.840.10008.5.1.4.1.1.2", sopInstanceUID: "1.1.1.4", seriesInstanceUID: "1.1.1")
        let gsps = PresentationStateDocument(images: [ImagePresentation(image: ref, windowCenter: -600, windowWidth: 1500,
                                                                       displayedArea: DisplayedArea(left: 9, top: 9, right: 24, bottom: 24))],
                                             reader: "Okafor^Ada", source: try source(sop: "1.1.1.4"))
        var kos = KeyObjectSelectionDocument(images: [ref], reader: "Okafor^Ada", source: try source(sop: "1.1.1.4"))
        kos.presentationState = gsps.reference
        try gsps.write(to: URL(fileURLWithPath: dir + "/gsps.dcm"))
        try kos.write(to: URL(fileURLWithPath: dir + "/kos.dcm"))
        let documents = try ["gsps.dcm", "kos.dcm"].map { name in
            InstanceHeader(file: try DICOMFile.read(URL(fileURLWithPath: dir + "/" + name)), path: dir + "/" + name)
        }
        let (ct, _) = Fixtures.ctStudy(uid: "1.1")
        return StudyIndex.group(ct.series.flatMap(\.instances) + documents)[0]
    }

    func testKOSAndGSPSInTheStudyFolderFlagTheImageAndApplyTheWindowOnOpen() throws {
        let study = try studyWithDocuments()
        var s = AppState(columns: 120, rows: 30, reader: "alice")
        _ = update(&s, .studiesLoaded([study]))
        let imageSeries = study.series.firstIndex { $0.seriesInstanceUID == "1.1.1" }!
        // Resumed on the key image itself: the documents are asked for on open, read off the loop.
        let effects = update(&s, .resume(SessionState(studyUID: "1.1", seriesUID: "1.1.1", slice: 3, screen: "viewer")))
        XCTAssertTrue(effects.contains(.loadKeyObjects(studyUID: "1.1")), "\(effects)")
        XCTAssertEqual(s.viewer?.display.seriesIndex, imageSeries)
        _ = update(&s, .seriesLoaded(Fixtures.ctStudy(uid: "1.1").1))
        XCTAssertNil(s.viewer?.display.window)
        let documents = StudyKeyObjects.read(study)
        XCTAssertEqual(documents.entries.count, 1)
        XCTAssertEqual(documents.states.count, 1)
        XCTAssertEqual(documents.unreadable, 0)
        _ = update(&s, .keyObjectsLoaded(studyUID: "1.1", documents))
        let screen = view(s)
        XCTAssertTrue(screen.contains("★ KEY (KOS) Im 4/5"), screen.snapshot())
        XCTAssertTrue(screen.contains("Key images: 1"))
        XCTAssertTrue(screen.contains("W 1500 L -600 zoom 2.0×"), screen.snapshot())
        XCTAssertEqual(s.viewer?.display.pan, ImagePoint(x: 16, y: 16))
        XCTAssertTrue(s.message.contains("presentation state applied"), s.message)

        // Away and back: an image without a state keeps the reader's view; the key image gets its own again.
        Fixtures.keys(&s, [.char("r"), .char("k")])
        XCTAssertNil(s.viewer?.display.window)
        XCTAssertFalse(view(s).contains("★ KEY"))
        Fixtures.keys(&s, [.char("j")])
        XCTAssertEqual(s.viewer?.display.window?.center, -600)

        // Marking it in the viewer adopts it into the store; unmarking leaves the document's flag.
        guard case .addKeyImage(let r)? = Fixtures.keys(&s, [.char("*")]).first else { return XCTFail() }
        XCTAssertEqual(r.sopUID, "1.1.1.4")
        XCTAssertEqual(r.windowWidth, 1500)
        XCTAssertTrue(view(s).contains("★ KEY Im 4/5"))
        XCTAssertEqual(Fixtures.keys(&s, [.char("*")]), [.removeKeyImage(studyUID: "1.1", sopUID: "1.1.1.4", frame: nil)])
        XCTAssertTrue(view(s).contains("★ KEY (KOS) Im 4/5"))
        XCTAssertTrue(s.message.contains("still flagged"), s.message)
    }

    func testTheRuntimeReadsTheDocumentsOffTheLoop() throws {
        let study = try studyWithDocuments()
        var options = WorkstationOptions(paths: [], databasePath: dir + "/review.sqlite", reader: "alice")
        options.configPath = nil
        let rt = try Runtime(options: options)
        rt.state.columns = 120; rt.state.rows = 30
        rt.dispatch(.studiesLoaded([study]))
        rt.dispatch(.resume(SessionState(studyUID: "1.1", seriesUID: "1.1.1", slice: 3, screen: "viewer")))
        rt.dispatch(.seriesLoaded(Fixtures.ctStudy(uid: "1.1").1))
        rt.loadQueue.sync {}
        for m in rt.inbox.drain() { rt.dispatch(m) }
        XCTAssertTrue(view(rt.state).contains("★ KEY (KOS)"), view(rt.state).snapshot())
        XCTAssertEqual(rt.state.viewer?.display.window?.width, 1500)
    }

    func testDisplayedAreaAndViewerFramingRoundTrip() {
        XCTAssertNil(DisplayedArea(zoom: 1, pan: nil, width: 512, height: 512))
        let a = DisplayedArea(zoom: 2, pan: ImagePoint(x: 100, y: 300), width: 512, height: 512)
        // Kept on the image: the crop's left edge stops at 0.
        XCTAssertEqual(a, DisplayedArea(left: 1, top: 173, right: 256, bottom: 428))
        let f = a?.framing(width: 512, height: 512)
        XCTAssertEqual(f?.zoom ?? 0, 2, accuracy: 0.01)
        // Another tool's stretched area keeps the reader's framing.
        XCTAssertNil(DisplayedArea(left: 1, top: 1, right: 512, bottom: 100).framing(width: 512, height: 512))
        XCTAssertEqual(DisplayedArea(columns: 512, rows: 512).framing(width: 512, height: 512)?.zoom, 1)
    }
}
