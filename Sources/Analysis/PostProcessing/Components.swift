/// Connected components of a thresholded probability map, in 2-D (8-connected) or 3-D
/// (26-connected), with the measurements findings need. O(n) in voxels, iterative (no recursion).
public struct Component: Sendable, Equatable {
    /// Voxel indices (slice-major: (z · rows + y) · columns + x).
    public var voxels: [Int]
    public var maxProbability: Float
    /// Probability-weighted centroid in voxel coordinates (x, y, z).
    public var centroid: (x: Double, y: Double, z: Double)
    public var bounds: (x: ClosedRange<Int>, y: ClosedRange<Int>, z: ClosedRange<Int>)

    public static func == (a: Component, b: Component) -> Bool { a.voxels == b.voxels }
}

public enum ComponentLabeler {
    /// Components of `map` (columns × rows × slices) at or above `threshold`, largest peak first.
    /// Components smaller than `minimumVoxels` are dropped (noise).
    public static func components(_ map: [Float], columns: Int, rows: Int, slices: Int = 1,
                                  threshold: Float, minimumVoxels: Int = 1) -> [Component] {
        precondition(map.count == columns * rows * slices, "map size does not match its dimensions")
        var filled = FilledVoxels(count: map.count)
        var out: [Component] = []
        map.withUnsafeBufferPointer { values in
            for seed in values.indices where values[seed] >= threshold && !filled.contains(seed) {
                let c = fill(from: seed, columns: columns, rows: rows, slices: slices, threshold: threshold,
                             filled: &filled) { values[$0] }
                if c.voxels.count >= minimumVoxels { out.append(c) }
            }
        }
        return out.sorted { $0.maxProbability > $1.maxProbability }
    }

    /// The one component that holds `seed` (whose value must be at or above `threshold`), found by
    /// flood fill: the same component `components` would report, without labelling the whole map.
    /// `value(i)` is read only for the component and its border, so a caller can compute the map
    /// lazily (a heatmap brought to the volume's grid slice by slice, only where a finding is).
    /// Every voxel of the component is added to `filled`; a seed already there belongs to a
    /// component found before.
    public static func component(containing seed: Int, columns: Int, rows: Int, slices: Int = 1, threshold: Float,
                                 filled: inout FilledVoxels, value: (Int) -> Float) -> Component {
        precondition(seed >= 0 && seed < columns * rows * slices && !filled.contains(seed), "seed outside the map or already filled")
        return fill(from: seed, columns: columns, rows: rows, slices: slices, threshold: threshold, filled: &filled, value: value)
    }

    /// One bit per voxel: which voxels belong to a component already found.
    public struct FilledVoxels: Sendable {
        private var bits: [UInt64]
        public init(count: Int) { bits = [UInt64](repeating: 0, count: (max(0, count) + 63) / 64) }
        public func contains(_ i: Int) -> Bool { bits[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        mutating func insert(_ i: Int) { bits[i >> 6] |= 1 << UInt64(i & 63) }
    }

    private static func fill(from seed: Int, columns: Int, rows: Int, slices: Int, threshold: Float,
                             filled: inout FilledVoxels, value: (Int) -> Float) -> Component {
        let plane = columns * rows
        var stack = [seed]
        filled.insert(seed)
        var voxels: [Int] = []
        var peak: Float = 0, wsum = 0.0, sx = 0.0, sy = 0.0, sz = 0.0
        var x0 = Int.max, x1 = Int.min, y0 = Int.max, y1 = Int.min, z0 = Int.max, z1 = Int.min
        while let v = stack.popLast() {
            voxels.append(v)
            let z = v / plane, y = (v % plane) / columns, x = v % columns
            let p = value(v)
            peak = max(peak, p)
            wsum += Double(p); sx += Double(p) * Double(x); sy += Double(p) * Double(y); sz += Double(p) * Double(z)
            x0 = min(x0, x); x1 = max(x1, x); y0 = min(y0, y); y1 = max(y1, y); z0 = min(z0, z); z1 = max(z1, z)
            for dz in (slices > 1 ? -1 ... 1 : 0 ... 0) {
                let nz = z + dz
                guard nz >= 0 && nz < slices else { continue }
                for dy in -1 ... 1 {
                    let ny = y + dy
                    guard ny >= 0 && ny < rows else { continue }
                    for dx in -1 ... 1 {
                        let nx = x + dx
                        guard nx >= 0 && nx < columns else { continue }
                        let n = nz * plane + ny * columns + nx
                        if !filled.contains(n) && value(n) >= threshold { filled.insert(n); stack.append(n) }
                    }
                }
            }
        }
        voxels.sort()
        return Component(voxels: voxels, maxProbability: peak, centroid: (sx / wsum, sy / wsum, sz / wsum),
                         bounds: (x0 ... x1, y0 ... y1, z0 ... z1))
    }
}
