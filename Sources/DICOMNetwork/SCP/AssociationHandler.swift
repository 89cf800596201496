import Dispatch
import Foundation
import NIOCore

/// One association, as the SCP sees it (PS3.8 §9.2 state machine, acceptor side): negotiation, then
/// C-ECHO and C-STORE requests, then release or abort. Runs on the channel's event loop; file writes go
/// to a per-association serial queue so the loop never blocks on the disk.
final class AssociationHandler: ChannelInboundHandler {
    typealias InboundIn = PDU
    typealias OutboundOut = ByteBuffer

    private enum State { case awaitingRequest, established, closing }

    /// A C-STORE whose data set is arriving.
    private struct PendingStore {
        var contextID: UInt8
        var messageID: UInt16
        var sopClassUID: String
        var sopInstanceUID: String
        /// nil when the request is being refused: its data set is read and dropped.
        var incoming: InstanceStore.Incoming?
        var refusal: StoreError?
    }

    private let policy: AssociationPolicy
    private let store: InstanceStore
    private let emit: @Sendable (SCPEvent) -> Void
    private let io = DispatchQueue(label: "lightbox.dimse.association-io")

    private var state = State.awaitingRequest
    private var callingAE = ""
    private var peer = ""
    private var contexts: [UInt8: AcceptedContext] = [:]
    private var command: [UInt8] = []
    private var commandContext: UInt8?
    private var pending: PendingStore?
    private var stored = 0
    private var finished = false

    struct AcceptedContext { var abstractSyntax: String; var transferSyntax: String }

