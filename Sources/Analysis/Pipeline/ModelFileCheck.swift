import Foundation
import Inference

/// Whether a model file's bytes match its card's sha256, hashed the first time someone asks.
///
/// A catalog lists every installed model, but one analysis runs one or two of them: hashing all
/// of them up front (deepbet alone is 8.5 MB) was 80 ms of every `lightbox analyze`, a tenth of
/// a four-view mammogram's analysis. The answer is kept for the life of the catalog.
final class ModelFileCheck: @unchecked Sendable {
    private let lock = NSLock()
    private let card: ModelCard?
    private let url: URL?
    private var answer: Bool?

    /// `card`'s model file at `url`, hashed on first use.
    init(card: ModelCard, url: URL) { self.card = card; self.url = url }

    /// An answer already known (a caller that verified the file itself).
    init(known: Bool) { card = nil; url = nil; answer = known }

    var matches: Bool {
        lock.lock(); defer { lock.unlock() }
        if let answer { return answer }
        let bytes = url.flatMap { FileManager.default.contents(atPath: $0.path) }.map { [UInt8]($0) }
        let ok = bytes.map { (try? card?.verify(modelBytes: $0)) != nil } ?? false
        answer = ok
        return ok
    }
}
