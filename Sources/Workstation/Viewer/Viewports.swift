import Imaging
import TerminalGraphics

/// A rectangle of screen cells.
public struct CellRect: Equatable, Sendable {
    public var row: Int, column: Int, rows: Int, columns: Int
    func contains(row r: Int, column c: Int) -> Bool { r >= row && r < row + rows && c >= column && c < column + columns }
}

/// Fixed rows of the screen and the split between image area and findings panel.
enum ScreenLayout {
    static let headerRow = 0
    static let seriesRow = 1
    static let bodyTop = 2
    static func statusRow(_ s: AppState) -> Int { s.rows - 1 }
    static func panelWidth(_ s: AppState) -> Int {
        guard s.columns >= 70 else { return 0 }
        // Teaching text needs room; presenter mode gives it nearly half the screen.
        if let t = s.teaching { return t.presenter ? min(80, s.columns * 45 / 100) : min(50, s.columns / 3) }
        // A follow-up beside its prior: room for a nodule's change on one line
        // ("+3.1 mm, VDT 210 d, growing, Lung-RADS 4B").
        if s.viewer?.display.showsPriorBeside == true { return min(46, s.columns / 3) }
        return min(40, s.columns / 3)
    }
    static func imageArea(_ s: AppState) -> CellRect {
        CellRect(row: bodyTop, column: 0, rows: max(0, s.rows - bodyTop - 1), columns: max(0, s.columns - panelWidth(s)))
    }
}

/// What one viewport shows.
struct Viewport {
    var rect: CellRect
    var stackUID: String
    var frame: StackFrame?
    var sliceIndex: Int
    var sliceCount: Int
    /// Mirrored left-right (hanging protocol: chest walls facing each other).
    var mirror: Bool
    var title: String
    /// The viewport keys act on (cursor, findings, W/L readout).
    var isActive: Bool
    /// The plane shown (axial for stored images).
    var orientation: ViewerState.Orientation = .axial
    /// Where the image lies in patient space, for reference lines (nil when the files do not say).
    var plane: PatientPlane?
}

/// Where an image sits inside a viewport and how cells map to image pixels.
struct ImageGeometry {
    var placement: CellRect
    var cropX: Double, cropY: Double, cropWidth: Double, cropHeight: Double
    var mirror: Bool

    /// The image pixel under the centre of a cell, nil outside the image.
    func imagePoint(row: Int, column: Int) -> ImagePoint? {
        guard placement.contains(row: row, column: column) else { return nil }
        var fx = (Double(column - placement.column) + 0.5) / Double(placement.columns)
        let fy = (Double(row - placement.row) + 0.5) / Double(placement.rows)
        if mirror { fx = 1 - fx }
        return ImagePoint(x: cropX + fx * cropWidth, y: cropY + fy * cropHeight)
    }

    /// The cell showing image pixel `p`, nil when it is out of view.
    func cell(for p: ImagePoint) -> (row: Int, column: Int)? {
        var fx = (p.x - cropX) / cropWidth
        let fy = (p.y - cropY) / cropHeight
        guard fx >= 0, fx < 1, fy >= 0, fy < 1 else { return nil }
        if mirror { fx = 1 - fx }
        return (placement.row + Int(fy * Double(placement.rows)), placement.column + Int(fx * Double(placement.columns)))
    }

    /// Fits the zoomed, panned crop of `frame` inside `inner`, centred, keeping physical shape
    /// (half-block cells: 1 × 2 samples, 8 × 16 pixel cells assumed).
    static func fit(frame: StackFrame, zoom: Double, pan: ImagePoint?, mirror: Bool, inner: CellRect) -> ImageGeometry? {
        guard inner.rows > 0, inner.columns > 0, frame.width > 0, frame.height > 0 else { return nil }
        let z = max(1, zoom)
        let w = Double(frame.width), h = Double(frame.height)
        let cw = w / z, ch = h / z
        let c = pan ?? ImagePoint(x: w / 2, y: h / 2)
        let cx = min(max(0, c.x - cw / 2), w - cw), cy = min(max(0, c.y - ch / 2), h - ch)
        let layout = ImageLayout.cells(width: max(1, Int(cw.rounded())), height: max(1, Int(ch.rounded())),
                                       pixelAspectRatio: frame.aspect, grid: CellGrid(columns: inner.columns, rows: inner.rows),
                                       samplesAcross: 1, samplesDown: 2)
        let placement = CellRect(row: inner.row + (inner.rows - layout.rows) / 2, column: inner.column + (inner.columns - layout.columns) / 2,
                                 rows: layout.rows, columns: layout.columns)
        return ImageGeometry(placement: placement, cropX: cx, cropY: cy, cropWidth: cw, cropHeight: ch, mirror: mirror)
    }
}

extension AppState {
    /// Slice-memory key: axial uses the series UID, reformats their own.
    func sliceKey(_ seriesUID: String, _ o: ViewerState.Orientation) -> String {
        ViewerDisplay.sliceKey(seriesUID, o)
    }

