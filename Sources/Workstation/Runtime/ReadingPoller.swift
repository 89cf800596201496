import Foundation
import Review
import Synchronization

/// On a shared (PostgreSQL) review store, asks every two seconds what other workstations changed
/// and posts each change to the runtime's inbox, so the worklist follows them within about two
/// seconds:
/// - who else has which study open ("[reading: NAME]");
/// - this reader's statuses (a sign-off or a decision made under the same name at another
///   workstation), when `worklist` is given;
/// - the discordance queue (a first reader signing a discordant study elsewhere, another
///   arbitrator finishing one), on the arbitration worklist;
/// - the studies this reader revealed elsewhere, on the second-reader worklist.
/// The queries run on this poller's own thread, never on the UI loop; only a change is posted. A
/// failed query (the server restarting) is skipped, and the next one tries again. Nothing runs on a
/// local SQLite store, which no one else writes.
final class ReadingPoller: Sendable {
    /// What the worklist shows from the store besides who is reading: whose statuses, which flow.
    struct Worklist: Sendable {
        var reader: String
        var workflow: Workflow
    }

    private let store: ReviewStore
    private let inbox: Inbox
    private let worklist: Worklist?
    private let stopped = Mutex(false)
    static let interval: TimeInterval = 2

    init(store: ReviewStore, inbox: Inbox, worklist: Worklist? = nil) {
        self.store = store; self.inbox = inbox; self.worklist = worklist
    }

    func start() {
        guard store.isShared else { return }
        let thread = Thread { [self] in
            var last = Snapshot()
            while !stopped.withLock({ $0 }) {
                last = poll(after: last)
                Thread.sleep(forTimeInterval: Self.interval)
            }
        }
        thread.name = "lightbox.reading-poller"
        thread.start()
    }

    func stop() { stopped.withLock { $0 = true } }

    /// What the previous poll saw (nil: not read yet, or its query failed).
    struct Snapshot {
        var reading: [String: [String]]?
        var statuses: [String: ReviewStatus]?
        var queue: Set<String>?
        var revealed: Set<String>?
    }

    /// One poll: reads the store and posts what changed since `last`; returns what it saw.
    func poll(after last: Snapshot) -> Snapshot {
        var now = last
        if let reading = try? store.readingNow(), reading != last.reading ?? [:] {
            now.reading = reading
            inbox.post(.readingElsewhere(reading))
        }
        guard let worklist else { return now }
        if let statuses = try? store.statuses(reader: worklist.reader) {
            // The first poll only remembers: the scan's own read of the statuses is as fresh.
            if let before = last.statuses, before != statuses { inbox.post(.statuses(statuses)) }
            now.statuses = statuses
        }
        if worklist.workflow == .arbitration, let queue = try? Set(store.discordanceQueue().map(\.studyUID)) {
            if let before = last.queue, before != queue { inbox.post(.discordanceQueue(queue)) }
            now.queue = queue
        }
        if worklist.workflow == .secondReader,
           let events = try? store.screeningEvents(reader: worklist.reader) {
            let revealed = Set(events.filter { $0.kind == .reveal }.map(\.studyUID))
            if let before = last.revealed, !revealed.isSubset(of: before) { inbox.post(.revealedStudies(revealed)) }
            now.revealed = revealed
        }
        return now
    }
}
