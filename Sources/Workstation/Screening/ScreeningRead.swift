import Review

/// The screening read of the open study, as the store holds it for this reader.
public struct ScreeningRead: Sendable, Equatable {
    public var rightBIRADS: Int?
    public var leftBIRADS: Int?
    public var revealed = false
    /// This read's discordance items (first read), or the first readers' (arbitration).
    public var discordances: [DiscordanceRecord] = []
    /// The first readers' signed per-breast BI-RADS, shown to an arbitrator.
    public var firstReads: [ScreeningEvent] = []
    public var assessed: Bool { rightBIRADS != nil && leftBIRADS != nil }
    public var assessmentText: String {
        "R BI-RADS \(rightBIRADS.map(String.init) ?? "?") / L BI-RADS \(leftBIRADS.map(String.init) ?? "?")"
    }
    public init() {}

    /// Builds the read from the store's rows: this reader's latest assessment and reveal, and
    /// (arbitrating) the other readers' discordance items and signed reads.
    public init(events: [ScreeningEvent], discordances: [DiscordanceRecord], reader: String, arbitrating: Bool) {
        for e in events where e.reader == reader {
            if e.kind == .assess || e.kind == .sign || e.kind == .arbitrate { rightBIRADS = e.rightBIRADS; leftBIRADS = e.leftBIRADS }
            if e.kind == .reveal { revealed = true }
        }
        if arbitrating {
            revealed = true
            self.discordances = discordances.filter { $0.reader != reader }
            firstReads = events.filter { $0.reader != reader && $0.kind == .sign }
        } else {
            self.discordances = discordances.filter { $0.reader == reader }
        }
    }

    /// The reader's per-breast BI-RADS (both known).
    mutating func assess(right: Int, left: Int) {
        rightBIRADS = right
        leftBIRADS = left
    }

    /// The blinded read ends: the AI shows, with where it and the reader disagree.
    mutating func reveal(_ items: [DiscordanceRecord]) {
        revealed = true
        discordances = items
    }
}
