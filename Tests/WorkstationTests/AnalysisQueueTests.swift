import Foundation
import Imaging
import Review
import SystemCalls
import XCTest
@testable import Workstation

/// The background AI queue over the real sample studies: urgent kinds first, opened studies jump
/// the line, signed studies last, and every study gets exactly one answer.
final class AnalysisQueueTests: XCTestCase {
    static let sampleStudies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("SampleStudies")

    /// A real sidecar source that records the order it is asked in, and can hold its first call
    /// until the test has rearranged the queue.
    final class RecordingSource: FindingsSource, @unchecked Sendable {
        let inner = SidecarFindingsSource()
        let lock = NSLock()
        var order: [String] = []
        /// The nice value of the thread each study was analysed on.
        var niceness: [Int32] = []
        let firstCallStarted = DispatchSemaphore(value: 0)
        let releaseFirstCall = DispatchSemaphore(value: 0)
        var idleReason: String { inner.idleReason }

        func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
            let nice = SystemCall.currentThreadNiceness()
            lock.lock(); order.append(study.studyInstanceUID); niceness.append(nice); let first = order.count == 1; lock.unlock()
            if first { firstCallStarted.signal(); releaseFirstCall.wait() }
            return try inner.analyze(study, progress: progress)
        }
    }

    final class Messages: @unchecked Sendable {
        let lock = NSLock()
        var all: [Message] = []
        func append(_ m: Message) { lock.lock(); all.append(m); lock.unlock() }
        func finals() -> [String: Int] {
            lock.lock(); defer { lock.unlock() }
            var n: [String: Int] = [:]
            for m in all {
                switch m {
                case .aiResult(let uid, _): n[uid, default: 0] += 1
                case .aiStatus(let uid, .notRun), .aiStatus(let uid, .failed): n[uid, default: 0] += 1
                default: break
                }
            }
            return n
        }
    }

    func studies() throws -> [StudyIndex.Study] {
        let index = StudyIndex.scan([Self.sampleStudies.path], cache: nil)
        XCTAssertGreaterThanOrEqual(index.studies.count, 12)
        return index.studies
    }

    func kind(_ s: StudyIndex.Study) -> Int { AnalysisPriority.urgency(of: s) }

    func testUrgencyOrdersHeadCTBeforeChestCTBeforeRadiographsBeforeMammography() throws {
        let all = try studies()
        let jobs = all.enumerated().map { AnalysisQueue.Job(study: $1, priority: AnalysisPriority(study: $1, review: .unread, order: $0)) }
        let sorted = jobs.sorted { $0.priority < $1.priority }.map { kind($0.study) }
        XCTAssertEqual(sorted, sorted.sorted(), "urgency must not decrease along the queue")
        let byKind = Dictionary(grouping: all, by: kind).mapValues(\.count)
        XCTAssertEqual(byKind[0], 3, "three head CTs")
        XCTAssertEqual(byKind[1], 4, "four chest CTs: two low-dose follow-ups and their priors")
        XCTAssertEqual(byKind[2], 3, "three chest radiographs")
        XCTAssertEqual(byKind[3], 4, "four mammography exams")
    }

    func testSignedStudiesWaitBehindUnreadOnes() throws {
        let all = try studies()
        let head = try XCTUnwrap(all.first { kind($0) == 0 })
        let mammo = try XCTUnwrap(all.first { kind($0) == 3 })
        XCTAssertLessThan(AnalysisPriority(study: mammo, review: .unread, order: 5),
                          AnalysisPriority(study: head, review: .signed, order: 0))
        XCTAssertLessThan(AnalysisPriority(study: head, review: .unread, order: 9),
                          AnalysisPriority(study: mammo, review: .unread, order: 0))
    }

    /// The AI runs on a thread of its own niced by 10 (so the UI loop wins a core whenever it has
    /// work); the thread that queued the work keeps its priority.
    func testStudiesAreAnalysedOnANicedThreadAndTheCallerKeepsItsPriority() throws {
        let all = Array(try studies().prefix(2))
        let source = RecordingSource()
        source.releaseFirstCall.signal()
        let messages = Messages()
        let before = SystemCall.currentThreadNiceness()
        let queue = AnalysisQueue(source: source, niceness: 10) { messages.append($0) }
        queue.enqueue(all.enumerated().map { AnalysisQueue.Job(study: $1, priority: AnalysisPriority(study: $1, review: .unread, order: $0)) })
        let deadline = Date().addingTimeInterval(60)
        while messages.finals().count < all.count, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        source.lock.lock(); let niceness = source.niceness; source.lock.unlock()
        XCTAssertEqual(niceness, [Int32](repeating: min(19, before + 10), count: all.count))
        XCTAssertEqual(queue.workerNiceness, min(19, before + 10))
        XCTAssertEqual(Set(queue.poolNiceness), [min(19, before + 10)], "the analysis' parallel loops run niced too")
        XCTAssertEqual(SystemCall.currentThreadNiceness(), before)
        XCTAssertEqual(AnalysisQueue(source: source, niceness: 0) { _ in }.workerNiceness, before)
    }

    /// The line is announced as one message per change, not one per waiting study (on a worklist
    /// of 20,000 that was 20,000 messages for the UI loop each time a study finished), and the
    /// worklist shows each waiting study's place from it.
    func testPlacesInLineArriveAsOneMessageAndShowOnTheWorklist() throws {
        let all = try studies()
        let source = RecordingSource()
        let messages = Messages()
        let queue = AnalysisQueue(source: source) { messages.append($0) }
        queue.enqueue(all.enumerated().map { AnalysisQueue.Job(study: $1, priority: AnalysisPriority(study: $1, review: .unread, order: $0)) })
        XCTAssertEqual(source.firstCallStarted.wait(timeout: .now() + 30), .success)
        let waiting = queue.pendingUIDs
        messages.lock.lock(); let lines = messages.all.compactMap { m -> [String]? in if case .aiQueued(let l) = m { return l }; return nil }; messages.lock.unlock()
        XCTAssertEqual(lines.count, 2, "one on enqueue, one when the first study started")
        XCTAssertEqual(lines.last, waiting)

        var state = AppState(columns: 120, rows: 30, reader: "alice")
        _ = update(&state, .studiesLoaded(all))
        _ = update(&state, .aiQueued(waiting))
        for (n, uid) in waiting.enumerated() {
            XCTAssertEqual(state.entries[try XCTUnwrap(state.entryIndex(uid: uid))].ai, .queued(position: n + 1))
        }
        queue.stop()
        source.releaseFirstCall.signal()
        queue.waitForRunningJob()
    }

    func testOpenedStudyJumpsTheQueueAndEveryStudyIsAnsweredOnce() throws {
        let all = try studies()
        let source = RecordingSource()
        let messages = Messages()
        let queue = AnalysisQueue(source: source) { messages.append($0) }
        let jobs = all.enumerated().map { AnalysisQueue.Job(study: $1, priority: AnalysisPriority(study: $1, review: .unread, order: $0)) }
        queue.enqueue(jobs)
        XCTAssertEqual(source.firstCallStarted.wait(timeout: .now() + 30), .success)
        // The most urgent study is being analysed; the reader now opens the last mammogram in line.
        let waiting = queue.pendingUIDs
        XCTAssertEqual(waiting.count, all.count - 1)
        let opened = try XCTUnwrap(waiting.last)
        queue.bump(opened)
        XCTAssertEqual(queue.pendingUIDs.first, opened)
        source.releaseFirstCall.signal()

        let deadline = Date().addingTimeInterval(60)
        while messages.finals().count < all.count, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        let finals = messages.finals()
        XCTAssertEqual(finals.count, all.count, "every study gets an answer")
        XCTAssertTrue(finals.values.allSatisfy { $0 == 1 }, "and only one")
        source.lock.lock(); let order = source.order; source.lock.unlock()
        XCTAssertEqual(kind(all.first { $0.studyInstanceUID == order[0] }!), 0, "a head CT runs first")
        XCTAssertEqual(order[1], opened, "the opened study runs next")
        // Each study's last status before its answer is not a stale "queued".
        messages.lock.lock(); let log = messages.all; messages.lock.unlock()
        for uid in order {
            let statuses = log.compactMap { m -> AIStatus? in
                if case .aiStatus(let u, let s) = m, u == uid { return s }
                return nil
            }
            if case .queued? = statuses.last { XCTFail("\(uid) ends queued") }
        }
    }
}
