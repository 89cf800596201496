import DICOM
import DICOMCodecs

/// What an SCP accepts, and the negotiation that applies it to an A-ASSOCIATE-RQ (PS3.8 §9.3.3).
public struct AssociationPolicy: Sendable {
    /// Our AE title; a request naming another called AE is rejected (reason 7).
    public var aeTitle: String
    /// Calling AE titles allowed to associate; nil = anyone.
    public var allowedCallingAETitles: Set<String>?
    public var sopClasses: Set<String>
    /// Transfer syntaxes in no particular order; the peer's order of preference is kept.
    public var transferSyntaxes: Set<String>
    /// Largest P-DATA-TF PDU we receive, announced in the A-ASSOCIATE-AC.
    public var maximumPDULength: UInt32

    public init(aeTitle: String, allowedCallingAETitles: Set<String>? = nil,
                sopClasses: Set<String> = StorageSOPClasses.supported.union([StorageSOPClasses.verification]),
                transferSyntaxes: Set<String> = AssociationPolicy.decodableTransferSyntaxes,
                maximumPDULength: UInt32 = 256 << 10) {
        self.aeTitle = aeTitle
        self.allowedCallingAETitles = allowedCallingAETitles
        self.sopClasses = sopClasses
        self.transferSyntaxes = transferSyntaxes
        self.maximumPDULength = maximumPDULength
    }

    /// The syntaxes whose data sets the DICOM module parses and whose pixels it decodes: the four
    /// uncompressed ones plus every codec in `CodecRegistry` (MPEG, H.264 and JPEG XL are left out).
    public static let decodableTransferSyntaxes: Set<String> = Set([
        TransferSyntax.implicitVRLittleEndian.uid, TransferSyntax.explicitVRLittleEndian.uid,
        TransferSyntax.deflatedExplicitVRLittleEndian.uid, TransferSyntax.explicitVRBigEndian.uid,
    ] + CodecRegistry.supportedTransferSyntaxes)

    public static let implementationClassUID = "2.25.223597318047254930168512427766913187241"
    public static let implementationVersionName = "LIGHTBOX_010"

    public enum Decision: Equatable, Sendable {
        case accept(AssociateAccept)
        case reject(AssociateReject, reason: String)
    }

    public func negotiate(_ rq: AssociateRequest) -> Decision {
        if rq.applicationContext != dicomApplicationContextName {
            return .reject(AssociateReject(result: 1, source: 1, reason: AssociateReject.applicationContextNotSupported),
                           reason: "application context \(rq.applicationContext) is not DICOM's")
        }
        if rq.calledAETitle != aeTitle {
            return .reject(AssociateReject(result: 1, source: 1, reason: AssociateReject.calledAETitleNotRecognized),
                           reason: "called AE title \(rq.calledAETitle) is not \(aeTitle)")
        }
        if let allowed = allowedCallingAETitles, !allowed.contains(rq.callingAETitle) {
            return .reject(AssociateReject(result: 1, source: 1, reason: AssociateReject.callingAETitleNotRecognized),
                           reason: "calling AE title \(rq.callingAETitle) is not on the allow-list")
        }
        var seen = Set<UInt8>()
        let answers = rq.presentationContexts.map { pc -> AcceptedPresentationContext in
            let fallback = pc.transferSyntaxes.first ?? ""
            guard seen.insert(pc.id).inserted else {
                return .init(id: pc.id, result: .noReason, transferSyntax: fallback)
            }
            guard sopClasses.contains(pc.abstractSyntax) else {
                return .init(id: pc.id, result: .abstractSyntaxNotSupported, transferSyntax: fallback)
            }
            guard let ts = pc.transferSyntaxes.first(where: { transferSyntaxes.contains($0) }) else {
                return .init(id: pc.id, result: .transferSyntaxesNotSupported, transferSyntax: fallback)
            }
            return .init(id: pc.id, result: .acceptance, transferSyntax: ts)
        }
        let ac = AssociateAccept(
            protocolVersion: 1, calledAETitle: rq.calledAETitle, callingAETitle: rq.callingAETitle,
            presentationContexts: answers,
            userInformation: UserInformation(maximumLength: maximumPDULength,
                                             implementationClassUID: Self.implementationClassUID,
                                             implementationVersionName: Self.implementationVersionName))
        return .accept(ac)
    }
}
