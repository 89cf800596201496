import DICOM
import Foundation

/// A Grayscale Softcopy Presentation State (PS3.3 A.33.1): how the reader showed each image, so
/// another viewer shows it the same way. Per image it holds
///
/// - Displayed Area Selection: the area shown (zoom and pan), SCALE TO FIT;
/// - Softcopy VOI LUT: window centre and width (images without a window keep their own);
/// - Graphic Annotation: the reader's marks and accepted findings as POINT, POLYLINE, CIRCLE or
///   ELLIPSE graphics and anchored text, in PIXEL units, in named graphic layers (Graphic Layer module);
///
/// and for all of them one Modality LUT (when the images share a rescale), Spatial Transformation
/// none (rotation 0, no flip) and Presentation LUT shape IDENTITY or INVERSE. Patient and study come
/// from an image of the study.
public struct PresentationStateDocument: Sendable {
    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.11.1"

    public var images: [ImagePresentation]
    /// The reader who made the presentation (Content Creator's Name).
    public var reader: String
    /// Presentation LUT shape INVERSE (else IDENTITY). For MONOCHROME1 images INVERSE shows them as
    /// their photometric interpretation intends; an inverted view of those is IDENTITY.
    public var inverse = false
    public var rescale: ModalityRescale?
    /// The side of the presented images (`R`, `L`), empty when they show both or it is unknown; nil:
    /// the source image's Laterality.
    public var laterality: String?
    /// Content Label (CS: upper case, digits, space, underscore; 16 at most).
    public var label = "KEY_IMAGES"
    public var contentDescription = "Key images as the reader showed them"
    /// Descriptions of the graphic layers by name; layers not named here get their name.
    public var layerDescriptions: [String: String] = ["READER": "Reader's marks", "AI": "AI findings the reader kept"]
    /// A parsed header of one image of the study (for the patient and study modules).
    public var source: DataSet
    public var seriesInstanceUID = UIDGenerator.make()
    public var sopInstanceUID = UIDGenerator.make()
    public var seriesNumber = 992
    public var instanceNumber = 1
    public var seriesDescription = "Lightbox presentation state"
    public var softwareVersion = ReviewModule.version
    public var created = Date()
    /// Leave the patient's identity and the study's descriptive text out (`CompositeHeader`).
    public var deidentified = false

    public init(images: [ImagePresentation], reader: String, source: DataSet) {
        self.images = images; self.reader = reader; self.source = source
    }

    public enum BuildError: Error, CustomStringConvertible {
        case noImages
        case badGraphic(String)
        public var description: String {
            switch self {
            case .noImages: "a presentation state needs at least one image"
            case .badGraphic(let why): "graphic annotation: \(why)"
            }
        }
    }

    /// This presentation state as a reference (for the key object selection that names it).
    public var reference: SOPReference {
        SOPReference(sopClassUID: Self.sopClassUID, sopInstanceUID: sopInstanceUID, seriesInstanceUID: seriesInstanceUID)
    }

    public func dataSet() throws -> WritableDataSet {
        guard !images.isEmpty else { throw BuildError.noImages }
        var ds = try CompositeHeader.study(from: source, deidentified: deidentified)

        // Presentation Series (General Series with Modality PR)
        CompositeHeader.addSeries(to: &ds, modality: "PR", uid: seriesInstanceUID, number: seriesNumber,
                                  description: seriesDescription, created: created)
        // Body Part Examined and Laterality (General Series; Laterality is Type 2C, required for paired
        // body parts). Laterality: `laterality` when set (the presented images' side), else the source's;
        // empty (unknown) when neither says and the body part is not known to be unpaired.
        ds.copy(.bodyPartExamined, from: source)
        if let laterality {
            if ["R", "L"].contains(laterality) || !source.contains(.bodyPartExamined) || source.contains(.laterality) {
                ds.set(.laterality, .CS, ["R", "L"].contains(laterality) ? laterality : "")
            }
        } else if source.contains(.laterality) {
            ds.copy(.laterality, from: source)
        } else if !source.contains(.bodyPartExamined) {
            ds.set(.laterality, .CS, "")
        }
        CompositeHeader.addEquipment(to: &ds, softwareVersion: softwareVersion)

        // Presentation State Identification
        ds.set(.instanceNumber, .IS, String(instanceNumber))
        ds.set(Tag(0x0070, 0x0080), .CS, Self.contentLabel(label))
        ds.set(Tag(0x0070, 0x0081), .LO, String(contentDescription.prefix(64)))
        ds.set(Tag(0x0070, 0x0082), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0070, 0x0083), .TM, DICOMDate.time(created))
        ds.set(Tag(0x0070, 0x0084), .PN, reader)

