import Foundation
import Inference

/// The parts of a model card file the analysis reads beyond `ModelCard` (trust, candidate rule,
/// post-processing, stroke rule), read from the file the first time one of them is asked for.
///
/// A catalog lists every installed model, but an analysis runs the one or two that fit: reading
/// the sections of all six shipped cards (each about 85 KB, mostly the content detector's
/// precision matrix) was about 65 ms of every `lightbox analyze`.
final class CardSections: @unchecked Sendable {
    struct Value {
        var trust: ModelTrust
        var details: CardDetails
        var postProcessing: CardPostProcessing
        var stroke: StrokeRule?
        /// Why a section could not be read; such a model does not run.
        var problem: String?
    }

    private let lock = NSLock()
    private let card: ModelCard
    private let given: (trust: ModelTrust?, details: CardDetails?, postProcessing: CardPostProcessing?)
    private var read: Value?

    /// Sections passed here are used as given; the others come from the file at `card.path`.
    init(card: ModelCard, trust: ModelTrust?, details: CardDetails?, postProcessing: CardPostProcessing?) {
        self.card = card
        given = (trust, details, postProcessing)
    }

    var value: Value {
        lock.lock(); defer { lock.unlock() }
        if let read { return read }
        let v = readFile()
        read = v
        return v
    }

    private func readFile() -> Value {
        let data = card.path.flatMap { FileManager.default.contents(atPath: $0) }
        let root = data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        var problems: [String] = []
        let details: CardDetails
        if let d = given.details {
            details = d
        } else if card.runsInAnalysis == false {
            details = CardDetails()  // never run by the pipeline: no candidate rule to read
        } else {
            do {
                guard let root else { throw CardDetails.Problem(description: "the card file cannot be read") }
                details = try CardDetails(json: root)
            } catch {
                details = CardDetails(); problems.append("\(error)")
            }
        }
        let trust: ModelTrust
        if let t = given.trust {
            trust = t
        } else {
            do { trust = try data.map { try ModelTrust(cardJSON: $0) } ?? ModelTrust() } catch {
                trust = ModelTrust(); problems.append("\(error)")
            }
        }
        var stroke: StrokeRule?
        do { stroke = try root.flatMap { try StrokeRule(cardJSON: $0) } } catch { problems.append("\(error)") }
        let post = given.postProcessing ?? root.map { CardPostProcessing(cardRoot: $0) } ?? CardPostProcessing()
        return Value(trust: trust, details: details, postProcessing: post, stroke: stroke,
                     problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }
}
