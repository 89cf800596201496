import DICOM
import Inference

/// The Tracking Unique Identifier of a lesion (an SR's TID 1500 measurement group): `2.25.` and the
/// first 128 bits of the sha256 of the study where the lesion was first found and its finding id
/// there. The same nodule then carries the same UID in the prior's report and in the follow-up's,
/// where it was matched to it (`PriorComparison.findingID`), without either report being kept.
public enum TrackingUID {
    public static func make(studyInstanceUID: String, findingID: String) -> String {
        let hex = ModelCard.sha256(of: Array("lightbox-lesion:\(studyInstanceUID):\(findingID)".utf8))
        var bytes: [UInt8] = []
        var i = hex.startIndex
        while bytes.count < 16, let j = hex.index(i, offsetBy: 2, limitedBy: hex.endIndex) {
            bytes.append(UInt8(hex[i ..< j], radix: 16) ?? 0)
            i = j
        }
        return "2.25." + UIDGenerator.decimal(bigEndian: bytes)
    }

    /// The lesion's UID for an AI finding of `studyInstanceUID` keyed `model:id`: the prior's
    /// lesion when it was matched to one, else its own.
    public static func of(findingKey: String, studyInstanceUID: String, prior: PriorComparison?) -> String {
        if let p = prior, p.status != .new, let id = p.findingID { return make(studyInstanceUID: p.studyInstanceUID, findingID: id) }
        let id = findingKey.split(separator: ":", maxSplits: 1).last.map(String.init) ?? findingKey
        return make(studyInstanceUID: studyInstanceUID, findingID: id)
    }
}
