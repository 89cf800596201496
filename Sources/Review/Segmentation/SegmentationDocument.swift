import DICOM
import Foundation

/// A DICOM Segmentation (Segmentation Storage, PS3.3 A.51) of the AI's masks: BINARY, one segment per
/// finding (algorithm type AUTOMATIC, the model as the algorithm), on the source images' own grid.
///
/// Modules: Patient and General Study (`CompositeHeader`, as the SR has them), General Series and
/// Segmentation Series, Frame of Reference (when the images have one), General and Enhanced General
/// Equipment, General Image, Image Pixel, Segmentation Image (Segment Sequence), Multi-frame
/// Functional Groups (shared Pixel Measures and Plane Orientation; per frame Derivation Image, Frame
/// Content, Plane Position, Segment Identification), Multi-frame Dimension (segment, then position),
/// Common Instance Reference, SOP Common. A frame is one segment on one source image; images where a
/// segment is empty have no frame for it.
///
/// Frames must share one grid: masks on images of another size than the first mask's are left out
/// (`leftOut` names them) — one SEG per series is what viewers expect anyway.
public struct SegmentationDocument: Sendable {
    /// One segment: a finding's mask and what the segment sequence says about it.
    public struct Segment: Sendable {
        public var mask: FindingMask
        /// Segment Description, e.g. "solid nodule, p 0.93, reader: accepted".
        public var description: String
        public init(mask: FindingMask, description: String) { self.mask = mask; self.description = description }
    }

    public private(set) var segments: [Segment]
    public private(set) var leftOut: [FindingMask] = []
    public var images: [String: SegmentationSourceImage]
    /// A parsed header of an image of the study (patient and study modules).
    public var source: DataSet
    public var seriesInstanceUID = UIDGenerator.make()
    public var sopInstanceUID = UIDGenerator.make()
    public var seriesNumber = 991
    public var seriesDescription = "Lightbox AI segmentation"
    public var softwareVersion = ReviewModule.version
    public var created = Date()
    public var deidentified = false
    /// FRACTIONAL (PROBABILITY, 8 bits, 255 = 1): each frame holds the AI's probability inside the
    /// finding's mask, 0 outside; BINARY (1 bit) otherwise.
    public var fractional = false

    public init(segments: [Segment], images: [String: SegmentationSourceImage], source: DataSet) {
        self.images = images; self.source = source
        let grid = segments.lazy.compactMap { $0.mask.planes.first.flatMap { images[$0.sopInstanceUID] } }.first
        var kept: [Segment] = []
        for s in segments {
            let fits = s.mask.planes.allSatisfy { p in
                guard let img = images[p.sopInstanceUID], let grid else { return false }
                return img.rows == grid.rows && img.columns == grid.columns && p.pixels.count == img.rows * img.columns
            }
            if fits && !s.mask.planes.isEmpty { kept.append(s) } else { leftOut.append(s.mask) }
        }
        self.segments = kept
    }

    /// One frame: segment `segment` (1-based) on `image`.
    struct Frame {
        var segment: Int
        var image: SegmentationSourceImage
        var pixels: [UInt8]
        var probabilities: [Float]?
    }

    var frames: [Frame] {
        segments.enumerated().flatMap { n, s in
            s.mask.planes.compactMap { p in images[p.sopInstanceUID].map { Frame(segment: n + 1, image: $0, pixels: p.pixels, probabilities: p.probabilities) } }
                .sorted { ($0.image.normalPosition ?? Double($0.image.instanceNumber)) < ($1.image.normalPosition ?? Double($1.image.instanceNumber)) }
        }
    }

    /// The images' common plane geometry: every frame's image has a plane in one frame of reference.
    var frameOfReferenceUID: String? {
        let uids = Set(frames.map { $0.image.plane?.frameOfReferenceUID ?? "" })
        guard uids.count == 1, let uid = uids.first, !uid.isEmpty else { return nil }
        return uid
    }

    public enum Problem: Error, CustomStringConvertible {
        case noSegments
        public var description: String { "no finding has a mask on the study's images" }
    }

