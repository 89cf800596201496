import DICOM

/// Turns what the review store holds about a study (the reader's key images with the view each was
/// marked in, and the reviewed findings) plus the images' headers into what the key object selection
/// and the presentation state are written from.
///
/// - The key object selection lists the key images, in the order they were marked; their notes make
///   its description.
/// - The presentation state covers the key images and every image with a finding the reader kept
///   (rejected AI findings are left out). A key image gets the window, inversion and displayed area
///   it was marked with; any other image its own window and the whole image. Findings become graphics
///   in layer `READER` (the reader's marks) or `AI` (AI findings accepted or corrected): a box as a
///   closed POLYLINE, a point as a POINT, each with its label as text.
/// - One Modality LUT serves every image when they share a rescale; when they do not, none is
///   written and `warnings` says so (windows then apply to stored values).
public struct KeyImagePresentationBuilder: Sendable {
    public var keyImages: [KeyImageRecord]
    public var findings: [ReviewedFinding]
    /// Parsed image headers by SOP Instance UID.
    public var headers: [String: DataSet]

    public init(keyImages: [KeyImageRecord], findings: [ReviewedFinding], headers: [String: DataSet]) {
        self.keyImages = keyImages; self.findings = findings; self.headers = headers
    }

    /// Key images whose headers are at hand, as references.
    public var keyReferences: [SOPReference] {
        keyImages.compactMap { k in
            guard let h = headers[k.sopUID], let cls = h.string(.sopClassUID) else { return nil }
            return SOPReference(sopClassUID: cls, sopInstanceUID: k.sopUID,
                                seriesInstanceUID: h.string(.seriesInstanceUID) ?? k.seriesUID, frame: k.frame)
        }
    }

    /// Key images the headers lack (not in the exported folder): left out of both documents.
    public var missingKeyImages: [KeyImageRecord] { keyImages.filter { headers[$0.sopUID] == nil } }

    /// The notes of the key images, one line each, for the Key Object Description.
    public var note: String {
        keyImages.map(\.note).filter { !$0.isEmpty }.joined(separator: "\n")
    }

    /// Findings drawn in the presentation state: all but rejected ones.
    var keptFindings: [ReviewedFinding] { findings.filter { $0.outcome != .rejected && !$0.sopUID.isEmpty } }

    public var presentations: [ImagePresentation] {
        var out: [ImagePresentation] = []
        for k in keyImages {
            guard let ref = keyReferences.first(where: { $0.sopInstanceUID == k.sopUID && $0.frame == k.frame }),
                  let h = headers[k.sopUID] else { continue }
            var p = Self.defaultPresentation(ref, header: h)
            if let c = k.windowCenter, let w = k.windowWidth, c.isFinite, w.isFinite, w >= 1 {
                p.windowCenter = c; p.windowWidth = w
            }
            if let a = k.displayedArea, a.isValid { p.displayedArea = a }
            out.append(p)
        }
        for f in keptFindings where !out.contains(where: { $0.image.sopInstanceUID == f.sopUID }) {
            guard let h = headers[f.sopUID], let cls = h.string(.sopClassUID) else { continue }
            let ref = SOPReference(sopClassUID: cls, sopInstanceUID: f.sopUID, seriesInstanceUID: h.string(.seriesInstanceUID) ?? f.seriesUID)
            out.append(Self.defaultPresentation(ref, header: h))
        }
        for i in out.indices {
            for f in keptFindings where f.sopUID == out[i].image.sopInstanceUID {
                let (g, t) = Self.annotation(f)
                out[i].graphics += g.map { [$0] } ?? []
                out[i].texts += t.map { [$0] } ?? []
            }
        }
        return out
    }

    /// Presentation LUT shape INVERSE: the first presented image is MONOCHROME1 and not inverted by
    /// the reader, or MONOCHROME2 and inverted.
    public var inverse: Bool {
        guard let first = presentations.first, let h = headers[first.image.sopInstanceUID] else { return false }
        let inverted = keyImages.first { $0.sopUID == first.image.sopInstanceUID }?.inverted ?? false
        return (h.string(.photometricInterpretation) == "MONOCHROME1") != inverted
    }

    /// The rescale the presented images share; nil when none has one or they differ.
    public var rescale: ModalityRescale? {
        let rescales = presentations.compactMap { headers[$0.image.sopInstanceUID] }.map(Self.rescale)
        guard let first = rescales.first, let r = first, rescales.allSatisfy({ $0 == first }) else { return nil }
        return r
    }

    /// The side the presented images show: `R` or `L` when all that name one agree, else empty.
    public var laterality: String {
        let sides = Set(presentations.compactMap { headers[$0.image.sopInstanceUID] }.compactMap {
            $0.string(.imageLaterality) ?? $0.string(.laterality)
        })
        return sides.count == 1 && ["R", "L"].contains(sides.first ?? "") ? sides.first ?? "" : ""
    }

    /// Why the presentation state may not show the images as the reader saw them.
    public var warnings: [String] {
        var out: [String] = []
        let rescales = Set(presentations.compactMap { headers[$0.image.sopInstanceUID] }.map { Self.rescale($0).map { "\($0.slope)/\($0.intercept)" } ?? "none" })
        if rescales.count > 1 { out.append("the images have different rescales: no Modality LUT written") }
        if !missingKeyImages.isEmpty { out.append("\(missingKeyImages.count) key image(s) not among the study's files: left out") }
        return out
    }

    static func rescale(_ h: DataSet) -> ModalityRescale? {
        guard let s = h.double(.rescaleSlope), let i = h.double(.rescaleIntercept), s.isFinite, i.isFinite, s != 0 else { return nil }
        let type = h.string(.rescaleType) ?? (h.string(.modality) == "CT" ? "HU" : "US")
        return ModalityRescale(slope: s, intercept: i, type: type)
    }

    /// The whole image with the image's own first window.
    static func defaultPresentation(_ ref: SOPReference, header h: DataSet) -> ImagePresentation {
        let columns = h.int(.columns) ?? 1, rows = h.int(.rows) ?? 1
        var p = ImagePresentation(image: ref, displayedArea: DisplayedArea(columns: max(columns, 1), rows: max(rows, 1)))
        let spacing = h.doubles(.pixelSpacing)
        p.pixelSpacing = spacing.count == 2 && spacing.allSatisfy({ $0 > 0 && $0.isFinite }) ? spacing : nil
        if let c = h.doubles(.windowCenter).first, let w = h.doubles(.windowWidth).first, c.isFinite, w.isFinite, w >= 1 {
            p.windowCenter = c; p.windowWidth = w
            p.voiFunction = h.string(.voiLUTFunction)
        }
        return p
    }

    /// A finding's outline and label.
    static func annotation(_ f: ReviewedFinding) -> (PresentationGraphic?, PresentationText?) {
        guard let x = f.centerX, let y = f.centerY, x.isFinite, y.isFinite else { return (nil, nil) }
        let layer = f.origin == .reader ? "READER" : "AI"
        let graphic: PresentationGraphic
        let anchor: PixelPoint
        if f.width > 0, f.height > 0, f.width.isFinite, f.height.isFinite {
            graphic = .box(centerX: x, centerY: y, width: f.width, height: f.height, layer: layer)
            anchor = PixelPoint(x: x - f.width / 2, y: y - f.height / 2)
        } else {
            graphic = PresentationGraphic(.point, points: [PixelPoint(x: x, y: y)], layer: layer)
            anchor = PixelPoint(x: x, y: y)
        }
        return (graphic, f.label.isEmpty ? nil : PresentationText(f.label, anchor: anchor, layer: layer))
    }
}
