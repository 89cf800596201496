/// Formats one element's value for people (the dump) — text decoded, numbers listed, bytes abbreviated.
public enum ElementValueFormatter {
    /// At most this many values or bytes are shown for long binary elements.
    public static let maximumShownValues = 16

    public static func format(_ e: DataElement, in ds: DataSet) -> String {
        switch e.value {
        case let .sequence(items):
            return "(Sequence with \(e.length == DataElement.undefinedLength ? "undefined" : "explicit") length #=\(items.count))"
        case let .encapsulated(p):
            return "(PixelSequence #=\(p.fragments.count + 1): offset table of \(p.basicOffsetTable.count) entries, \(p.fragments.count) fragments)"
        case let .bytes(range):
            if range.isEmpty { return "(no value available)" }
            let vr = ds.effectiveVR(e)
            if vr.isText {
                return "[" + (ds.string(e.tag) ?? "") + "]"
            }
            switch vr {
            case .US, .SS, .UL, .SL, .FL, .FD, .SV, .UV:
                let values = ds.doubles(e.tag)
                let shown = values.prefix(maximumShownValues).map { v -> String in
                    v.rounded() == v && abs(v) < 1e15 ? String(Int64(v)) : String(v)
                }
                return shown.joined(separator: "\\") + (values.count > maximumShownValues ? "\\..." : "")
            case .AT:
                return ds.attributeTags(e.tag).map(\.description).joined(separator: "\\")
            default:
                let n = min(range.count, maximumShownValues)
                let head = ds.buffer.bytes(range.lowerBound ..< range.lowerBound + n)
                    .map { b -> String in let s = String(b, radix: 16); return s.count == 1 ? "0" + s : s }
                return head.joined(separator: "\\") + (range.count > n ? "\\..." : "")
            }
        }
    }
}
