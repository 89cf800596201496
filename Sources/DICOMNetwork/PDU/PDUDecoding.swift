/// Bytes → PDUs. Every length field is checked against what remains of its enclosing PDU or item
/// before anything is read, and against `maximumLength` before a PDU is buffered.
public enum PDUDecoding {
    /// Header size: type (1), reserved (1), length (4).
    public static let headerLength = 6

    /// Reads the 6-byte header at the start of `bytes`: nil while fewer than 6 bytes have arrived.
    /// Throws when the type is unknown or the announced length exceeds `maximumLength`.
    public static func header(_ bytes: ArraySlice<UInt8>, maximumLength: UInt32) throws -> (kind: PDU.Kind, length: Int)? {
        guard bytes.count >= headerLength else { return nil }
        let b = bytes.startIndex
        guard let kind = PDU.Kind(rawValue: bytes[b]) else {
            throw PDUError.malformed("unknown PDU type 0x\(String(bytes[b], radix: 16))")
        }
        let length = UInt32(bytes[b + 2]) << 24 | UInt32(bytes[b + 3]) << 16 | UInt32(bytes[b + 4]) << 8 | UInt32(bytes[b + 5])
        guard length <= maximumLength else {
            throw PDUError.tooLong("\(kind) announces \(length) bytes, the limit is \(maximumLength)")
        }
        return (kind, Int(length))
    }

    /// Decodes one complete PDU from the front of `bytes`; nil while it has not fully arrived.
    public static func decodeFrame(_ bytes: [UInt8], maximumLength: UInt32) throws -> (pdu: PDU, consumed: Int)? {
        guard let (kind, length) = try header(bytes[...], maximumLength: maximumLength) else { return nil }
        guard bytes.count - headerLength >= length else { return nil }
        let body = Array(bytes[headerLength ..< headerLength + length])
        return (try decode(kind: kind, body: body), headerLength + length)
    }

    /// Decodes a PDU body (everything after the 6-byte header).
    public static func decode(kind: PDU.Kind, body: [UInt8]) throws -> PDU {
        switch kind {
        case .associateRequest:
            let r = try decodeAssociate(body, name: "A-ASSOCIATE-RQ", accept: false)
            return .associateRequest(AssociateRequest(
                protocolVersion: r.version, calledAETitle: r.called, callingAETitle: r.calling,
                applicationContext: r.appContext, presentationContexts: r.proposed, userInformation: r.user))
        case .associateAccept:
            let r = try decodeAssociate(body, name: "A-ASSOCIATE-AC", accept: true)
            return .associateAccept(AssociateAccept(
                protocolVersion: r.version, calledAETitle: r.called, callingAETitle: r.calling,
                applicationContext: r.appContext, presentationContexts: r.accepted, userInformation: r.user))
        case .associateReject:
            var c = ByteCursor(body, context: "A-ASSOCIATE-RJ")
            try c.need(4)
            guard body.count == 4 else { throw PDUError.malformed("A-ASSOCIATE-RJ body is \(body.count) bytes, expected 4") }
            try c.skip(1)
            return .associateReject(AssociateReject(result: try c.uint8(), source: try c.uint8(), reason: try c.uint8()))
        case .data:
            return .data(try decodePDVs(body))
        case .releaseRequest, .releaseResponse:
            guard body.count == 4 else {
                throw PDUError.malformed("\(kind == .releaseRequest ? "A-RELEASE-RQ" : "A-RELEASE-RP") body is \(body.count) bytes, expected 4")
            }
            return kind == .releaseRequest ? .releaseRequest : .releaseResponse
        case .abort:
            guard body.count == 4 else { throw PDUError.malformed("A-ABORT body is \(body.count) bytes, expected 4") }
            return .abort(source: body[2], reason: body[3])
        }
    }

    /// PDV items of a P-DATA-TF (PS3.8 §9.3.5): item length (4) covers context ID (1), control header (1), data.
    static func decodePDVs(_ body: [UInt8]) throws -> [PDV] {
        var c = ByteCursor(body, context: "P-DATA-TF")
        var pdvs: [PDV] = []
        guard !c.isAtEnd else { throw PDUError.malformed("P-DATA-TF with no PDV items") }
        while !c.isAtEnd {
            let length = Int(try c.uint32())
            guard length >= 2 else { throw PDUError.malformed("PDV item length \(length) is below the 2-byte minimum") }
            var item = try c.subCursor(length, context: "PDV item")
            let id = try item.uint8()
            let control = try item.uint8()
            guard id % 2 == 1 else { throw PDUError.malformed("PDV presentation context ID \(id) is even") }
            let data = Array(try item.take(item.remaining))
            pdvs.append(PDV(contextID: id, isCommand: control & 0x01 != 0, isLast: control & 0x02 != 0, data: data))
        }
        return pdvs
    }

