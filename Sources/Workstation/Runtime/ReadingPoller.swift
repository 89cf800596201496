import Foundation
import Review
import Synchronization

/// On a shared (PostgreSQL) review store, asks every two seconds who else has which study open and
/// posts a change to the runtime's inbox, so the worklist shows "[reading: NAME]" within about two
/// seconds of another reader opening or leaving a study. The query runs on this poller's own
/// thread, never on the UI loop; a failed query (the server restarting) is skipped, and the next
/// one tries again. Nothing runs on a local SQLite store, which no one else reads.
final class ReadingPoller: Sendable {
    private let store: ReviewStore
    private let inbox: Inbox
    private let stopped = Mutex(false)
    static let interval: TimeInterval = 2

    init(store: ReviewStore, inbox: Inbox) { self.store = store; self.inbox = inbox }

    func start() {
        guard store.isShared else { return }
        let thread = Thread { [self] in
            var last: [String: [String]] = [:]
            while !stopped.withLock({ $0 }) {
                if let now = try? store.readingNow(), now != last {
                    last = now
                    inbox.post(.readingElsewhere(now))
                }
                Thread.sleep(forTimeInterval: Self.interval)
            }
        }
        thread.name = "lightbox.reading-poller"
        thread.start()
    }

    func stop() { stopped.withLock { $0 = true } }
}
