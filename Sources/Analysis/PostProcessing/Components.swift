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
        var label = [Int32](repeating: 0, count: map.count)
        var out: [Component] = []
        var stack: [Int] = []
        let plane = columns * rows
        for seed in map.indices where map[seed] >= threshold && label[seed] == 0 {
            let id = Int32(out.count + 1)
            label[seed] = id
            stack.append(seed)
            var voxels: [Int] = []
            var peak: Float = 0, wsum = 0.0, sx = 0.0, sy = 0.0, sz = 0.0
            var x0 = Int.max, x1 = Int.min, y0 = Int.max, y1 = Int.min, z0 = Int.max, z1 = Int.min
            while let v = stack.popLast() {
                voxels.append(v)
                let z = v / plane, y = (v % plane) / columns, x = v % columns
                let p = map[v]
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
                            if label[n] == 0 && map[n] >= threshold { label[n] = id; stack.append(n) }
                        }
                    }
                }
            }
            guard voxels.count >= minimumVoxels else { continue }
            voxels.sort()
            out.append(Component(voxels: voxels, maxProbability: peak,
                                 centroid: (sx / wsum, sy / wsum, sz / wsum),
                                 bounds: (x0 ... x1, y0 ... y1, z0 ... z1)))
        }
        return out.sorted { $0.maxProbability > $1.maxProbability }
    }
}
