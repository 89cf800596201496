/// The k-th smallest values of an array without sorting it: quickselect with a three-way
/// partition (an image's pixel values repeat a lot), each later k searched only to the right of the
/// one before. O(n) expected; a range that has not shrunk after 48 rounds is sorted instead.
///
/// Two percentiles of a 1000 × 800 mammogram by a full sort took 40 ms per image, done for each
/// view and its contralateral partner.
enum OrderStatistics {
    /// `values.sorted()[k]` for each k in `ranks` (each within `values.indices`), in the same order.
    static func select(_ values: [Float], ranks: [Int]) -> [Float] {
        precondition(ranks.allSatisfy { values.indices.contains($0) }, "rank outside the array")
        var a = values
        var found: [Int: Float] = [:]
        a.withUnsafeMutableBufferPointer { buf in
            var lo = 0
            for k in Set(ranks).sorted() {
                found[k] = select(buf, k, from: lo)
                lo = k
            }
        }
        return ranks.map { found[$0]! }
    }

    /// Rearranges `a[lo...]` so that `a[k]` holds the k-th smallest, everything before it ≤ and
    /// everything after it ≥; returns that value. Everything before `lo` must already be ≤ the rest.
    private static func select(_ a: UnsafeMutableBufferPointer<Float>, _ k: Int, from start: Int) -> Float {
        var lo = start, hi = a.count - 1
        var rounds = 0
        while lo < hi {
            rounds += 1
            if rounds > 48 {
                var range = UnsafeMutableBufferPointer(rebasing: a[lo ... hi])
                range.sort()
                return a[k]
            }
            let pivot = medianOfThree(a[lo], a[lo + (hi - lo) / 2], a[hi])
            // [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
            var lt = lo, i = lo, gt = hi
            while i <= gt {
                let v = a[i]
                if v < pivot { a.swapAt(lt, i); lt += 1; i += 1 } else if v > pivot { a.swapAt(i, gt); gt -= 1 } else { i += 1 }
            }
            if k < lt { hi = lt - 1 } else if k > gt { lo = gt + 1 } else { return pivot }
        }
        return a[k]
    }

    private static func medianOfThree(_ x: Float, _ y: Float, _ z: Float) -> Float {
        max(min(x, y), min(max(x, y), z))
    }
}
