import Foundation
import NIOCore
import NIOPosix

/// A C-ECHO / C-STORE SCP listening on a TCP port. Received instances are written by an
/// `InstanceStore` and reported through `onEvent` (called from event-loop threads, in order per
/// association) — e.g. to add them to a worklist as they arrive.
///
///     let scp = StorageSCP(policy: .init(aeTitle: "LIGHTBOX"), store: try InstanceStore(root: dir)) { event in … }
///     let port = try scp.start(host: "0.0.0.0", port: 11112)
///     …
///     scp.stop()
///
/// `@unchecked Sendable`: the NIO channel and event-loop group are set by `start` and cleared by
/// `stop`, both called by the owner on one thread; associations run on the event loop and touch
/// only the immutable policy and the thread-safe `InstanceStore`.
public final class StorageSCP: @unchecked Sendable {
    public let policy: AssociationPolicy
    public let store: InstanceStore
    /// An association that sends nothing for this long is aborted (the ARTIM timer's role).
    public var idleTimeout: TimeAmount = .seconds(60)
    private let onEvent: @Sendable (SCPEvent) -> Void
    private let group: MultiThreadedEventLoopGroup
    private var channel: Channel?

    public init(policy: AssociationPolicy, store: InstanceStore, onEvent: @escaping @Sendable (SCPEvent) -> Void) {
        self.policy = policy
        self.store = store
        self.onEvent = onEvent
        self.group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
    }

    /// Binds and starts accepting associations; returns the bound port (useful with port 0).
    @discardableResult
    public func start(host: String, port: Int) throws -> Int {
        let policy = self.policy, store = self.store, onEvent = self.onEvent, idle = idleTimeout
        // An A-ASSOCIATE-RQ can be larger than a data PDU (many contexts); allow at least 1 MiB for it.
        let frameLimit = max(policy.maximumPDULength, 1 << 20)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idle),
                        ByteToMessageHandler(PDUFrameDecoder(maximumLength: frameLimit)),
                        AssociationHandler(policy: policy, store: store, emit: onEvent),
                    ])
                }
            }
        let ch = try bootstrap.bind(host: host, port: port).wait()
        channel = ch
        return ch.localAddress?.port ?? port
    }

    /// Blocks until the listening socket closes.
    public func wait() throws { try channel?.closeFuture.wait() }

    /// Stops listening and shuts the event loops down (open associations are closed).
    public func stop() {
        try? channel?.close().wait()
        try? group.syncShutdownGracefully()
    }
}