    public func dataSet() throws -> WritableDataSet {
        let frames = frames
        guard let first = frames.first else { throw Problem.noSegments }
        var ds = try CompositeHeader.study(from: source, deidentified: deidentified)
        CompositeHeader.addSeries(to: &ds, modality: "SEG", uid: seriesInstanceUID, number: seriesNumber,
                                  description: seriesDescription, created: created)
        CompositeHeader.addEquipment(to: &ds, softwareVersion: softwareVersion)
        CompositeHeader.addSOPCommon(to: &ds, sopClass: SegmentationCodes.segmentationStorageClassUID,
                                     sopInstance: sopInstanceUID, created: created)
        let forUID = frameOfReferenceUID
        if let forUID {
            ds.set(.frameOfReferenceUID, .UI, forUID)
            ds.set(Tag(0x0020, 0x1040), .LO, "")  // Position Reference Indicator, Type 2
        }

        // General Image, Segmentation Image and Multi-frame Functional Groups
        ds.set(.instanceNumber, .IS, "1")
        // Patient Orientation, Type 2C: required without Plane Orientation; the first frame's image's.
        if forUID == nil { ds.set(Tag(0x0020, 0x0020), .CS, strings: first.image.patientOrientation) }
        ds.set(Tag(0x0008, 0x0023), .DA, DICOMDate.date(created))
        ds.set(Tag(0x0008, 0x0033), .TM, DICOMDate.time(created))
        ds.set(Tag(0x0008, 0x0008), .CS, strings: ["DERIVED", "PRIMARY"])
        ds.set(Tag(0x0070, 0x0080), .CS, "AI_FINDINGS")  // Content Label
        ds.set(Tag(0x0070, 0x0081), .LO, "AI findings as reviewed in Lightbox")
        ds.set(Tag(0x0070, 0x0084), .PN, "")  // Content Creator's Name, Type 2
        if fractional {
            ds.set(Tag(0x0062, 0x0001), .CS, "FRACTIONAL")
            ds.set(Tag(0x0062, 0x0010), .CS, "PROBABILITY")
            ds.set(Tag(0x0062, 0x000E), .US, .uint16([255]))  // Maximum Fractional Value
        } else {
            ds.set(Tag(0x0062, 0x0001), .CS, "BINARY")
        }
        ds.set(Tag(0x0062, 0x0013), .CS, "UNDEFINED")  // Segments Overlap: not checked
        ds.set(Tag(0x0028, 0x2110), .CS, "00")  // Lossy Image Compression
        ds.set(Tag(0x0062, 0x0002), sequence: segments.enumerated().map { Self.segmentItem($1, number: $0 + 1) })

        // Image Pixel
        ds.set(Tag(0x0028, 0x0002), .US, .uint16([1]))
        ds.set(Tag(0x0028, 0x0004), .CS, "MONOCHROME2")
        ds.set(.rows, .US, .uint16([UInt16(first.image.rows)]))
        ds.set(.columns, .US, .uint16([UInt16(first.image.columns)]))
        let bits: UInt16 = fractional ? 8 : 1
        ds.set(Tag(0x0028, 0x0100), .US, .uint16([bits]))
        ds.set(Tag(0x0028, 0x0101), .US, .uint16([bits]))
        ds.set(Tag(0x0028, 0x0102), .US, .uint16([bits - 1]))
        ds.set(Tag(0x0028, 0x0103), .US, .uint16([0]))
        ds.set(.numberOfFrames, .IS, String(frames.count))
        if fractional {
            var bytes = frames.flatMap { f in
                (f.probabilities ?? f.pixels.map(Float.init)).enumerated().map { i, p in
                    f.pixels[i] == 0 ? 0 : Self.fraction(p)
                }
            }
            if bytes.count % 2 == 1 { bytes.append(0) }
            ds.set(.pixelData, .OB, .bytes(bytes))
        } else {
            ds.set(.pixelData, .OB, .bytes(BinaryFramePacking.pack(frames.map(\.pixels))))
        }

        // Multi-frame Dimension: segment, then (with a plane) position
        let dimensionUID = UIDGenerator.make()
        var organisation = WritableDataSet()
        organisation.set(Tag(0x0020, 0x9164), .UI, dimensionUID)
        ds.set(Tag(0x0020, 0x9221), sequence: [organisation])
        if forUID != nil { ds.set(Tag(0x0020, 0x9311), .CS, "3D") }
        var dims = [Self.dimension(Tag(0x0062, 0x000B), in: Tag(0x0062, 0x000A), uid: dimensionUID, label: "Segment")]
        if forUID != nil {
            dims.append(Self.dimension(.imagePositionPatient, in: Tag(0x0020, 0x9113), uid: dimensionUID, label: "Position"))
        }
        ds.set(Tag(0x0020, 0x9222), sequence: dims)

        // Shared: Pixel Measures, Plane Orientation
        var shared = WritableDataSet()
        if forUID != nil, let plane = first.image.plane {
            var measures = WritableDataSet()
            measures.set(.pixelSpacing, .DS, strings: [plane.rowSpacing, plane.columnSpacing].compactMap(DecimalString.format))
            let thickness = first.image.sliceThickness ?? Self.sliceSpacing(frames) ?? 1
            measures.set(.sliceThickness, .DS, DecimalString.format(thickness) ?? "1")
            shared.set(Tag(0x0028, 0x9110), sequence: [measures])
            var orientation = WritableDataSet()
            orientation.set(.imageOrientationPatient, .DS, strings: (plane.rowDirection + plane.columnDirection).compactMap(DecimalString.format))
            shared.set(Tag(0x0020, 0x9116), sequence: [orientation])
        }
        ds.set(Tag(0x5200, 0x9229), sequence: [shared])

        // Per frame: Derivation Image, Frame Content, Plane Position, Segment Identification
        let positions = Array(Set(frames.compactMap(\.image.normalPosition))).sorted()
        ds.set(Tag(0x5200, 0x9230), sequence: frames.map { f in
            var item = WritableDataSet()
            var sourceImage = WritableDataSet()
            sourceImage.set(Tag(0x0008, 0x1150), .UI, f.image.sopClassUID)
            sourceImage.set(Tag(0x0008, 0x1155), .UI, f.image.sopInstanceUID)
            sourceImage.set(Tag(0x0040, 0xA170), sequence: [SegmentationCodes.sourceForProcessing.item])
            sourceImage.set(Tag(0x0028, 0x135A), .CS, "YES")  // Spatial Locations Preserved: the mask is on the source grid
            var derivation = WritableDataSet()
            derivation.set(Tag(0x0008, 0x2112), sequence: [sourceImage])
            derivation.set(Tag(0x0008, 0x9215), sequence: [SegmentationCodes.segmentation.item])
            item.set(Tag(0x0008, 0x9124), sequence: [derivation])
            var index: [UInt32] = [UInt32(f.segment)]
            if forUID != nil, let plane = f.image.plane, let z = f.image.normalPosition {
                index.append(UInt32((positions.firstIndex(of: z) ?? 0) + 1))
                var position = WritableDataSet()
                position.set(.imagePositionPatient, .DS, strings: plane.origin.compactMap(DecimalString.format))
                item.set(Tag(0x0020, 0x9113), sequence: [position])
            }
            var content = WritableDataSet()
            content.set(Tag(0x0020, 0x9157), .UL, .uint32(index))
            item.set(Tag(0x0020, 0x9111), sequence: [content])
            var identification = WritableDataSet()
            identification.set(Tag(0x0062, 0x000B), .US, .uint16([UInt16(f.segment)]))
            item.set(Tag(0x0062, 0x000A), sequence: [identification])
            return item
        })

        // Common Instance Reference: every source image, by series
        var bySeries: [String: [SegmentationSourceImage]] = [:]
        var seen = Set<String>()
        for f in frames where seen.insert(f.image.sopInstanceUID).inserted { bySeries[f.image.seriesInstanceUID, default: []].append(f.image) }
        ds.set(Tag(0x0008, 0x1115), sequence: bySeries.keys.sorted().map { series in
            var s = WritableDataSet()
            s.set(.seriesInstanceUID, .UI, series)
            s.set(Tag(0x0008, 0x114A), sequence: bySeries[series]!.map { img in
                var r = WritableDataSet()
                r.set(Tag(0x0008, 0x1150), .UI, img.sopClassUID)
                r.set(Tag(0x0008, 0x1155), .UI, img.sopInstanceUID)
                return r
            })
            return s
        })
        return ds
    }

