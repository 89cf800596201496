import Foundation
import Inference

/// Whether a model file's bytes match its card's sha256, hashed the first time someone asks.
///
/// A catalog lists every installed model, but one analysis runs one or two of them: hashing all
/// of them up front (deepbet alone is 8.5 MB) was 80 ms of every `lightbox analyze`, a tenth of
/// a four-view mammogram's analysis. The answer is kept for the life of the catalog.
final class ModelFileCheck: @unchecked Sendable {
    private let lock = NSLock()
    private let url: URL?
    private let expected: String
    private var answer: Bool?

    /// A file to hash on first use.
    init(url: URL, expectedSHA256: String) { self.url = url; expected = expectedSHA256.lowercased() }

    /// An answer already known (a caller that verified the file itself).
    init(known: Bool) { url = nil; expected = ""; answer = known }

    var matches: Bool {
        lock.lock(); defer { lock.unlock() }
        if let answer { return answer }
        let bytes = url.flatMap { FileManager.default.contents(atPath: $0.path) }.map { [UInt8]($0) }
        let ok = bytes.map { ModelCard.sha256(of: $0) == expected } ?? false
        answer = ok
        return ok
    }
}
