/// The DICOM JSON Model (PS3.18 §F.2): `{"GGGGEEEE": {"vr": "PN", "Value": [...]}}` as Foundation
/// property-list values, ready for `JSONSerialization`. Bulk data (OB/OW/UN, pixel data) is described
/// by its length rather than inlined.
public enum DICOMJSONEncoder {
    public static func object(_ ds: DataSet) -> [String: Any] {
        var out: [String: Any] = [:]
        for e in ds.elements {
            let key = hex(e.tag)
            var entry: [String: Any] = ["vr": ds.effectiveVR(e).code]
            switch e.value {
            case let .sequence(items):
                entry["vr"] = "SQ"
                if !items.isEmpty { entry["Value"] = items.map(object) }
            case let .encapsulated(p):
                entry["BulkDataLength"] = p.fragments.reduce(0) { $0 + $1.count }
                entry["Fragments"] = p.fragments.count
            case let .bytes(range):
                let vr = ds.effectiveVR(e)
                if vr == .PN {
                    let values = ds.strings(e.tag)
                    if !values.isEmpty {
                        entry["Value"] = values.map { v -> [String: String] in
                            let groups = v.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
                            var pn: [String: String] = [:]
                            for (k, name) in ["Alphabetic", "Ideographic", "Phonetic"].enumerated() where k < groups.count && !groups[k].isEmpty {
                                pn[name] = groups[k]
                            }
                            return pn
                        }
                    }
                } else if vr == .IS || vr == .DS {
                    let values = ds.strings(e.tag)
                    if !values.isEmpty { entry["Value"] = values.map { Double($0).map { $0 as Any } ?? ($0 as Any) } }
                } else if vr.isText {
                    let values = ds.strings(e.tag)
                    if !values.isEmpty { entry["Value"] = values }
                } else if vr == .AT {
                    entry["Value"] = ds.attributeTags(e.tag).map(hex)
                } else if [.US, .SS, .UL, .SL, .FL, .FD, .SV, .UV].contains(vr) {
                    let values = ds.doubles(e.tag)
                    if !values.isEmpty { entry["Value"] = values }
                } else {
                    entry["BulkDataLength"] = range.count
                }
            }
            out[key] = entry
        }
        return out
    }

    static func hex(_ tag: Tag) -> String { Tag.hex4(tag.group) + Tag.hex4(tag.element) }
}
