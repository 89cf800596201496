/// What discordance matching found for one study: the discordant items, and the images on which
/// matching could not be done in millimetres (no pixel spacing), so the reader can be told.
public struct DiscordanceOutcome: Sendable, Equatable {
    public var records: [DiscordanceRecord]
    /// SOP Instance UIDs of images where a mark and a finding were compared without pixel spacing.
    public var imagesWithoutSpacing: Set<String>

    public init(records: [DiscordanceRecord], imagesWithoutSpacing: Set<String> = []) {
        self.records = records; self.imagesWithoutSpacing = imagesWithoutSpacing
    }

    /// A line for the reader when some matching was done without pixel spacing; nil otherwise.
    public var note: String? {
        guard !imagesWithoutSpacing.isEmpty else { return nil }
        let n = imagesWithoutSpacing.count
        return "no pixel spacing on \(n) image\(n == 1 ? "" : "s"): marks there agree with the AI only inside an outlined box"
    }
}