        // Presentation State Relationship
        ds.set(Tag(0x0008, 0x1115), sequence: SOPReference.seriesItems(images.map(\.image)))

        // Displayed Area
        ds.set(Tag(0x0070, 0x005A), sequence: images.map(displayedAreaItem))

        // Softcopy VOI LUT
        let windowed = images.filter { $0.window != nil }
        if !windowed.isEmpty { ds.set(Tag(0x0028, 0x3110), sequence: try windowed.map(voiItem)) }

        // Modality LUT
        if let rescale, let slope = DecimalString.format(rescale.slope), let intercept = DecimalString.format(rescale.intercept) {
            ds.set(.rescaleIntercept, .DS, intercept)
            ds.set(.rescaleSlope, .DS, slope)
            ds.set(.rescaleType, .LO, rescale.type.isEmpty ? "US" : rescale.type)
        }

        // Graphic Annotation and Graphic Layer
        var layers: [String] = []
        var annotations: [WritableDataSet] = []
        for image in images {
            var imageLayers: [String] = []
            for l in image.graphics.map(\.layer) + image.texts.map(\.layer) where !imageLayers.contains(l) { imageLayers.append(l) }
            for layer in imageLayers {
                if !layers.contains(layer) { layers.append(layer) }
                annotations.append(try annotationItem(image, layer: layer))
            }
        }
        if !annotations.isEmpty {
            ds.set(Tag(0x0070, 0x0001), sequence: annotations)
            ds.set(Tag(0x0070, 0x0060), sequence: layers.enumerated().map { i, name in
                var l = WritableDataSet()
                l.set(Tag(0x0070, 0x0002), .CS, Self.contentLabel(name))
                l.set(Tag(0x0070, 0x0062), .IS, String(i + 1))
                l.set(Tag(0x0070, 0x0066), .US, .uint16([0xFFFF]))
                l.set(Tag(0x0070, 0x0068), .LO, String((layerDescriptions[name] ?? name).prefix(64)))
                return l
            })
        }

        // Spatial Transformation: none
        ds.set(Tag(0x0070, 0x0041), .CS, "N")
        ds.set(Tag(0x0070, 0x0042), .US, .uint16([0]))

        // Softcopy Presentation LUT
        ds.set(Tag(0x2050, 0x0020), .CS, inverse ? "INVERSE" : "IDENTITY")

