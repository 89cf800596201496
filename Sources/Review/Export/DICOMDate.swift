import Foundation

/// DICOM DA, TM and DT strings in UTC.
enum DICOMDate {
    private static func formatter(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format
        return f
    }

    static func date(_ d: Date) -> String { formatter("yyyyMMdd").string(from: d) }
    static func time(_ d: Date) -> String { formatter("HHmmss").string(from: d) }
    /// UTC without an offset suffix: the document says `+0000` once in Timezone Offset From UTC
    /// (0008,0201). (DCMTK 3.6.7's SR reader rejects DT values that carry an offset.)
    static func dateTime(_ d: Date) -> String { formatter("yyyyMMddHHmmss.SSS").string(from: d) }

    /// DT back to ISO 8601, for findings read from an SR (read as UTC; an offset suffix is ignored).
    static func iso(fromDICOM dt: String) -> String? {
        let core = String(dt.prefix(18))
        guard let d = formatter("yyyyMMddHHmmss.SSS").date(from: core) ?? formatter("yyyyMMddHHmmss").date(from: String(dt.prefix(14))) else {
            return nil
        }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
