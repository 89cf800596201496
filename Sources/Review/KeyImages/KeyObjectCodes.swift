/// Codes of the Key Object Selection document (TID 2010): its title, from CID 7010 "Key Object
/// Selection Document Title", and the concept of its free-text description.
public enum KeyObjectCodes {
    public static let ofInterest = CodedConcept("113000", "DCM", "Of Interest")
    public static let forReferringProvider = CodedConcept("113002", "DCM", "For Referring Provider")
    public static let forSurgery = CodedConcept("113003", "DCM", "For Surgery")
    public static let forTeaching = CodedConcept("113004", "DCM", "For Teaching")
    public static let qualityIssue = CodedConcept("113010", "DCM", "Quality Issue")
    public static let bestInSet = CodedConcept("113020", "DCM", "Best In Set")
    public static let forConference = CodedConcept("113026", "DCM", "For Conference")
    public static let forTherapy = CodedConcept("113027", "DCM", "For Therapy")
    /// The titles of CID 7010 this writer offers.
    public static let titles = [ofInterest, forReferringProvider, forSurgery, forTeaching, qualityIssue, bestInSet,
                                forConference, forTherapy]
    public static let keyObjectDescription = CodedConcept("113012", "DCM", "Key Object Description")
}
