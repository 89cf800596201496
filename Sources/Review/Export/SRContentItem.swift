import DICOM

/// One node of an SR content tree (PS3.3 C.17.3): a concept name, a typed value, and children joined
/// to it by a relationship. `dataSet` encodes it as a Content Sequence item.
public struct SRContentItem: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case container
        case text(String)
        case code(CodedConcept)
        case num(Double, unit: CodedConcept)
        case uidref(String)
        case pname(String)
        case datetime(String)
        /// A reference to an image (SOP Class, SOP Instance).
        case image(sopClass: String, sopInstance: String)
        /// Image coordinates (column, row pairs) on the image named by a SELECTED FROM child.
        case scoord(graphicType: String, points: [Float])
        /// Patient coordinates (x, y, z triples, mm) in a frame of reference.
        case scoord3D(graphicType: String, points: [Double], frameOfReference: String)

        var valueType: String {
            switch self {
            case .container: "CONTAINER"; case .text: "TEXT"; case .code: "CODE"; case .num: "NUM"
            case .uidref: "UIDREF"; case .pname: "PNAME"; case .datetime: "DATETIME"; case .image: "IMAGE"
            case .scoord: "SCOORD"; case .scoord3D: "SCOORD3D"
            }
        }
    }

    /// `CONTAINS`, `HAS OBS CONTEXT`, `HAS CONCEPT MOD`, `HAS PROPERTIES`, `SELECTED FROM`, `INFERRED FROM`.
    public var relationship: String
    public var concept: CodedConcept?
    public var value: Value
    public var children: [SRContentItem]

    public init(_ relationship: String, _ concept: CodedConcept?, _ value: Value, children: [SRContentItem] = []) {
        self.relationship = relationship; self.concept = concept; self.value = value; self.children = children
    }

    /// The item's attributes; `root` leaves out the relationship (the document itself is the root).
    func dataSet(root: Bool = false) throws -> WritableDataSet {
        var ds = WritableDataSet()
        if !root { ds.set(Tag(0x0040, 0xA010), .CS, relationship) }
        ds.set(Tag(0x0040, 0xA040), .CS, value.valueType)
        if let concept { ds.set(Tag(0x0040, 0xA043), sequence: [concept.item]) }
        switch value {
        case .container:
            ds.set(Tag(0x0040, 0xA050), .CS, "SEPARATE")
        case let .text(s):
            ds.set(Tag(0x0040, 0xA160), .UT, s)
        case let .code(c):
            ds.set(Tag(0x0040, 0xA168), sequence: [c.item])
        case let .num(v, unit):
            guard let ds16 = DecimalString.format(v) else {
                throw DICOMWriteError.invalidCharacters(tag: Tag(0x0040, 0xA30A), vr: "DS", value: "\(v)")
            }
            var mv = WritableDataSet()
            mv.set(Tag(0x0040, 0x08EA), sequence: [unit.item])
            mv.set(Tag(0x0040, 0xA30A), .DS, ds16)
            ds.set(Tag(0x0040, 0xA300), sequence: [mv])
        case let .uidref(u):
            ds.set(Tag(0x0040, 0xA124), .UI, u)
        case let .pname(p):
            ds.set(Tag(0x0040, 0xA123), .PN, p)
        case let .datetime(dt):
            ds.set(Tag(0x0040, 0xA120), .DT, dt)
        case let .image(cls, inst):
            var ref = WritableDataSet()
            ref.set(Tag(0x0008, 0x1150), .UI, cls)
            ref.set(Tag(0x0008, 0x1155), .UI, inst)
            ds.set(Tag(0x0008, 0x1199), sequence: [ref])
        case let .scoord(type, points):
            ds.set(Tag(0x0070, 0x0022), .FL, .float32(points))
            ds.set(Tag(0x0070, 0x0023), .CS, type)
        case let .scoord3D(type, points, frame):
            // Graphic Data is FL for SCOORD3D too (PS3.3 C.18.9.1).
            ds.set(Tag(0x0070, 0x0022), .FL, .float32(points.map { Float($0) }))
            ds.set(Tag(0x0070, 0x0023), .CS, type)
            ds.set(Tag(0x3006, 0x0024), .UI, frame)
        }
        if !children.isEmpty {
            ds.set(Tag(0x0040, 0xA730), sequence: try children.map { try $0.dataSet() })
        }
        return ds
    }
}

/// A content item as read from a parsed SR: the parts a reader needs, with its children.
public struct SRParsedItem: Sendable {
    public var relationship: String
    public var valueType: String
    public var concept: CodedConcept?
    public var text: String?
    public var code: CodedConcept?
    public var number: Double?
    public var unit: CodedConcept?
    /// IMAGE: referenced SOP Class and Instance UIDs.
    public var referencedSOPClass: String?
    public var referencedSOP: String?
    public var graphicType: String?
    public var graphicData: [Double]
    public var frameOfReference: String?
    public var children: [SRParsedItem]

    /// Reads `item` and its Content Sequence. Nesting deeper than `depthLimit` is cut off, so a hostile
    /// file cannot recurse without bound.
    public init(_ item: DataSet, depthLimit: Int = 64) {
        relationship = item.string(Tag(0x0040, 0xA010)) ?? ""
        valueType = item.string(Tag(0x0040, 0xA040)) ?? ""
        concept = item.sequence(Tag(0x0040, 0xA043)).first.flatMap(CodedConcept.init(item:))
        text = item.string(Tag(0x0040, 0xA160)) ?? item.string(Tag(0x0040, 0xA124)) ?? item.string(Tag(0x0040, 0xA123))
            ?? item.string(Tag(0x0040, 0xA120))
        code = item.sequence(Tag(0x0040, 0xA168)).first.flatMap(CodedConcept.init(item:))
        let mv = item.sequence(Tag(0x0040, 0xA300)).first
        number = mv.flatMap { $0.double(Tag(0x0040, 0xA161)) ?? $0.double(Tag(0x0040, 0xA30A)) }.flatMap { $0.isFinite ? $0 : nil }
        unit = mv?.sequence(Tag(0x0040, 0x08EA)).first.flatMap(CodedConcept.init(item:))
        let ref = item.sequence(Tag(0x0008, 0x1199)).first
        referencedSOPClass = ref?.string(Tag(0x0008, 0x1150))
        referencedSOP = ref?.string(Tag(0x0008, 0x1155))
        graphicType = item.string(Tag(0x0070, 0x0023))
        graphicData = item.doubles(Tag(0x0070, 0x0022)).filter(\.isFinite)
        frameOfReference = item.string(Tag(0x3006, 0x0024))
        children = depthLimit > 0 ? item.sequence(Tag(0x0040, 0xA730)).map { SRParsedItem($0, depthLimit: depthLimit - 1) } : []
    }

    /// Direct children with concept `c`.
    func children(_ c: CodedConcept) -> [SRParsedItem] { children.filter { $0.concept?.matches(c) ?? false } }
    func child(_ c: CodedConcept) -> SRParsedItem? { children(c).first }

    /// Every item below this one, depth first.
    var descendants: [SRParsedItem] { children.flatMap { [$0] + $0.descendants } }
}