    init(policy: AssociationPolicy, store: InstanceStore, emit: @escaping @Sendable (SCPEvent) -> Void) {
        self.policy = policy
        self.store = store
        self.emit = emit
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress.map { "\($0)" } ?? "?"
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let pdu = unwrapInboundIn(data)
        switch (state, pdu) {
        case (.awaitingRequest, .associateRequest(let rq)):
            negotiate(context: context, rq)
        case (.established, .data(let pdvs)):
            let size = pdvs.reduce(0) { $0 + $1.data.count + 6 }
            guard size <= Int(policy.maximumPDULength) else {
                abort(context: context, reason: "P-DATA-TF of \(size) bytes exceeds the negotiated maximum \(policy.maximumPDULength)")
                return
            }
            for pdv in pdvs {
                guard state == .established else { return }
                handle(context: context, pdv)
            }
        case (.established, .releaseRequest):
            state = .closing
            discardPending()
            finish(.released(callingAE: callingAE, stored: stored))
            send(context: context, .releaseResponse).whenComplete { _ in context.close(promise: nil) }
        case (_, .abort):
            state = .closing
            let partial = discardPending()
            finish(.aborted(callingAE: callingAE, stored: stored, partialDiscarded: partial, reason: "peer sent A-ABORT"))
            context.close(promise: nil)
        case (.closing, _):
            break
        default:
            abort(context: context, reason: "unexpected \(pdu.kindName)")
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        abort(context: context, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            let partial = discardPending()
            finish(.aborted(callingAE: callingAE, stored: stored, partialDiscarded: partial, reason: "connection closed before release"))
        }
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            abort(context: context, reason: "no data from the peer within the idle timeout")
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    // MARK: - Negotiation

    private func negotiate(context: ChannelHandlerContext, _ rq: AssociateRequest) {
        callingAE = rq.callingAETitle
        switch policy.negotiate(rq) {
        case .reject(let rj, let reason):
            state = .closing
            finish(.associationRejected(callingAE: rq.callingAETitle, peer: peer, reason: reason))
            send(context: context, .associateReject(rj)).whenComplete { _ in context.close(promise: nil) }
        case .accept(let ac):
            for pc in ac.presentationContexts where pc.result == .acceptance {
                if let proposed = rq.presentationContexts.first(where: { $0.id == pc.id }) {
                    contexts[pc.id] = AcceptedContext(abstractSyntax: proposed.abstractSyntax, transferSyntax: pc.transferSyntax)
                }
            }
            state = .established
            let accepted = contexts.count
            emit(.associationAccepted(callingAE: callingAE, peer: peer, acceptedContexts: accepted,
                                      rejectedContexts: ac.presentationContexts.count - accepted))
            send(context: context, .associateAccept(ac))
        }
    }

    // MARK: - P-DATA

    private func handle(context: ChannelHandlerContext, _ pdv: PDV) {
        guard let pc = contexts[pdv.contextID] else {
            abort(context: context, reason: "PDV on presentation context \(pdv.contextID), which was not accepted")
            return
        }
        if pdv.isCommand {
            guard pending == nil else {
                abort(context: context, reason: "command received while a data set was still arriving")
                return
            }
            if let id = commandContext, id != pdv.contextID {
                abort(context: context, reason: "command fragments on two presentation contexts")
                return
            }
            commandContext = pdv.contextID
            guard command.count + pdv.data.count <= CommandSet.maximumLength else {
                abort(context: context, reason: "command set longer than \(CommandSet.maximumLength) bytes")
                return
            }
            command += pdv.data
            guard pdv.isLast else { return }
            let bytes = command
            command = []
            commandContext = nil
            do {
                dispatch(context: context, try CommandSet.decode(bytes), contextID: pdv.contextID, pc: pc)
            } catch {
                abort(context: context, reason: "\(error)")
            }
        } else {
            guard var p = pending, p.contextID == pdv.contextID else {
                abort(context: context, reason: "data set fragment without a C-STORE request on its context")
                return
            }
            if let incoming = p.incoming {
                let bytes = pdv.data
                io.async { incoming.append(bytes) }
            }
            guard pdv.isLast else { return }
            pending = nil
            completeStore(context: context, &p)
        }
    }

    private func dispatch(context: ChannelHandlerContext, _ cmd: CommandSet, contextID: UInt8, pc: AcceptedContext) {
        guard let field = cmd.uint16(.commandField), let messageID = cmd.uint16(.messageID) else {
            abort(context: context, reason: "command set lacks a command field or message ID")
            return
        }
        switch CommandField(rawValue: field) {
        case .cEchoRQ:
            emit(.echo(callingAE: callingAE))
            var rsp = CommandSet()
            rsp.set(.affectedSOPClassUID, string: cmd.string(.affectedSOPClassUID) ?? StorageSOPClasses.verification)
            rsp.set(.commandField, uint16: CommandField.cEchoRSP.rawValue)
            rsp.set(.messageIDBeingRespondedTo, uint16: messageID)
            rsp.set(.commandDataSetType, uint16: CommandSet.noDataSet)
            rsp.set(.status, uint16: DIMSEStatus.success)
            sendCommand(context: context, rsp, contextID: contextID)
        case .cStoreRQ:
            let sopClass = cmd.string(.affectedSOPClassUID) ?? ""
            let sopInstance = cmd.string(.affectedSOPInstanceUID) ?? ""
            var p = PendingStore(contextID: contextID, messageID: messageID, sopClassUID: sopClass,
                                 sopInstanceUID: sopInstance, incoming: nil, refusal: nil)
            if sopClass != pc.abstractSyntax || !policy.sopClasses.contains(sopClass) {
                p.refusal = StoreError(status: DIMSEStatus.sopClassNotSupported,
                                       reason: "SOP class \(sopClass) on a context negotiated for \(pc.abstractSyntax)")
            } else if sopInstance.isEmpty {
                p.refusal = StoreError(status: DIMSEStatus.cannotUnderstand, reason: "C-STORE without an affected SOP instance UID")
            } else {
                do {
                    p.incoming = try store.begin(sopClassUID: sopClass, sopInstanceUID: sopInstance,
                                                 transferSyntaxUID: pc.transferSyntax, callingAE: callingAE)
                } catch let e as StoreError {
                    p.refusal = e
                } catch {
                    p.refusal = StoreError(status: DIMSEStatus.outOfResources, reason: "\(error)")
                }
            }
            if cmd.hasDataSet {
                pending = p
            } else {
                p.incoming?.discard()
                p.incoming = nil
                p.refusal = p.refusal ?? StoreError(status: DIMSEStatus.cannotUnderstand, reason: "C-STORE request without a data set")
                completeStore(context: context, &p)
            }
        default:
            abort(context: context, reason: "unsupported DIMSE command 0x\(String(field, radix: 16))")
        }
    }

    /// Finishes the file on the I/O queue, then answers on the event loop.
    private func completeStore(context: ChannelHandlerContext, _ p: inout PendingStore) {
        let request = p
        let promise = context.eventLoop.makePromise(of: ReceivedInstance.self)
        if let refusal = request.refusal {
            promise.fail(refusal)
        } else if let incoming = request.incoming {
            io.async { promise.completeWith(Result { try incoming.finish() }) }
        } else {
            promise.fail(StoreError(status: DIMSEStatus.outOfResources, reason: "no file for the instance"))
        }
        promise.futureResult.whenComplete { [self] result in
            let status: UInt16
            switch result {
            case .success(let instance):
                stored += 1
                status = DIMSEStatus.success
                emit(.stored(instance))
            case .failure(let error):
                let e = error as? StoreError ?? StoreError(status: DIMSEStatus.outOfResources, reason: "\(error)")
                status = e.status
                emit(.storeFailed(callingAE: callingAE, sopInstanceUID: request.sopInstanceUID, status: e.status, reason: e.reason))
            }
            guard state == .established else { return }
            var rsp = CommandSet()
            rsp.set(.affectedSOPClassUID, string: request.sopClassUID)
            rsp.set(.commandField, uint16: CommandField.cStoreRSP.rawValue)
            rsp.set(.messageIDBeingRespondedTo, uint16: request.messageID)
            rsp.set(.commandDataSetType, uint16: CommandSet.noDataSet)
            rsp.set(.status, uint16: status)
            rsp.set(.affectedSOPInstanceUID, string: request.sopInstanceUID)
            sendCommand(context: context, rsp, contextID: request.contextID)
        }
    }

    // MARK: - Output and teardown

    private func sendCommand(context: ChannelHandlerContext, _ cmd: CommandSet, contextID: UInt8) {
        send(context: context, .data([PDV(contextID: contextID, isCommand: true, isLast: true, data: cmd.encode())]))
    }

    @discardableResult
    private func send(context: ChannelHandlerContext, _ pdu: PDU) -> EventLoopFuture<Void> {
        let bytes = PDUEncoding.encode(pdu)
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return context.writeAndFlush(wrapOutboundOut(buffer))
    }

    /// A-ABORT from the service provider (source 2), then close. Stored instances are untouched.
    private func abort(context: ChannelHandlerContext, reason: String) {
        guard state != .closing else { return }
        state = .closing
        let partial = discardPending()
        finish(.aborted(callingAE: callingAE, stored: stored, partialDiscarded: partial, reason: reason))
        send(context: context, .abort(source: 2, reason: 0)).whenComplete { _ in context.close(promise: nil) }
    }

    /// Drops a data set still arriving; true if there was one.
    @discardableResult
    private func discardPending() -> Bool {
        guard let p = pending else { return false }
        if let incoming = p.incoming { io.async { incoming.discard() } }
        pending = nil
        return true
    }

    /// Reports the association's end once.
    private func finish(_ event: SCPEvent) {
        guard !finished else { return }
        finished = true
        emit(event)
    }
}
