import Foundation

/// BI-RADS assessment categories 0–5, as a screening reader records them per breast.
///
/// Recall: categories 0 (incomplete, needs further imaging), 3, 4 and 5 recall the woman for
/// assessment; 1 (negative) and 2 (benign) return her to routine screening. A study is recalled
/// when either breast is.
public enum BIRADS {
    public static let names = ["0 incomplete — recall", "1 negative", "2 benign", "3 probably benign", "4 suspicious", "5 highly suggestive of malignancy"]
    public static func isRecall(_ category: Int) -> Bool { [0, 3, 4, 5].contains(category) }
}

/// One step of a second-reader screening read. `start`: the study was first opened for the
/// blinded read; `assess`: per-breast BI-RADS recorded; `reveal`: the AI was shown; `sign`: the
/// read was signed with its final per-breast BI-RADS; `arbitrate`: a third reader settled the
/// discordances and signed.
public struct ScreeningEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case start, assess, reveal, sign, arbitrate }
    public var id: Int64
    public var reader: String
    public var at: String
    public var studyUID: String
    public var kind: Kind
    public var rightBIRADS: Int?
    public var leftBIRADS: Int?
    public var detail: String
    public init(id: Int64 = 0, reader: String, at: String = "", studyUID: String, kind: Kind, rightBIRADS: Int? = nil,
                leftBIRADS: Int? = nil, detail: String = "") {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID; self.kind = kind
        self.rightBIRADS = rightBIRADS; self.leftBIRADS = leftBIRADS; self.detail = detail
    }
}

/// Where reader and AI disagreed when the AI was revealed: a region the AI flagged that the reader
/// did not mark (`aiOnly`), or a reader mark the AI did not flag (`readerOnly`). Each needs a
/// decision (a row in `decisions` naming `findingKey`) before the study can be signed.
public struct DiscordanceRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case aiOnly = "ai_only", readerOnly = "reader_only" }
    public var id: Int64
    public var reader: String
    public var at: String
    public var studyUID: String
    public var findingKey: String
    public var kind: Kind
    public var label: String
    public var seriesUID: String
    public var sopUID: String
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    /// `R` or `L` (from the image's laterality), empty when unknown.
    public var laterality: String
    public var probability: Double?
    public init(id: Int64 = 0, reader: String, at: String = "", studyUID: String, findingKey: String, kind: Kind, label: String,
                seriesUID: String = "", sopUID: String, x: Double, y: Double, width: Double = 0, height: Double = 0,
                laterality: String = "", probability: Double? = nil) {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID; self.findingKey = findingKey; self.kind = kind
        self.label = label; self.seriesUID = seriesUID; self.sopUID = sopUID; self.x = x; self.y = y; self.width = width
        self.height = height; self.laterality = laterality; self.probability = probability
    }
}

/// A study waiting for a third reader: reader and AI disagreed and nobody has arbitrated.
public struct DiscordanceQueueItem: Sendable, Equatable {
    public var studyUID: String
    /// The first reader(s) whose read produced the discordance.
    public var readers: [String]
    public var aiOnly: Int
    public var readerOnly: Int
    public var revealedAt: String
}

/// A reader's screening figures over every study they signed in second-reader mode.
public struct ScreeningStats: Sendable, Equatable {
    public var reader: String
    public var studiesRead: Int
    /// Studies with BI-RADS 0, 3, 4 or 5 in either breast.
    public var recalls: Int
    /// Studies where the reveal found at least one discordance item.
    public var discordant: Int
    /// Seconds from the first `start` to the `sign`, one per study read.
    public var secondsPerStudy: [Double]

    public var recallRate: Double { studiesRead == 0 ? 0 : Double(recalls) / Double(studiesRead) }
    public var discordanceRate: Double { studiesRead == 0 ? 0 : Double(discordant) / Double(studiesRead) }
    public var meanSeconds: Double? { secondsPerStudy.isEmpty ? nil : secondsPerStudy.reduce(0, +) / Double(secondsPerStudy.count) }
    public var medianSeconds: Double? {
        guard !secondsPerStudy.isEmpty else { return nil }
        let s = secondsPerStudy.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Lines for the stats screen and `lightbox review stats`.
    public var lines: [String] {
        func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
        func secs(_ x: Double?) -> String { x.map { String(format: "%.0f s", $0) } ?? "-" }
        return [
            "Reader: \(reader)",
            "Studies read: \(studiesRead)",
            "Recall rate: \(pct(recallRate)) (\(recalls) of \(studiesRead); BI-RADS 0, 3, 4 or 5 in either breast)",
            "AI-discordance rate: \(pct(discordanceRate)) (\(discordant) of \(studiesRead) with reader/AI disagreement)",
            "Time per study: mean \(secs(meanSeconds)), median \(secs(medianSeconds)) (first open to sign-off)",
        ]
    }
}