    public func data() throws -> Data { try Part10Writer.data(try dataSet()) }

    public func write(to url: URL) throws { try Part10Writer.write(try dataSet(), to: url) }

    /// The frame count.
    public var frameCount: Int { segments.reduce(0) { $0 + $1.mask.planes.count } }

    static func segmentItem(_ s: Segment, number: Int) -> WritableDataSet {
        var item = WritableDataSet()
        item.set(Tag(0x0062, 0x0004), .US, .uint16([UInt16(number)]))
        item.set(Tag(0x0062, 0x0005), .LO, String("\(number) \(s.mask.label)".prefix(64)))
        item.set(Tag(0x0062, 0x0006), .ST, s.description)
        item.set(Tag(0x0062, 0x0008), .CS, "AUTOMATIC")
        item.set(Tag(0x0062, 0x0009), .LO, String(s.mask.model.id.prefix(64)))
        var algorithm = WritableDataSet()
        algorithm.set(Tag(0x0066, 0x002F), sequence: [SegmentationCodes.artificialIntelligence.item])
        algorithm.set(Tag(0x0066, 0x0036), .LO, String(s.mask.model.id.prefix(64)))
        algorithm.set(Tag(0x0066, 0x0031), .LO, String((s.mask.model.version.isEmpty ? "unknown" : s.mask.model.version).prefix(64)))
        if !s.mask.model.sha256.isEmpty {
            algorithm.set(Tag(0x0066, 0x0032), .LT, "sha256=\(s.mask.model.sha256)")
        }
        item.set(Tag(0x0062, 0x0007), sequence: [algorithm])
        item.set(Tag(0x0062, 0x0003), sequence: [SegmentationCodes.morphologicallyAbnormalStructure.item])
        item.set(Tag(0x0062, 0x000F), sequence: [SegmentationCodes.propertyType(label: s.mask.label).item])
        item.set(Tag(0x0062, 0x0020), .UT, String(s.mask.findingKey))  // Tracking ID: the finding's key
        item.set(Tag(0x0062, 0x0021), .UI, s.mask.trackingUID ?? Self.trackingUID(s.mask.findingKey))
        return item
    }

    /// A probability as a fractional value: ⌊p·255 + 0.5⌋ in 0…255 (p clamped to 0…1).
    static func fraction(_ p: Float) -> UInt8 {
        UInt8((min(max(p, 0), 1) * 255 + 0.5).rounded(.down))
    }

    static func dimension(_ pointer: Tag, in group: Tag, uid: String, label: String) -> WritableDataSet {
        var d = WritableDataSet()
        d.set(Tag(0x0020, 0x9164), .UI, uid)
        d.set(Tag(0x0020, 0x9165), .AT, .tags([pointer]))
        d.set(Tag(0x0020, 0x9167), .AT, .tags([group]))
        d.set(Tag(0x0020, 0x9421), .LO, label)
        return d
    }

    /// Distance between neighbouring frame positions, when they are evenly spaced.
    static func sliceSpacing(_ frames: [Frame]) -> Double? {
        let z = Array(Set(frames.compactMap(\.image.normalPosition))).sorted()
        guard z.count > 1 else { return nil }
        return zip(z.dropFirst(), z).map { $0 - $1 }.min()
    }

    /// A UID stable for the finding's key, so the same finding keeps its Tracking UID across exports.
    static func trackingUID(_ key: String) -> String { StableUID.make(key) }
}
