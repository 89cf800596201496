import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGHUP (the terminal or the SSH connection went away) and SIGTERM (a shutdown, `kill`) end the
/// workstation as `Q` does: the open study is closed in the audit trail, the loop ends, the terminal
/// is given back, and a reading claim on a shared store is released with the connection.
///
/// Why a dispatch source: an async `main` parks the main thread in `dispatch_main`, which blocks
/// asynchronous signals in every thread, so these signals would stay pending for ever and a
/// workstation whose SSH session dropped would live on with no terminal, still holding its claims.
/// The signals are ignored as signals and delivered by libdispatch to a queue that posts
/// `.terminate` to the loop's inbox.
struct TerminationSignals {
    private let sources: [DispatchSourceSignal]

    init(post: @escaping @Sendable (Message) -> Void) {
        sources = [SIGHUP, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global(qos: .userInitiated))
            source.setEventHandler { post(.terminate(signal: number)) }
            source.resume()
            return source
        }
    }

    func cancel() { for s in sources { s.cancel() } }
}
