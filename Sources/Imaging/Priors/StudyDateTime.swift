import Foundation

/// A study's Study Date (DA, YYYYMMDD) and Study Time (TM, HHMMSS.FFFFFF, parts optional) as one
/// comparable instant, in days since 1970-01-01 (UTC; DICOM dates carry no zone, and both studies
/// of a comparison come from the same place). Nil without a valid date; a missing or malformed
/// time counts as midnight.
public struct StudyDateTime: Comparable, Sendable, Hashable {
    /// Days since 1970-01-01 00:00, with the time of day as a fraction.
    public let days: Double

    public init?(date: String, time: String = "") {
        let d = date.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ".", with: "")
        guard d.count == 8, let y = Int(d.prefix(4)), let m = Int(d.dropFirst(4).prefix(2)), let day = Int(d.suffix(2)),
              (1 ... 12).contains(m), (1 ... 31).contains(day) else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        var total = Double(era * 146_097 + doe - 719_468)
        let t = time.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ":", with: "")
        let whole = t.split(separator: ".").first.map(String.init) ?? ""
        if whole.count >= 2, whole.allSatisfy(\.isNumber) {
            let h = Int(whole.prefix(2)) ?? 0
            let mi = whole.count >= 4 ? Int(whole.dropFirst(2).prefix(2)) ?? 0 : 0
            let s = whole.count >= 6 ? Int(whole.dropFirst(4).prefix(2)) ?? 0 : 0
            if h < 24, mi < 60, s < 61 { total += Double(h * 3600 + mi * 60 + s) / 86400 }
        }
        days = total
    }

    public init(header h: InstanceHeader) throws {
        guard let v = StudyDateTime(date: h.studyDate, time: h.studyTime) else { throw Invalid(date: h.studyDate) }
        self = v
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let date: String
        public var description: String { "study date '\(date)' is not a DICOM date (YYYYMMDD)" }
    }

    /// Days from `earlier` to this one.
    public func days(since earlier: StudyDateTime) -> Double { days - earlier.days }

    public static func < (a: StudyDateTime, b: StudyDateTime) -> Bool { a.days < b.days }
}
