import Imaging
import Review

/// The viewer's side of discordance matching: panel findings in, Review's `DiscordanceMatcher`
/// decides (its doc comment states the rule, including images without pixel spacing).
enum Discordance {
    static func outcome(ai: [Finding], marks: [Finding], headers: [String: InstanceHeader], reader: String,
                        studyUID: String) -> DiscordanceOutcome {
        DiscordanceMatcher.match(ai: ai.map(\.matchCandidate), marks: marks.map(\.matchCandidate), headers: headers,
                                 reader: reader, studyUID: studyUID)
    }

    static func items(ai: [Finding], marks: [Finding], headers: [String: InstanceHeader], reader: String,
                      studyUID: String) -> [DiscordanceRecord] {
        outcome(ai: ai, marks: marks, headers: headers, reader: reader, studyUID: studyUID).records
    }
}

extension Finding {
    /// What discordance matching needs of this finding.
    var matchCandidate: MatchCandidate {
        MatchCandidate(key: key, label: label, seriesUID: seriesUID, sopUID: sopUID, x: centerX, y: centerY,
                       width: width, height: height, diameterMM: diameterMM, probability: probability)
    }
}
