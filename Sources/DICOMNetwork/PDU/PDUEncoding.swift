import ByteWriting

/// PDUs → bytes (PS3.8 §9.3). Used for the SCP's answers and by tests to build requests.
///
/// Every PDU is written through one ``ByteWriter``: items are length-prefixed, so each item's
/// value is built first (in its own writer) and then appended whole after its header.
public enum PDUEncoding {
    public static func encode(_ pdu: PDU) -> [UInt8] {
        var body = ByteWriter(reservingCapacity: 256)
        let kind: PDU.Kind
        switch pdu {
        case .associateRequest(let rq):
            kind = .associateRequest
            appendAssociateHeader(version: rq.protocolVersion, called: rq.calledAETitle, calling: rq.callingAETitle, into: &body)
            appendItem(type: 0x10, rq.applicationContext.utf8, into: &body)
            for pc in rq.presentationContexts {
                var item = ByteWriter()
                item.append(contentsOf: [pc.id, 0, 0, 0])
                appendItem(type: 0x30, pc.abstractSyntax.utf8, into: &item)
                for ts in pc.transferSyntaxes { appendItem(type: 0x40, ts.utf8, into: &item) }
                appendItem(type: 0x20, item.bytes, into: &body)
            }
            appendItem(type: 0x50, userInformation(rq.userInformation), into: &body)
        case .associateAccept(let ac):
            kind = .associateAccept
            appendAssociateHeader(version: ac.protocolVersion, called: ac.calledAETitle, calling: ac.callingAETitle, into: &body)
            appendItem(type: 0x10, ac.applicationContext.utf8, into: &body)
            for pc in ac.presentationContexts {
                var item = ByteWriter()
                item.append(contentsOf: [pc.id, 0, pc.result.rawValue, 0])
                appendItem(type: 0x40, pc.transferSyntax.utf8, into: &item)
                appendItem(type: 0x21, item.bytes, into: &body)
            }
            appendItem(type: 0x50, userInformation(ac.userInformation), into: &body)
        case .associateReject(let rj):
            kind = .associateReject
            body.append(contentsOf: [0, rj.result, rj.source, rj.reason])
        case .data(let pdvs):
            kind = .data
            body.reserveCapacity(additional: pdvs.reduce(0) { $0 + $1.data.count + 6 })
            for pdv in pdvs {
                body.appendBigEndian(UInt32(pdv.data.count + 2))
                body.append(pdv.contextID)
                body.append((pdv.isCommand ? 0x01 : 0) | (pdv.isLast ? 0x02 : 0))
                body.append(contentsOf: pdv.data)
            }
        case .releaseRequest:
            kind = .releaseRequest
            body.append(0, count: 4)
        case .releaseResponse:
            kind = .releaseResponse
            body.append(0, count: 4)
        case .abort(let source, let reason):
            kind = .abort
            body.append(contentsOf: [0, 0, source, reason])
        }
        var out = ByteWriter(reservingCapacity: body.count + 6)
        out.append(kind.rawValue)
        out.append(0)
        out.appendBigEndian(UInt32(body.count))
        out.append(contentsOf: body.bytes)
        return out.bytes
    }

    private static func appendAssociateHeader(version: UInt16, called: String, calling: String, into out: inout ByteWriter) {
        out.appendBigEndian(version)
        out.append(0, count: 2)
        out.append(contentsOf: paddedAE(called))
        out.append(contentsOf: paddedAE(calling))
        out.append(0, count: 32)
    }

    private static func userInformation(_ u: UserInformation) -> [UInt8] {
        var item = ByteWriter()
        var max = ByteWriter()
        max.appendBigEndian(u.maximumLength)
        appendItem(type: 0x51, max.bytes, into: &item)
        appendItem(type: 0x52, u.implementationClassUID.utf8, into: &item)
        if let v = u.implementationVersionName { appendItem(type: 0x55, String(v.prefix(16)).utf8, into: &item) }
        return item.bytes
    }

    /// Item type, a reserved byte, a 16-bit length and the value (cut at 65535 bytes).
    private static func appendItem<C: Collection>(type: UInt8, _ value: C, into out: inout ByteWriter) where C.Element == UInt8 {
        out.append(type)
        out.append(0)
        out.appendBigEndian(UInt16(clamping: value.count))
        out.append(contentsOf: value.prefix(Int(UInt16.max)))
    }

    /// 16 bytes, space padded, truncated if longer.
    static func paddedAE(_ s: String) -> [UInt8] {
        var b = Array(s.utf8.prefix(16))
        while b.count < 16 { b.append(0x20) }
        return b
    }
}