    private struct AssociateFields {
        var version: UInt16 = 0
        var called = "", calling = "", appContext = ""
        var proposed: [ProposedPresentationContext] = []
        var accepted: [AcceptedPresentationContext] = []
        var user = UserInformation(maximumLength: 0, implementationClassUID: "")
    }

    /// A-ASSOCIATE-RQ and -AC share a layout (PS3.8 Tables 9-11 and 9-17); only the presentation
    /// context item type (0x20 vs 0x21) differs.
    private static func decodeAssociate(_ body: [UInt8], name: String, accept: Bool) throws -> AssociateFields {
        var c = ByteCursor(body, context: name)
        var f = AssociateFields()
        f.version = try c.uint16()
        try c.skip(2)
        f.called = aeTitle(try c.take(16))
        f.calling = aeTitle(try c.take(16))
        try c.skip(32)
        var sawAppContext = false, sawUser = false
        while !c.isAtEnd {
            let type = try c.uint8()
            try c.skip(1)
            let length = Int(try c.uint16())
            var item = try c.subCursor(length, context: "\(name) item 0x\(String(type, radix: 16))")
            switch type {
            case 0x10:
                f.appContext = uid(try item.take(length))
                sawAppContext = true
            case 0x20 where !accept:
                f.proposed.append(try decodeProposedContext(&item))
            case 0x21 where accept:
                f.accepted.append(try decodeAcceptedContext(&item))
            case 0x50:
                f.user = try decodeUserInformation(&item)
                sawUser = true
            default:
                throw PDUError.malformed("\(name): unexpected item type 0x\(String(type, radix: 16))")
            }
        }
        guard sawAppContext else { throw PDUError.malformed("\(name) has no application context item") }
        guard sawUser else { throw PDUError.malformed("\(name) has no user information item") }
        return f
    }

    private static func decodeProposedContext(_ c: inout ByteCursor) throws -> ProposedPresentationContext {
        let id = try c.uint8()
        try c.skip(3)
        var abstract: String?
        var transfers: [String] = []
        while !c.isAtEnd {
            let type = try c.uint8()
            try c.skip(1)
            let length = Int(try c.uint16())
            let value = uid(try c.take(length))
            switch type {
            case 0x30:
                guard abstract == nil else { throw PDUError.malformed("presentation context \(id) has two abstract syntaxes") }
                abstract = value
            case 0x40: transfers.append(value)
            default: throw PDUError.malformed("presentation context \(id): unexpected sub-item 0x\(String(type, radix: 16))")
            }
        }
        guard let abstract, !transfers.isEmpty else {
            throw PDUError.malformed("presentation context \(id) lacks an abstract syntax or transfer syntax")
        }
        return ProposedPresentationContext(id: id, abstractSyntax: abstract, transferSyntaxes: transfers)
    }

    private static func decodeAcceptedContext(_ c: inout ByteCursor) throws -> AcceptedPresentationContext {
        let id = try c.uint8()
        try c.skip(1)
        let rawResult = try c.uint8()
        try c.skip(1)
        guard let result = AcceptedPresentationContext.Result(rawValue: rawResult) else {
            throw PDUError.malformed("presentation context \(id): result \(rawResult) is not defined")
        }
        var transfer = ""
        while !c.isAtEnd {
            let type = try c.uint8()
            try c.skip(1)
            let length = Int(try c.uint16())
            let value = uid(try c.take(length))
            guard type == 0x40 else { throw PDUError.malformed("accepted context \(id): unexpected sub-item 0x\(String(type, radix: 16))") }
            transfer = value
        }
        return AcceptedPresentationContext(id: id, result: result, transferSyntax: transfer)
    }

    private static func decodeUserInformation(_ c: inout ByteCursor) throws -> UserInformation {
        var info = UserInformation(maximumLength: 0, implementationClassUID: "")
        while !c.isAtEnd {
            let type = try c.uint8()
            try c.skip(1)
            let length = Int(try c.uint16())
            var sub = try c.subCursor(length, context: "user information sub-item 0x\(String(type, radix: 16))")
            switch type {
            case 0x51:
                guard length == 4 else { throw PDUError.malformed("maximum length sub-item is \(length) bytes, expected 4") }
                info.maximumLength = try sub.uint32()
            case 0x52: info.implementationClassUID = uid(try sub.take(length))
            case 0x55: info.implementationVersionName = aeTitle(try sub.take(length))
            default: break // asynchronous operations, role selection, extended negotiation, user identity: not used.
            }
        }
        return info
    }

    /// AE titles are 16 bytes, space padded; leading and trailing spaces are not significant (PS3.5 §6.2).
    static func aeTitle(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.filter { $0 >= 0x20 && $0 < 0x7F }, as: UTF8.self).trimmingCharacters(in: " ")
    }

    /// UIDs may carry a trailing NUL pad; anything outside printable ASCII is dropped.
    static func uid(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.filter { $0 > 0x20 && $0 < 0x7F }, as: UTF8.self)
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return String(s)
    }
}
