import XCTest
import Imaging
import Review
@testable import Workstation

final class ViewerTests: XCTestCase {
    /// The first study open with its series loaded.
    func openViewer(columns: Int = 120, rows: Int = 30) -> AppState {
        var (s, stack) = Fixtures.state(columns: columns, rows: rows)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        return s
    }

    /// A file whose Window Center says "NaN" (it parses as a DS value) must not reach the corner
    /// label's Int(...) conversion: the window falls back to the pixel range.
    func testNonFiniteWindowFromTheFileFallsBackToThePixelRange() {
        var (s, stack) = Fixtures.state()
        var frames = stack.frames
        for i in frames.indices { frames[i].fileWindow = VOITransform.Window(center: .nan, width: .infinity) }
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(ImageStack(seriesUID: stack.seriesUID, frames: frames, sliceSpacing: 2)))
        let w = s.effectiveWindow(s.currentFrame)
        XCTAssertTrue(w.center.isFinite && w.width.isFinite && w.width > 0)
        XCTAssertEqual(w.center, -470, accuracy: 0.001, "(-1000 + 60) / 2: the fixture's HU range")
        let screen = view(s)
        XCTAssertTrue(screen.line(screen.rows - 1).contains("W/L"), screen.snapshot())
    }

    func testViewerSnapshotHasHeaderStripImageAnnotationsPanelAndStatus() {
        let s = openViewer()
        let screen = view(s)
        XCTAssertTrue(screen.line(0).contains("Doe Jane [PID1]  2026-01-02  CT CHEST"))
        XCTAssertTrue(screen.line(1).contains("1 CT AXIAL (5)"))
        XCTAssertEqual(screen.images.count, 1)
        let img = screen.images[0]
        XCTAssertGreaterThan(img.columns, 10)
        XCTAssertEqual(img.image.width, 32)
        XCTAssertTrue(screen.contains("Im 3/5"), screen.snapshot())
        XCTAssertTrue(screen.contains("FINDINGS"))
        XCTAssertTrue(screen.contains("AI: not run (no models installed)"))
        XCTAssertTrue(screen.line(screen.rows - 1).contains("slice 3/5"))
        XCTAssertTrue(screen.snapshot().contains("░"))
    }

    func testSliceScrollByKeysAndWheelIsClampedAndSaved() {
        var s = openViewer()
        XCTAssertEqual(s.currentSlice, 2)
        var effects = Fixtures.keys(&s, [.char("j")])
        XCTAssertEqual(s.currentSlice, 3)
        XCTAssertTrue(effects.contains { if case .saveSession(let st) = $0 { return st.slice == 3 }; return false })
        Fixtures.keys(&s, [.pageDown])
        XCTAssertEqual(s.currentSlice, 4)
        effects = Fixtures.keys(&s, [.char("j")])
        XCTAssertTrue(effects.isEmpty, "no write when the slice does not change")
        _ = update(&s, .mouse(MouseEvent(.wheelUp, row: 10, column: 10)))
        XCTAssertEqual(s.currentSlice, 3)
        Fixtures.keys(&s, [.char("g")])
        XCTAssertEqual(s.currentSlice, 0)
        Fixtures.keys(&s, [.char("G")])
        XCTAssertEqual(s.currentSlice, 4)
        XCTAssertTrue(view(s).contains("Im 5/5"))
    }

    func testWindowPresetsStepsInvertZoomReset() {
        var s = openViewer()
        Fixtures.keys(&s, [.char("2")])
        XCTAssertEqual(s.viewer?.display.window, VOITransform.Window(center: -600, width: 1500))
        XCTAssertTrue(view(s).contains("W/L C -600 / W 1500"))
        Fixtures.keys(&s, [.char("=")])
        XCTAssertEqual(s.viewer?.display.window?.width, 1575)
        Fixtures.keys(&s, [.char("+")])
        XCTAssertEqual(s.viewer?.display.window?.width, 1969)
        Fixtures.keys(&s, [.char("]")])
        XCTAssertEqual(s.viewer?.display.window?.center, -502)
        for (key, center) in [("1", 40.0), ("3", 400), ("4", 40), ("5", 35), ("6", 50)] {
            Fixtures.keys(&s, Fixtures.type(key))
            XCTAssertEqual(s.viewer?.display.window?.center, center)
        }
        // Soft tissue: the 60 HU square is mid-grey, air is black.
        Fixtures.keys(&s, [.char("1")])
        let img = view(s).images[0].image
        XCTAssertEqual(img.pixels[0], 0)
        Fixtures.keys(&s, [.char("i")])
        XCTAssertEqual(view(s).images[0].image.pixels[0], 255)
        Fixtures.keys(&s, [.char("z"), .char("z")])
        XCTAssertEqual(s.viewer?.display.zoom ?? 0, 2.25, accuracy: 1e-9)
        XCTAssertLessThan(view(s).images[0].image.width, 32)
        XCTAssertTrue(view(s).contains("zoom 2.2×"))
        Fixtures.keys(&s, [.char("L")])
        XCTAssertNotNil(s.viewer?.display.pan)
        Fixtures.keys(&s, [.char("r")])
        XCTAssertNil(s.viewer?.display.window)
        XCTAssertEqual(s.viewer?.display.invert, false)
        XCTAssertEqual(s.viewer?.display.zoom, 1)
    }

    func testCursorValueAndMeasurementInMillimetres() {
        var s = openViewer()
        Fixtures.keys(&s, [.right])
        let status = view(s).line(s.rows - 1)
        XCTAssertTrue(status.contains("(17,16)"), status)
        XCTAssertTrue(status.contains("HU"), status)
        Fixtures.keys(&s, [.char("m")])
        for _ in 0 ..< 10 { Fixtures.keys(&s, [.right]) }
        Fixtures.keys(&s, [.char("m")])
        XCTAssertEqual(s.message, "Distance 5.0 mm")
        XCTAssertTrue(view(s).images[0].overlays.contains { if case .measurement = $0 { return true }; return false })
    }

    func testMouseClickSetsCursorAndDragChangesWindow() {
        var s = openViewer()
        let p = view(s).images[0]
        _ = update(&s, .mouse(MouseEvent(.press, row: p.row, column: p.column)))
        XCTAssertEqual(s.viewer?.display.cursor?.x ?? -1, 0.5, accuracy: 1)
        let w0 = s.effectiveWindow(s.currentFrame)
        _ = update(&s, .mouse(MouseEvent(.drag, row: p.row + 2, column: p.column + 5)))
        XCTAssertGreaterThan(s.viewer?.display.window?.width ?? 0, w0.width)
        _ = update(&s, .mouse(MouseEvent(.release, row: p.row + 2, column: p.column + 5)))
        XCTAssertNil(s.viewer?.tools.dragOrigin)
    }

    func testAnnotationsToggleLayoutsAndReformats() {
        var s = openViewer()
        Fixtures.keys(&s, [.char("x")])
        XCTAssertFalse(view(s).contains("Im 3/5"))
        Fixtures.keys(&s, [.char("x"), .char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .sideBySide)
        Fixtures.keys(&s, [.char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .grid)
        Fixtures.keys(&s, [.char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .mpr)
        Fixtures.keys(&s, [.char("l")])
        XCTAssertEqual(s.viewer?.display.layout, .single)
        Fixtures.keys(&s, [.char("v")])
        XCTAssertEqual(s.viewer?.display.orientation, .coronal)
        let img = view(s).images[0].image
        XCTAssertEqual(img.width, 32)
        XCTAssertEqual(img.height, 5, "coronal: one row per axial slice")
        XCTAssertEqual(img.pixelAspectRatio, 4, "2 mm slices over 0.5 mm pixels")
        XCTAssertTrue(view(s).contains("coronal 17/32"))
        Fixtures.keys(&s, [.char("v")])
        XCTAssertEqual(s.viewer?.display.orientation, .sagittal)
        Fixtures.keys(&s, [.char("v")])
        XCTAssertEqual(s.viewer?.display.orientation, .axial)
    }

    func testBackReturnsToWorklistAndAudits() {
        var s = openViewer()
        let effects = Fixtures.keys(&s, [.char("q")])
        XCTAssertEqual(s.mode, .worklist)
        XCTAssertTrue(effects.contains(.audit(action: "close", studyUID: "1.1", detail: "")))
    }

    func testResizeRelayoutsTheImage() {
        var s = openViewer(columns: 120, rows: 30)
        let before = view(s).images[0]
        _ = update(&s, .resize(columns: 80, rows: 20))
        let after = view(s).images[0]
        XCTAssertLessThan(after.rows, before.rows)
        XCTAssertLessThanOrEqual(after.column + after.columns, 80)
    }

    func testTagBrowserScrollsAndCloses() {
        var s = openViewer()
        let effects = Fixtures.keys(&s, [.char("t")])
        XCTAssertEqual(effects, [.loadTags(path: "/nonexistent/1.1.1.3.dcm")])
        _ = update(&s, .tagsLoaded((0 ..< 100).map { "(0010,0010) PN line \($0)" }))
        XCTAssertTrue(view(s).contains("DICOM tags (100 lines)"))
        Fixtures.keys(&s, [.char("j")])
        XCTAssertTrue(view(s).line(1).contains("line 1"))
        Fixtures.keys(&s, [.char("q")])
        XCTAssertNil(s.modal)
        XCTAssertEqual(s.mode, .viewer)
    }

    func testDeidentifiedTagBrowserHidesIdentifyingValues() {
        var (s, stack) = Fixtures.state(deidentify: true)
        Fixtures.keys(&s, [.enter])
        _ = update(&s, .seriesLoaded(stack))
        _ = update(&s, .tagsLoaded(["(0010,0010) PN [Doe^Jane]                                # 8, PatientName",
                                    "(0008,0020) DA [20260102]                                # 8, StudyDate",
                                    "(0010,0020) LO [PID1]                                    # 4, PatientID",
                                    "(0008,0060) CS [CT]                                      # 2, Modality"]))
        let text = view(s).snapshot()
        XCTAssertFalse(text.contains("Doe"))
        XCTAssertFalse(text.contains("20260102"))
        XCTAssertFalse(text.contains("PID1"))
        XCTAssertTrue(text.contains("(0010,0010) PN [removed] # 8, PatientName"))
        XCTAssertTrue(text.contains("(0008,0060) CS [CT]"))
    }

    /// De-identified, the viewer's title, series strip and viewport labels carry no study or
    /// series description, and the tag browser blanks them; otherwise they show.
    func testDeidentifiedViewerHidesDescriptions() {
        for deidentify in [false, true] {
            var (s, stack) = Fixtures.state(deidentify: deidentify)
            Fixtures.keys(&s, [.enter])
            _ = update(&s, .seriesLoaded(stack))
            let text = view(s).snapshot()
            XCTAssertEqual(text.contains("CT CHEST"), !deidentify, "study description, deidentify \(deidentify)")
            XCTAssertEqual(text.contains("AXIAL"), !deidentify, "series description, deidentify \(deidentify)")
        }
        XCTAssertEqual(deidentifiedTagLine("(0008,1030) LO [CT CHEST SMITH]                   # 14, StudyDescription"),
                       "(0008,1030) LO [removed] # 14, StudyDescription")
        XCTAssertTrue(deidentifiedTagLine("(0008,103E) LO [AXIAL]                            # 6, SeriesDescription").contains("[removed]"))
    }

    func testMammographyHangingProtocolMirrorsChestWallsInward() {
        var s = AppState(columns: 120, rows: 40, reader: "alice")
        let views = [("R", "CC"), ("L", "CC"), ("R", "MLO"), ("L", "MLO")]
        let headers = views.enumerated().map { k, v in
            Fixtures.header(study: "5.5", series: "5.5.1", sop: "5.5.1.\(k)", modality: "MG", description: "MAMMO", instance: k + 1,
                            laterality: v.0, view: v.1)
        }
        let prior = Fixtures.header(study: "4.4", series: "4.4.1", sop: "4.4.1.0", date: "20240101", modality: "MG", laterality: "R", view: "CC")
        _ = update(&s, .studiesLoaded(StudyIndex.group(headers) + StudyIndex.group([prior])))
        let effects = Fixtures.keys(&s, [.enter])
        XCTAssertEqual(s.viewer?.display.hanging, true)
        XCTAssertEqual(s.viewer?.display.layout, .grid)
        XCTAssertEqual(s.viewer?.display.priorStudyUID, "4.4")
        XCTAssertTrue(effects.contains(.loadSeries(seriesUID: "5.5.1")))
        // Every image stored with its chest wall (bright tissue) on the left.
        let frames = headers.map { h -> StackFrame in
            var values = [Float](repeating: 0, count: 32 * 32)
            for y in 0 ..< 32 { for x in 0 ..< 12 { values[y * 32 + x] = 1000 } }
            return StackFrame(width: 32, height: 32, values: values, rgb: [], sopUID: h.sopInstanceUID, path: h.path, frameIndex: 0,
                              rowSpacing: 0.1, columnSpacing: 0.1, position: [], fileWindow: nil, monochrome1: false,
                              laterality: h.laterality, viewPosition: h.viewPosition)
        }
        _ = update(&s, .seriesLoaded(ImageStack(seriesUID: "5.5.1", frames: frames, sliceSpacing: nil)))
        let vps = s.viewports
        XCTAssertEqual(vps.map(\.title), ["RCC", "LCC", "RMLO", "LMLO"])
        XCTAssertEqual(vps.map(\.mirror), [true, false, true, false], "right breasts flipped so both chest walls face the centre")
        let screen = view(s)
        XCTAssertEqual(screen.images.count, 4)
        XCTAssertEqual(screen.images[0].image.pixels[0], 0, "RCC mirrored: air at the outer (left) edge")
        XCTAssertTrue(screen.contains("prior available (p)"))
        let more = Fixtures.keys(&s, [.char("p")])
        XCTAssertEqual(more, [.loadSeries(seriesUID: "4.4.1")])
        XCTAssertTrue(view(s).contains("PRIOR RCC"))
    }
}