        CompositeHeader.addSOPCommon(to: &ds, sopClass: Self.sopClassUID, sopInstance: sopInstanceUID, created: created)
        return ds
    }

    /// The Part 10 bytes.
    public func data() throws -> Data { try Part10Writer.data(try dataSet()) }

    /// Writes the presentation state to `url` atomically.
    public func write(to url: URL) throws { try Part10Writer.write(try dataSet(), to: url) }

    /// A CS value: upper case letters, digits, space and underscore, 16 at most (others become `_`).
    static func contentLabel(_ s: String) -> String {
        let cleaned = String(s.uppercased().map { c -> Character in
            c.isASCII && (c.isLetter || c.isNumber || c == " " || c == "_") ? c : "_"
        }.prefix(16))
        return cleaned.isEmpty ? "LAYER" : cleaned
    }

    func referencedImage(_ image: SOPReference) -> WritableDataSet { image.item }

    func displayedAreaItem(_ p: ImagePresentation) -> WritableDataSet {
        var item = WritableDataSet()
        item.set(Tag(0x0008, 0x1140), sequence: [referencedImage(p.image)])
        let a = p.displayedArea.isValid ? p.displayedArea : DisplayedArea(columns: 1, rows: 1)
        item.set(Tag(0x0070, 0x0052), .SL, .int32([Self.clamp(a.left), Self.clamp(a.top)]))
        item.set(Tag(0x0070, 0x0053), .SL, .int32([Self.clamp(a.right), Self.clamp(a.bottom)]))
        item.set(Tag(0x0070, 0x0100), .CS, "SCALE TO FIT")
        if let s = p.pixelSpacing, s.count == 2, s.allSatisfy({ $0 > 0 && $0.isFinite }),
           let r = DecimalString.format(s[0]), let c = DecimalString.format(s[1]) {
            item.set(Tag(0x0070, 0x0101), .DS, strings: [r, c])
        } else {
            item.set(Tag(0x0070, 0x0102), .IS, strings: ["1", "1"])
        }
        return item
    }

    func voiItem(_ p: ImagePresentation) throws -> WritableDataSet {
        var item = WritableDataSet()
        item.set(Tag(0x0008, 0x1140), sequence: [referencedImage(p.image)])
        guard let (c, w) = p.window, let cs = DecimalString.format(c), let ws = DecimalString.format(w) else { return item }
        item.set(.windowCenter, .DS, cs)
        item.set(.windowWidth, .DS, ws)
        if let f = p.voiFunction, ["LINEAR", "LINEAR_EXACT", "SIGMOID"].contains(f) { item.set(.voiLUTFunction, .CS, f) }
        return item
    }

    func annotationItem(_ p: ImagePresentation, layer: String) throws -> WritableDataSet {
        var item = WritableDataSet()
        item.set(Tag(0x0008, 0x1140), sequence: [referencedImage(p.image)])
        item.set(Tag(0x0070, 0x0002), .CS, Self.contentLabel(layer))
        let graphics = try p.graphics.filter { $0.layer == layer }.map(graphicItem)
        if !graphics.isEmpty { item.set(Tag(0x0070, 0x0009), sequence: graphics) }
        let texts = p.texts.filter { $0.layer == layer }.compactMap(textItem)
        if !texts.isEmpty { item.set(Tag(0x0070, 0x0008), sequence: texts) }
        return item
    }

    func graphicItem(_ g: PresentationGraphic) throws -> WritableDataSet {
        guard g.points.count >= g.kind.minimumPoints, g.points.count <= 0xFFFF,
              g.points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else {
            throw BuildError.badGraphic("\(g.kind.rawValue) with \(g.points.count) point(s)")
        }
        var item = WritableDataSet()
        item.set(Tag(0x0070, 0x0005), .CS, "PIXEL")
        item.set(Tag(0x0070, 0x0020), .US, .uint16([2]))
        item.set(Tag(0x0070, 0x0021), .US, .uint16([UInt16(g.points.count)]))
        item.set(Tag(0x0070, 0x0022), .FL, .float32(g.points.flatMap { [Float($0.x + 0.5), Float($0.y + 0.5)] }))
        item.set(Tag(0x0070, 0x0023), .CS, g.kind.rawValue)
        if g.isClosed { item.set(Tag(0x0070, 0x0024), .CS, g.filled ? "Y" : "N") }
        return item
    }

    func textItem(_ t: PresentationText) -> WritableDataSet? {
        guard !t.text.isEmpty, t.anchor.x.isFinite, t.anchor.y.isFinite else { return nil }
        var item = WritableDataSet()
        item.set(Tag(0x0070, 0x0004), .CS, "PIXEL")
        item.set(Tag(0x0070, 0x0006), .ST, String(t.text.prefix(1024)))
        item.set(Tag(0x0070, 0x0014), .FL, .float32([Float(t.anchor.x + 0.5), Float(t.anchor.y + 0.5)]))
        item.set(Tag(0x0070, 0x0015), .CS, t.anchorVisible ? "Y" : "N")
        return item
    }

    static func clamp(_ v: Int) -> Int32 { Int32(clamping: v) }
}
