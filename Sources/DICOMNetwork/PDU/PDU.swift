/// The seven upper-layer PDUs of PS3.8 §9.3. Decoding is in `PDUDecoding.swift`, encoding in
/// `PDUEncoding.swift`; both are pure functions over byte arrays so they can be tested without sockets.
public enum PDU: Equatable, Sendable {
    case associateRequest(AssociateRequest)
    case associateAccept(AssociateAccept)
    case associateReject(AssociateReject)
    case data([PDV])
    case releaseRequest
    case releaseResponse
    case abort(source: UInt8, reason: UInt8)

    /// The PDU-type byte (PS3.8 Table 9-11).
    public enum Kind: UInt8, Sendable {
        case associateRequest = 0x01, associateAccept = 0x02, associateReject = 0x03, data = 0x04
        case releaseRequest = 0x05, releaseResponse = 0x06, abort = 0x07
    }

    public var kindName: String {
        switch self {
        case .associateRequest: return "A-ASSOCIATE-RQ"
        case .associateAccept: return "A-ASSOCIATE-AC"
        case .associateReject: return "A-ASSOCIATE-RJ"
        case .data: return "P-DATA-TF"
        case .releaseRequest: return "A-RELEASE-RQ"
        case .releaseResponse: return "A-RELEASE-RP"
        case .abort: return "A-ABORT"
        }
    }
}

/// The DICOM application context name every association uses (PS3.7 Annex A.2.1).
public let dicomApplicationContextName = "1.2.840.10008.3.1.1.1"

/// One proposed presentation context: an abstract syntax (SOP class) and the transfer syntaxes offered for it.
public struct ProposedPresentationContext: Equatable, Sendable {
    public var id: UInt8
    public var abstractSyntax: String
    public var transferSyntaxes: [String]
    public init(id: UInt8, abstractSyntax: String, transferSyntaxes: [String]) {
        self.id = id
        self.abstractSyntax = abstractSyntax
        self.transferSyntaxes = transferSyntaxes
    }
}

/// The answer to one proposed context (PS3.8 Table 9-18).
public struct AcceptedPresentationContext: Equatable, Sendable {
    public enum Result: UInt8, Sendable {
        case acceptance = 0, userRejection = 1, noReason = 2
        case abstractSyntaxNotSupported = 3, transferSyntaxesNotSupported = 4
    }
    public var id: UInt8
    public var result: Result
    /// The chosen syntax; for a rejection, ignored by the peer (we send the first proposed one).
    public var transferSyntax: String
    public init(id: UInt8, result: Result, transferSyntax: String) {
        self.id = id
        self.result = result
        self.transferSyntax = transferSyntax
    }
}

/// The user-information item's sub-items this implementation reads or writes (PS3.7 Annex D.3.3).
public struct UserInformation: Equatable, Sendable {
    /// Maximum P-DATA-TF PDU length the sender can receive; 0 = unlimited.
    public var maximumLength: UInt32
    public var implementationClassUID: String
    public var implementationVersionName: String?
    public init(maximumLength: UInt32, implementationClassUID: String, implementationVersionName: String? = nil) {
        self.maximumLength = maximumLength
        self.implementationClassUID = implementationClassUID
        self.implementationVersionName = implementationVersionName
    }
}

public struct AssociateRequest: Equatable, Sendable {
    public var protocolVersion: UInt16
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String
    public var presentationContexts: [ProposedPresentationContext]
    public var userInformation: UserInformation
    public init(protocolVersion: UInt16 = 1, calledAETitle: String, callingAETitle: String,
                applicationContext: String = dicomApplicationContextName,
                presentationContexts: [ProposedPresentationContext], userInformation: UserInformation) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContext = applicationContext
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

public struct AssociateAccept: Equatable, Sendable {
    public var protocolVersion: UInt16
    public var calledAETitle: String
    public var callingAETitle: String
    public var applicationContext: String
    public var presentationContexts: [AcceptedPresentationContext]
    public var userInformation: UserInformation
    public init(protocolVersion: UInt16 = 1, calledAETitle: String, callingAETitle: String,
                applicationContext: String = dicomApplicationContextName,
                presentationContexts: [AcceptedPresentationContext], userInformation: UserInformation) {
        self.protocolVersion = protocolVersion
        self.calledAETitle = calledAETitle
        self.callingAETitle = callingAETitle
        self.applicationContext = applicationContext
        self.presentationContexts = presentationContexts
        self.userInformation = userInformation
    }
}

/// A-ASSOCIATE-RJ fields (PS3.8 Table 9-21).
public struct AssociateReject: Equatable, Sendable {
    /// 1 = rejected-permanent, 2 = rejected-transient.
    public var result: UInt8
    /// 1 = service-user, 2 = service-provider (ACSE), 3 = service-provider (presentation).
    public var source: UInt8
    public var reason: UInt8
    public init(result: UInt8, source: UInt8, reason: UInt8) {
        self.result = result
        self.source = source
        self.reason = reason
    }

    /// Service-user reasons.
    public static let noReasonGiven: UInt8 = 1
    public static let applicationContextNotSupported: UInt8 = 2
    public static let callingAETitleNotRecognized: UInt8 = 3
    public static let calledAETitleNotRecognized: UInt8 = 7
}

/// One presentation-data value: a fragment of a command or data set (PS3.8 §9.3.5.1, Annex E.2).
public struct PDV: Equatable, Sendable {
    public var contextID: UInt8
    /// Bit 0 of the message control header.
    public var isCommand: Bool
    /// Bit 1 of the message control header.
    public var isLast: Bool
    public var data: [UInt8]
    public init(contextID: UInt8, isCommand: Bool, isLast: Bool, data: [UInt8]) {
        self.contextID = contextID
        self.isCommand = isCommand
        self.isLast = isLast
        self.data = data
    }
}
