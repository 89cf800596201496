import Parallel
import Dispatch
import Imaging

/// The order and batches in which a 2-D model's images are decoded. Decoding dominates (JPEG 2000
/// mammograms), so each batch is decoded on all cores; batches hold at most `batchSize` images so
/// a long series of radiographs is never all in memory at once. For a model that reads each view
/// beside the other breast's (`CardDetails.contralateralChannel`), the two views of a pair are
/// put in the same batch.
struct ProjectionBatches {
    let headers: [InstanceHeader]
    /// Indices into `headers`, every image once.
    let batches: [[Int]]
    /// Each paired image's partner (both directions).
    let partner: [Int: Int]

    init(headers: [InstanceHeader], pairContralateral: Bool, batchSize: Int = 8) {
        self.headers = headers
        let groups = pairContralateral ? ContralateralPairing.groups(headers) : headers.indices.map { [$0] }
        var partner: [Int: Int] = [:]
        for g in groups where g.count == 2 {
            partner[g[0]] = g[1]
            partner[g[1]] = g[0]
        }
        var batches: [[Int]] = []
        for g in groups {
            if let last = batches.last, last.count + g.count <= batchSize {
                batches[batches.count - 1] += g
            } else {
                batches.append(g)
            }
        }
        self.partner = partner
        self.batches = batches
    }

    /// Decodes `batch` in parallel; every index of the batch gets a result.
    func decode(_ batch: [Int]) -> [Int: Result<ProjectionImage, Error>] {
        var loaded = [Result<ProjectionImage, Error>?](repeating: nil, count: batch.count)
        let headers = self.headers
        loaded.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf  // each index written by one iteration
            Parallel.perform(iterations: batch.count) { k in
                buf[k] = Result { try ProjectionImage.load(headers[batch[k]]) }
            }
        }
        var out: [Int: Result<ProjectionImage, Error>] = [:]
        for (k, i) in batch.enumerated() { if let r = loaded[k] { out[i] = r } }
        return out
    }
}
