/// Copying parsed elements into a data set being written (e.g. the Patient and General Study modules
/// of a source image into an SR that describes it).
extension WritableDataSet {
    /// The elements of `source` whose tags are in `tags` (all when nil), sequences copied item by item.
    /// Text is decoded with the source's character set and re-encoded by the writer; binary values of a
    /// big-endian source are swapped to little endian. Encapsulated pixel data is not copied.
    public init(copying source: DataSet, tags: Set<Tag>? = nil) {
        self.init()
        for e in source.elements where tags?.contains(e.tag) ?? true {
            if e.tag.group == 0x0002 || e.tag == .specificCharacterSet { continue }
            if let value = Self.copyValue(e, from: source) { set(e.tag, Self.copyVR(e, in: source), value) }
        }
    }

    /// Copies one element of `source` here (absent elements are skipped, so optional attributes stay absent).
    public mutating func copy(_ tag: Tag, from source: DataSet) {
        guard let e = source[tag], let value = Self.copyValue(e, from: source) else { return }
        set(tag, Self.copyVR(e, in: source), value)
    }

    private static func copyVR(_ e: DataElement, in source: DataSet) -> VR {
        if case .unknown = e.vr { return .UN }
        if e.vr == .UN, case .bytes = e.value { return .UN }
        return source.effectiveVR(e)
    }

    private static func copyValue(_ e: DataElement, from source: DataSet) -> WritableValue? {
        switch e.value {
        case let .sequence(items):
            return .sequence(items.map { WritableDataSet(copying: $0) })
        case .encapsulated:
            return nil
        case let .bytes(range):
            let vr = copyVR(e, in: source)
            if vr.isText {
                return .text(range.isEmpty ? [] : source.strings(e.tag))
            }
            var raw = source.buffer.bytes(range)
            let width: Int
            switch vr {
            case .US, .SS, .OW: width = 2
            case .UL, .SL, .FL, .OF, .OL, .AT: width = 4
            case .FD, .OD, .SV, .UV, .OV: width = 8
            default: width = 1
            }
            if source.byteOrder == .big && width > 1 {
                // AT is two 16-bit numbers, not one 32-bit number.
                let unit = vr == .AT ? 2 : width
                var i = 0
                while i + unit <= raw.count { raw[i ..< i + unit].reverse(); i += unit }
            }
            return .bytes(raw)
        }
    }
}
