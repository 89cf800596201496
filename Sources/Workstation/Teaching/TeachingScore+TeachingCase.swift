import Imaging
import Review

extension TeachingScore {
    /// Scores the trainee's marks on one case (the rule is `TeachingScore`'s, in Review).
    static func score(_ c: TeachingCase, marks: [ReaderFindingRecord], headers: [String: InstanceHeader]) -> TeachingScore {
        score(lesions: c.lesions, marks: marks, headers: headers)
    }
}
