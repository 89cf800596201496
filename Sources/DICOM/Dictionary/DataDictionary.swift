/// The DICOM data dictionary (PS3.6): VR, keyword and VM for each standard tag.
///
/// The table is generated from DCMTK's `dicom.dic` by Tools/dictionary/generate_dictionary.py and parsed
/// once, on first use (about a millisecond). Lookups are O(1) for exact tags; the ~80 repeating-group
/// entries (60xx overlays, 50xx curves, private creator blocks) are scanned after that.
public enum DataDictionary {
    public struct Entry: Sendable {
        public let tag: Tag
        public let vr: VR
        public let keyword: String
        public let vm: String
        /// The VR depends on context (US/SS by Pixel Representation, OB/OW by transfer syntax).
        public let ambiguousVR: Bool
        public let retired: Bool
    }

    private struct RangeEntry: Sendable {
        let groups: ClosedRange<UInt16>
        let elements: ClosedRange<UInt16>
        let entry: Entry
    }

    private struct Tables: Sendable {
        var exact: [UInt32: Entry] = [:]
        var ranged: [RangeEntry] = []
        var byKeyword: [String: Tag] = [:]
    }

    private static let tables: Tables = {
        var t = Tables()
        t.exact.reserveCapacity(5_000)
        for line in standardTable.split(separator: "\n") {
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count >= 4, cols[0].utf8.count == 16,
                  let lo = UInt32(cols[0].prefix(8), radix: 16), let hi = UInt32(cols[0].suffix(8), radix: 16),
                  let vr = VR(code: String(cols[1])) else { continue }
            let flags = cols.count > 4 ? cols[4] : ""
            let entry = Entry(tag: Tag(raw: lo), vr: vr, keyword: String(cols[2]), vm: String(cols[3]),
                              ambiguousVR: flags.contains("a"), retired: flags.contains("r"))
            if lo == hi {
                t.exact[lo] = entry
            } else {
                let l = Tag(raw: lo), h = Tag(raw: hi)
                t.ranged.append(RangeEntry(groups: l.group...h.group, elements: l.element...h.element, entry: entry))
            }
            if t.byKeyword[entry.keyword] == nil { t.byKeyword[entry.keyword] = entry.tag }
        }
        return t
    }()

    /// The dictionary entry for `tag`, or nil for private and unknown tags.
    public static func entry(for tag: Tag) -> Entry? {
        if let e = tables.exact[tag.raw] { return e }
        for r in tables.ranged where r.groups.contains(tag.group) && r.elements.contains(tag.element)
            && (r.groups.lowerBound & 1) == (tag.group & 1) {
            return r.entry
        }
        return nil
    }

    /// The VR an implicit-VR reader assumes for `tag` (UN when the dictionary does not know it).
    public static func vr(for tag: Tag) -> VR { entry(for: tag)?.vr ?? .UN }

    /// A display name: the keyword, "PrivateCreator" for private creators, or "Unknown"/"Private".
    public static func name(for tag: Tag) -> String {
        if tag.isPrivateCreator { return "PrivateCreator" }
        if tag.isPrivate { return tag.isGroupLength ? "PrivateGroupLength" : "PrivateTag" }
        return entry(for: tag)?.keyword ?? "UnknownTag"
    }

    /// The tag for a keyword such as "PatientName".
    public static func tag(forKeyword keyword: String) -> Tag? { tables.byKeyword[keyword] }

    /// Number of standard entries (for tests and `lightbox --version` style reports).
    public static var entryCount: Int { tables.exact.count + tables.ranged.count }
}
