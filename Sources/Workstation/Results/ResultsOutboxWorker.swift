import Foundation
import Synchronization

/// Sends the results outbox on its own thread, never the UI loop's: every `interval` seconds (and
/// at once when woken after a sign-off) it tries the jobs that are due (`ResultsOutbox.attemptDue`)
/// and posts what is still queued, per study, to the runtime's inbox, so the worklist shows results
/// that have not reached the archive. Jobs left by an earlier run are tried on start.
final class ResultsOutboxWorker: Sendable {
    private let outbox: ResultsOutbox
    private let sender: ResultsSender
    private let inbox: Inbox
    private let stopped = Mutex(false)
    private let wakeup = DispatchSemaphore(value: 0)
    let interval: TimeInterval

    init(outbox: ResultsOutbox, sender: ResultsSender, inbox: Inbox, interval: TimeInterval = 5) {
        self.outbox = outbox; self.sender = sender; self.inbox = inbox; self.interval = interval
    }

    func start() {
        let thread = Thread { [self] in
            var last: [String: String]?
            while !stopped.withLock({ $0 }) {
                let left = outbox.attemptDue { try sender.send(archive: $0, files: $1, studyUID: $2) }
                let now = ResultsOutbox.summary(left)
                if now != last { last = now; inbox.post(.resultsOutbox(now)) }
                _ = wakeup.wait(timeout: .now() + interval)
            }
        }
        thread.name = "lightbox.results-outbox"
        thread.start()
    }

    /// Try now (a job was just queued).
    func wake() { wakeup.signal() }

    func stop() { stopped.withLock { $0 = true }; wakeup.signal() }
}