    /// The viewports of the current layout, with their frames (nil while loading).
    var viewports: [Viewport] {
        guard let v = viewer, let e = currentEntry else { return [] }
        let area = ScreenLayout.imageArea(self)
        guard area.rows > 0, area.columns > 0 else { return [] }
        let (nr, nc): (Int, Int)
        switch v.display.layout {
        case .single: (nr, nc) = (1, 1)
        case .sideBySide: (nr, nc) = (1, 2)
        case .grid: (nr, nc) = (2, 2)
        case .mpr: (nr, nc) = (1, 3)
        }
        func rect(_ k: Int) -> CellRect {
            let r = k / nc, c = k % nc
            let h = area.rows / nr, w = area.columns / nc
            return CellRect(row: area.row + r * h, column: area.column + c * w,
                            rows: r == nr - 1 ? area.rows - r * h : h, columns: c == nc - 1 ? area.columns - c * w : w)
        }
        if v.display.hanging {
            let source = v.display.showPrior ? (v.display.priorStudyUID.flatMap { entry(uid: $0) } ?? e) : e
            let prefix = v.display.showPrior && source.uid != e.uid ? "PRIOR " : ""
            var frames: [StackFrame] = []
            for s in source.study.series { frames += stacks[s.seriesInstanceUID]?.frames ?? [] }
            return HangingProtocol.mammography.enumerated().map { k, view in
                let f = frames.first { $0.laterality == view.laterality && $0.viewPosition == view.position }
                return Viewport(rect: rect(k), stackUID: source.study.series.first?.seriesInstanceUID ?? "", frame: f,
                                sliceIndex: 0, sliceCount: 1, mirror: f.map { HangingProtocol.needsMirror($0, side: view.side) } ?? false,
                                title: prefix + view.laterality + view.position, isActive: k == v.display.activeViewport)
            }
        }
        if v.display.layout == .mpr, let s = currentSeries {
            // One series in its three planes; the active viewport is the orientation keys act on.
            // Planes not visited yet start in the middle of the volume.
            let stack = stacks[s.seriesInstanceUID]
            let planes: [ViewerState.Orientation] = stack?.isVolume == false ? [.axial] : ViewerState.Orientation.allCases
            return planes.enumerated().map { k, o in
                let n = stack.map { Reformat.count($0, o) } ?? s.instanceCount
                let idx = min(max(0, v.display.slices[sliceKey(s.seriesInstanceUID, o)] ?? n / 2), max(0, n - 1))
                return Viewport(rect: rect(k), stackUID: s.seriesInstanceUID,
                                frame: stack.flatMap { Reformat.frame($0, o, idx, slab: v.display.slab) }, sliceIndex: idx, sliceCount: n,
                                mirror: false, title: o.rawValue, isActive: o == v.display.orientation, orientation: o,
                                plane: stack.flatMap { Reformat.imagePlane($0, o, idx) })
            }
        }
        let count = nr * nc
        let prior = priorBesideSeries
        return (0 ..< count).compactMap { k in
            let si = v.display.seriesIndex(viewport: k)
            let s: StudyIndex.Series
            if k == 1, let prior { s = prior } else {
                guard si >= 0, si < e.study.series.count else { return nil }
                s = e.study.series[si]
            }
            let stack = stacks[s.seriesInstanceUID]
            let key = sliceKey(s.seriesInstanceUID, v.display.orientation)
            let n = stack.map { Reformat.count($0, v.display.orientation) } ?? s.instanceCount
            let idx = min(max(0, v.display.slices[key] ?? 0), max(0, n - 1))
            return Viewport(rect: rect(k), stackUID: s.seriesInstanceUID,
                            frame: stack.flatMap { Reformat.frame($0, v.display.orientation, idx, slab: v.display.slab) }, sliceIndex: idx, sliceCount: n,
                            mirror: false, title: k == 1 && prior != nil ? priorTitle(s) : shownDescription(s.first.seriesDescription), isActive: k == min(v.display.activeViewport, count - 1),
                            orientation: v.display.orientation, plane: stack.flatMap { Reformat.imagePlane($0, v.display.orientation, idx) })
        }
    }

    /// The inner rectangle of a viewport (without its annotation rows).
    func innerRect(_ vp: Viewport) -> CellRect {
        let pad = (viewer?.display.annotations ?? true) && vp.rect.rows > 4 ? 1 : 0
        return CellRect(row: vp.rect.row + pad, column: vp.rect.column, rows: vp.rect.rows - 2 * pad, columns: vp.rect.columns)
    }

    func geometry(_ vp: Viewport) -> ImageGeometry? {
        guard let f = vp.frame, let v = viewer else { return nil }
        return ImageGeometry.fit(frame: f, zoom: vp.isActive || v.display.link.windowAndZoom ? v.display.zoom : 1, pan: vp.isActive ? v.display.pan : nil, mirror: vp.mirror,
                                 inner: innerRect(vp))
    }
}
