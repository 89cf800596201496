import DICOM

/// Reads a Grayscale Softcopy Presentation State (ours or another tool's) into one
/// `ImagePresentation` per image it references: the window, displayed area and annotations that
/// apply to that image. Items without a Referenced Image Sequence apply to every image.
///
/// Only PIXEL-unit graphics and text are read (DISPLAY units are relative to the viewport, not the
/// image); graphics with fewer points than their type needs, an odd number of values or non-finite
/// values are skipped. Coordinates are returned in pixel-centre form (the file's minus 0.5).
public enum PresentationStateReader {
    public enum ReadError: Error, CustomStringConvertible {
        case notGSPS(String)
        public var description: String {
            switch self { case .notGSPS(let why): "not a grayscale softcopy presentation state: \(why)" }
        }
    }

    /// An image reference list: (SOP Instance UID, frames; no frames: all).
    typealias Targets = [(sop: String, frames: [Int])]

    public static func read(_ file: DICOMFile) throws -> PresentationState {
        let ds = file.dataSet
        let cls = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        guard cls == PresentationStateDocument.sopClassUID else { throw ReadError.notGSPS("SOP class \(cls)") }

        var images: [ImagePresentation] = []
        for series in ds.sequence(Tag(0x0008, 0x1115)) {
            let seriesUID = series.string(.seriesInstanceUID) ?? ""
            for ref in series.sequence(Tag(0x0008, 0x1140)) {
                guard let sop = ref.string(Tag(0x0008, 0x1155)) else { continue }
                let cls = ref.string(Tag(0x0008, 0x1150)) ?? ""
                let frames = KeyObjectSelectionReader.frames(ref)
                for frame in frames.isEmpty ? [nil] : frames.map(Optional.some) {
                    let image = SOPReference(sopClassUID: cls, sopInstanceUID: sop, seriesInstanceUID: seriesUID, frame: frame)
                    images.append(ImagePresentation(image: image, displayedArea: DisplayedArea(columns: 1, rows: 1)))
                }
            }
        }

        for item in ds.sequence(Tag(0x0070, 0x005A)) {
            let tl = item.doubles(Tag(0x0070, 0x0052)), br = item.doubles(Tag(0x0070, 0x0053))
            guard tl.count == 2, br.count == 2, let l = int32(tl[0]), let t = int32(tl[1]), let r = int32(br[0]), let b = int32(br[1]) else {
                continue
            }
            let area = DisplayedArea(left: l, top: t, right: r, bottom: b)
            let spacing = item.doubles(Tag(0x0070, 0x0101))
            apply(targets(item), to: &images) { p in
                p.displayedArea = area
                p.pixelSpacing = spacing.count == 2 && spacing.allSatisfy({ $0 > 0 && $0.isFinite }) ? spacing : nil
            }
        }

        for item in ds.sequence(Tag(0x0028, 0x3110)) {
            guard let c = item.double(.windowCenter), let w = item.double(.windowWidth), c.isFinite, w.isFinite else { continue }
            let function = item.string(.voiLUTFunction)
            apply(targets(item), to: &images) { p in
                p.windowCenter = c; p.windowWidth = w; p.voiFunction = function
            }
        }

        for item in ds.sequence(Tag(0x0070, 0x0001)) {
            let layer = item.string(Tag(0x0070, 0x0002)) ?? ""
            let graphics = item.sequence(Tag(0x0070, 0x0009)).compactMap { graphic($0, layer: layer) }
            let texts = item.sequence(Tag(0x0070, 0x0008)).compactMap { text($0, layer: layer) }
            apply(targets(item), to: &images) { p in
                p.graphics += graphics; p.texts += texts
            }
        }

        var rescale: ModalityRescale?
        if let s = ds.double(.rescaleSlope), let i = ds.double(.rescaleIntercept), s.isFinite, i.isFinite {
            rescale = ModalityRescale(slope: s, intercept: i, type: ds.string(.rescaleType) ?? "US")
        }
        let rotation = ds.int(Tag(0x0070, 0x0042)).flatMap { [0, 90, 180, 270].contains($0) ? $0 : nil } ?? 0
        return PresentationState(sopInstanceUID: ds.string(.sopInstanceUID) ?? "", studyInstanceUID: ds.string(.studyInstanceUID) ?? "",
                                 label: ds.string(Tag(0x0070, 0x0080)) ?? "", contentDescription: ds.string(Tag(0x0070, 0x0081)) ?? "",
                                 creator: ds.string(Tag(0x0070, 0x0084)) ?? "",
                                 presentationLUTShape: ds.string(Tag(0x2050, 0x0020)) ?? "", rescale: rescale,
                                 rotation: rotation, horizontalFlip: ds.string(Tag(0x0070, 0x0041)) == "Y", images: images)
    }

    /// The images an item's Referenced Image Sequence names; nil: every image.
    static func targets(_ item: DataSet) -> Targets? {
        let refs = item.sequence(Tag(0x0008, 0x1140))
        guard !refs.isEmpty else { return nil }
        return refs.compactMap { r in r.string(Tag(0x0008, 0x1155)).map { ($0, KeyObjectSelectionReader.frames(r)) } }
    }

    static func apply(_ targets: Targets?, to images: inout [ImagePresentation], _ change: (inout ImagePresentation) -> Void) {
        for i in images.indices where targets?.contains(where: { images[i].image.isCovered(by: $0.sop, frames: $0.frames) }) ?? true {
            change(&images[i])
        }
    }

    static func graphic(_ item: DataSet, layer: String) -> PresentationGraphic? {
        guard item.string(Tag(0x0070, 0x0005)) == "PIXEL",
              let kind = PresentationGraphic.Kind(rawValue: item.string(Tag(0x0070, 0x0023)) ?? "") else { return nil }
        let values = item.doubles(Tag(0x0070, 0x0022))
        guard values.count % 2 == 0, values.allSatisfy(\.isFinite) else { return nil }
        let points = stride(from: 0, to: values.count, by: 2).map { PixelPoint(x: values[$0] - 0.5, y: values[$0 + 1] - 0.5) }
        guard points.count >= kind.minimumPoints else { return nil }
        return PresentationGraphic(kind, points: points, layer: layer, filled: item.string(Tag(0x0070, 0x0024)) == "Y")
    }

    static func text(_ item: DataSet, layer: String) -> PresentationText? {
        guard let value = item.string(Tag(0x0070, 0x0006)) else { return nil }
        let anchor = item.doubles(Tag(0x0070, 0x0014))
        if item.string(Tag(0x0070, 0x0004)) == "PIXEL", anchor.count == 2, anchor.allSatisfy(\.isFinite) {
            return PresentationText(value, anchor: PixelPoint(x: anchor[0] - 0.5, y: anchor[1] - 0.5),
                                    anchorVisible: item.string(Tag(0x0070, 0x0015)) == "Y", layer: layer)
        }
        // Text placed by a PIXEL bounding box only: anchored at the box's top left corner.
        let tl = item.doubles(Tag(0x0070, 0x0010))
        guard item.string(Tag(0x0070, 0x0003)) == "PIXEL", tl.count == 2, tl.allSatisfy(\.isFinite) else { return nil }
        return PresentationText(value, anchor: PixelPoint(x: tl[0] - 0.5, y: tl[1] - 0.5), layer: layer)
    }

    static func int32(_ d: Double) -> Int? {
        d.isFinite && d.rounded() == d && abs(d) <= Double(Int32.max) ? Int(d) : nil
    }
}
