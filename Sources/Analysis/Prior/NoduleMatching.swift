import Foundation

/// Which current nodule is which prior nodule: an optimal one-to-one assignment (Hungarian
/// algorithm, O(n³) for n = current + prior findings) on a cost of position after registration
/// plus size similarity, with a distance gate.
///
/// Cost of pairing current i with prior j, both centres in current coordinates:
/// `d / gate + 0.25 · |ln(mean diameter ratio)|`, where `gate = 8 mm + 0.5 · larger diameter`;
/// a pair farther apart than its gate cannot match. Leaving a finding unmatched costs 2, so any
/// pair inside the gate is preferred to two unmatched findings unless a better pairing uses them.
/// The size term only breaks near-ties (a growing nodule may triple its volume in a year).
public enum NoduleMatching {
    public struct Item: Sendable {
        public var center: [Double]
        public var diameterMM: Double
        public init(center: [Double], diameterMM: Double) { self.center = center; self.diameterMM = diameterMM }
    }

    /// Pairs (current index, prior index, distance mm).
    public static func match(current: [Item], prior: [Item], gateBaseMM: Double = 8, gatePerDiameter: Double = 0.5)
        -> [(current: Int, prior: Int, distanceMM: Double)] {
        let n = current.count, m = prior.count
        guard n > 0, m > 0 else { return [] }
        let forbidden = 1e6, unmatched = 2.0
        let size = n + m
        var cost = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
        var distance = [[Double]](repeating: [Double](repeating: .infinity, count: m), count: n)
        for i in 0 ..< size {
            for j in 0 ..< size {
                switch (i < n, j < m) {
                case (true, true):
                    let a = current[i], b = prior[j]
                    let d = sqrt(zip(a.center, b.center).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) })
                    distance[i][j] = d
                    let gate = gateBaseMM + gatePerDiameter * max(a.diameterMM, b.diameterMM)
                    let ratio = max(a.diameterMM, 0.5) / max(b.diameterMM, 0.5)
                    cost[i][j] = d > gate ? forbidden : d / gate + 0.25 * abs(log(ratio))
                case (true, false), (false, true): cost[i][j] = unmatched
                case (false, false): cost[i][j] = 0
                }
            }
        }
        let assignment = hungarian(cost)
        return (0 ..< n).compactMap { i in
            let j = assignment[i]
            guard j < m, cost[i][j] < forbidden else { return nil }
            return (i, j, distance[i][j])
        }
    }

    /// Minimum-cost perfect assignment of a square matrix: row i → column result[i].
    static func hungarian(_ a: [[Double]]) -> [Int] {
        let n = a.count
        var u = [Double](repeating: 0, count: n + 1), v = [Double](repeating: 0, count: n + 1)
        var p = [Int](repeating: 0, count: n + 1), way = [Int](repeating: 0, count: n + 1)
        for i in 1 ... n {
            p[0] = i
            var j0 = 0
            var minv = [Double](repeating: .infinity, count: n + 1)
            var used = [Bool](repeating: false, count: n + 1)
            repeat {
                used[j0] = true
                let i0 = p[j0]
                var delta = Double.infinity, j1 = 0
                for j in 1 ... n where !used[j] {
                    let cur = a[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j] { minv[j] = cur; way[j] = j0 }
                    if minv[j] < delta { delta = minv[j]; j1 = j }
                }
                for j in 0 ... n {
                    if used[j] { u[p[j]] += delta; v[j] -= delta } else { minv[j] -= delta }
                }
                j0 = j1
            } while p[j0] != 0
            repeat {
                let j1 = way[j0]
                p[j0] = p[j1]
                j0 = j1
            } while j0 != 0
        }
        var result = [Int](repeating: 0, count: n)
        for j in 1 ... n where p[j] > 0 { result[p[j] - 1] = j - 1 }
        return result
    }
}
