/// PDUs → bytes (PS3.8 §9.3). Used for the SCP's answers and by tests to build requests.
public enum PDUEncoding {
    public static func encode(_ pdu: PDU) -> [UInt8] {
        var body: [UInt8] = []
        let kind: PDU.Kind
        switch pdu {
        case .associateRequest(let rq):
            kind = .associateRequest
            body = associateHeader(version: rq.protocolVersion, called: rq.calledAETitle, calling: rq.callingAETitle)
            appendItem(&body, type: 0x10, ascii(rq.applicationContext))
            for pc in rq.presentationContexts {
                var item: [UInt8] = [pc.id, 0, 0, 0]
                appendItem(&item, type: 0x30, ascii(pc.abstractSyntax))
                for ts in pc.transferSyntaxes { appendItem(&item, type: 0x40, ascii(ts)) }
                appendItem(&body, type: 0x20, item)
            }
            appendItem(&body, type: 0x50, userInformation(rq.userInformation))
        case .associateAccept(let ac):
            kind = .associateAccept
            body = associateHeader(version: ac.protocolVersion, called: ac.calledAETitle, calling: ac.callingAETitle)
            appendItem(&body, type: 0x10, ascii(ac.applicationContext))
            for pc in ac.presentationContexts {
                var item: [UInt8] = [pc.id, 0, pc.result.rawValue, 0]
                appendItem(&item, type: 0x40, ascii(pc.transferSyntax))
                appendItem(&body, type: 0x21, item)
            }
            appendItem(&body, type: 0x50, userInformation(ac.userInformation))
        case .associateReject(let rj):
            kind = .associateReject
            body = [0, rj.result, rj.source, rj.reason]
        case .data(let pdvs):
            kind = .data
            for pdv in pdvs {
                body.appendBE32(UInt32(pdv.data.count + 2))
                body.append(pdv.contextID)
                body.append((pdv.isCommand ? 0x01 : 0) | (pdv.isLast ? 0x02 : 0))
                body.append(contentsOf: pdv.data)
            }
        case .releaseRequest:
            kind = .releaseRequest
            body = [0, 0, 0, 0]
        case .releaseResponse:
            kind = .releaseResponse
            body = [0, 0, 0, 0]
        case .abort(let source, let reason):
            kind = .abort
            body = [0, 0, source, reason]
        }
        var out: [UInt8] = [kind.rawValue, 0]
        out.reserveCapacity(body.count + 6)
        out.appendBE32(UInt32(body.count))
        out.append(contentsOf: body)
        return out
    }

    private static func associateHeader(version: UInt16, called: String, calling: String) -> [UInt8] {
        var b: [UInt8] = []
        b.appendBE16(version)
        b.append(contentsOf: [0, 0])
        b.append(contentsOf: paddedAE(called))
        b.append(contentsOf: paddedAE(calling))
        b.append(contentsOf: [UInt8](repeating: 0, count: 32))
        return b
    }

    private static func userInformation(_ u: UserInformation) -> [UInt8] {
        var item: [UInt8] = []
        var max: [UInt8] = []
        max.appendBE32(u.maximumLength)
        appendItem(&item, type: 0x51, max)
        appendItem(&item, type: 0x52, ascii(u.implementationClassUID))
        if let v = u.implementationVersionName { appendItem(&item, type: 0x55, ascii(String(v.prefix(16)))) }
        return item
    }

    private static func appendItem(_ out: inout [UInt8], type: UInt8, _ value: [UInt8]) {
        out.append(type)
        out.append(0)
        out.appendBE16(UInt16(clamping: value.count))
        out.append(contentsOf: value.prefix(Int(UInt16.max)))
    }

    static func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// 16 bytes, space padded, truncated if longer.
    static func paddedAE(_ s: String) -> [UInt8] {
        var b = Array(s.utf8.prefix(16))
        while b.count < 16 { b.append(0x20) }
        return b
    }
}
