import Foundation
import Imaging

/// Rigid (6 degrees of freedom) registration of a prior chest CT to the current one, on the lungs.
///
/// **Why rigid.** Between two screening CTs of one patient a year apart the lungs differ mostly by
/// where the patient lay on the table (a shift and a small rotation); the remaining differences
/// (inspiration depth, a little deformation) are small at the scale that matters for matching
/// nodules, which are centimetres apart. A rigid transform has six parameters, so it is found in a
/// fraction of a second on a coarse grid and cannot fold or stretch a growing nodule into its prior
/// (a deformable or affine fit would partly absorb the growth we want to measure). Residual
/// misalignment is left to the matching's distance gate.
///
/// **How.** Both CTs go on a ~4 mm grid (`LungGrid`). The similarity is the mean squared
/// difference of the clipped HU over sample points in the current CT's lungs and a block around
/// them (so the chest wall, the mediastinum and the diaphragm take part), at most `maxPoints`
/// of them. It starts from the shift that aligns the two lungs' centroids and minimises by
/// pattern search (each parameter ±step, steps halved when none helps) from 2° / 4 mm down to
/// 0.1° / 0.2 mm, rotating about the current lungs' centroid. Each evaluation is O(points).
///
/// Result convention: `p_prior = R · p_current + t` (patient LPS, mm).
public enum LungRegistration {
    public struct Result: Sendable {
        public var transform: RigidTransform
        /// RMS clipped-HU difference over the sample points with the identity and with `transform`.
        public var rmsBefore: Double
        public var rmsAfter: Double
        public var evaluations: Int
    }

    public static func register(current: Volume, prior: Volume, blockMM: Double = 4, maxPoints: Int = 20000) -> Result {
        register(current: LungGrid(volume: current, blockMM: blockMM), prior: LungGrid(volume: prior, blockMM: blockMM), maxPoints: maxPoints)
    }

    public static func register(current c: LungGrid, prior p: LungGrid, maxPoints: Int = 20000) -> Result {
        // Sample points: the current lungs dilated by one block.
        var region = c.lung
        let plane = c.nx * c.ny
        for i in c.lung.indices where c.lung[i] {
            let x = i % c.nx, y = (i / c.nx) % c.ny, z = i / plane
            for dz in -1 ... 1 where z + dz >= 0 && z + dz < c.nz {
                for dy in -1 ... 1 where y + dy >= 0 && y + dy < c.ny {
                    for dx in -1 ... 1 where x + dx >= 0 && x + dx < c.nx { region[i + dz * plane + dy * c.nx + dx] = true }
                }
            }
        }
        var indices = region.indices.filter { region[$0] }
        if indices.isEmpty { indices = Array(c.values.indices) }  // no lungs found: the whole grid
        let stride = max(1, Int((Double(indices.count) / Double(maxPoints)).rounded(.up)))
        let chosen = Swift.stride(from: 0, to: indices.count, by: stride).map { indices[$0] }
        let points = chosen.map { i in c.position(Double(i % c.nx), Double((i / c.nx) % c.ny), Double(i / plane)) }
        let fixed = chosen.map { c.values[$0] }
        // Centroids of the two lungs (patient mm).
        func centroid(_ g: LungGrid) -> [Double]? {
            var s = [0.0, 0.0, 0.0], n = 0.0
            let pl = g.nx * g.ny
            for i in g.lung.indices where g.lung[i] {
                let q = g.position(Double(i % g.nx), Double((i / g.nx) % g.ny), Double(i / pl))
                for k in 0 ..< 3 { s[k] += q[k] }
                n += 1
            }
            return n > 0 ? s.map { $0 / n } : nil
        }
        var mean: [Double] = [0, 0, 0]
        for q in points { for k in 0 ..< 3 { mean[k] += q[k] / Double(points.count) } }
        let cc: [Double] = centroid(c) ?? mean
        let pc: [Double] = centroid(p) ?? cc
        // Flat copies for the inner loop.
        let xs = points.map { $0[0] - cc[0] }, ys = points.map { $0[1] - cc[1] }, zs = points.map { $0[2] - cc[2] }
        var evaluations = 0
        func cost(_ params: [Double]) -> Double {
            evaluations += 1
            let t = RigidTransform(anglesDeg: Array(params[0 ..< 3]), translation: [0, 0, 0])
            let r = t.rotation
            // p_prior = R (p − cc) + cc + shift; in prior grid coordinates.
            let base = [cc[0] + params[3], cc[1] + params[4], cc[2] + params[5]]
            let m = p.inverseAxes
            let d0 = (base[0] - p.origin[0], base[1] - p.origin[1], base[2] - p.origin[2])
            // Grid coordinates are affine in the point: g = M·(R·q) + M·d0.
            let a = multiply(m, r)
            let o0 = m[0] * d0.0 + m[1] * d0.1 + m[2] * d0.2
            let o1 = m[3] * d0.0 + m[4] * d0.1 + m[5] * d0.2
            let o2 = m[6] * d0.0 + m[7] * d0.1 + m[8] * d0.2
            var sum = 0.0
            p.values.withUnsafeBufferPointer { buf in
                for k in xs.indices {
                    let x = xs[k], y = ys[k], z = zs[k]
                    let gx: Double = a[0] * x + a[1] * y + a[2] * z + o0
                    let gy: Double = a[3] * x + a[4] * y + a[5] * z + o1
                    let gz: Double = a[6] * x + a[7] * y + a[8] * z + o2
                    let v = p.sample(gx, gy, gz, buf)
                    let d = Double(v - fixed[k])
                    sum += d * d
                }
            }
            return sum / Double(max(1, xs.count))
        }
        let identity = cost([0, 0, 0, 0, 0, 0])
        var best: [Double] = [0, 0, 0, 0, 0, 0]
        for k in 0 ..< 3 { best[3 + k] = pc[k] - cc[k] }
        var bestCost = cost(best)
        if identity < bestCost { best = [0, 0, 0, 0, 0, 0]; bestCost = identity }
        var steps = [2.0, 2, 2, 4, 4, 4]
        let minimum = [0.1, 0.1, 0.1, 0.2, 0.2, 0.2]
        while evaluations < 800 {
            var improved = false
            for k in 0 ..< 6 {
                for sign in [1.0, -1.0] {
                    var trial = best
                    trial[k] += sign * steps[k]
                    let value = cost(trial)
                    if value < bestCost {
                        bestCost = value; best = trial; improved = true
                        // Keep going the same way while it helps.
                        var further = trial
                        while evaluations < 800 {
                            further[k] += sign * steps[k]
                            let v2 = cost(further)
                            guard v2 < bestCost else { break }
                            bestCost = v2; best = further
                        }
                        break
                    }
                }
            }
            if !improved {
                if zip(steps, minimum).allSatisfy({ $0 <= $1 }) { break }
                steps = steps.map { $0 / 2 }
            }
        }
        let transform = RigidTransform(anglesDeg: Array(best[0 ..< 3]), about: cc, shift: Array(best[3 ..< 6]))
        return Result(transform: transform, rmsBefore: identity.squareRoot(), rmsAfter: bestCost.squareRoot(), evaluations: evaluations)
    }

    /// Row-major 3×3 product.
    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: 9)
        for i in 0 ..< 3 {
            for j in 0 ..< 3 {
                var sum = 0.0
                for k in 0 ..< 3 { sum += a[i * 3 + k] * b[k * 3 + j] }
                out[i * 3 + j] = sum
            }
        }
        return out
    }
}
