import Foundation
import Imaging

/// A CT on a coarse grid (about 4 mm) for registration: the mean HU of each block of voxels,
/// clipped to −1000…200, and the lungs as the air inside the body.
///
/// The lungs are the blocks under −400 HU that are not connected (6-connectivity) to the in-plane
/// border of the grid, i.e. not the air around the patient. Building it reads every voxel once
/// (O(voxels)); the grid itself is small (a 300-slice 512² study at 0.7 × 0.7 × 1 mm gives about
/// 90 × 90 × 75 blocks).
public struct LungGrid: Sendable {
    public let nx: Int, ny: Int, nz: Int
    /// Clipped mean HU per block, index (z · ny + y) · nx + x.
    public let values: [Float]
    public let lung: [Bool]
    /// Patient position of block (0,0,0)'s centre and the steps (mm) along x, y, z of the grid.
    let origin: [Double]
    let axes: [[Double]]
    /// Inverse of the 3×3 matrix [axes] (columns are the axes), row-major.
    let inverseAxes: [Double]

    public init(volume v: Volume, blockMM: Double = 4) {
        let bx = max(1, Int((blockMM / v.spacing.column).rounded()))
        let by = max(1, Int((blockMM / v.spacing.row).rounded()))
        let bz = max(1, Int((blockMM / max(v.spacing.slice, 0.1)).rounded()))
        let gx = max(1, v.columns / bx), gy = max(1, v.rows / by), gz = max(1, v.slices / bz)
        nx = gx; ny = gy; nz = gz
        var sums = [Float](repeating: 0, count: gx * gy * gz)
        var counts = [Float](repeating: 0, count: gx * gy * gz)
        let plane = v.columns * v.rows
        v.voxels.withUnsafeBufferPointer { src in
            for z in 0 ..< min(v.slices, gz * bz) {
                let zi = z / bz
                for y in 0 ..< min(v.rows, gy * by) {
                    let row = z * plane + y * v.columns
                    let out = (zi * gy + y / by) * gx
                    for x in 0 ..< min(v.columns, gx * bx) {
                        sums[out + x / bx] += max(-1000, min(200, src[row + x]))
                        counts[out + x / bx] += 1
                    }
                }
            }
        }
        values = zip(sums, counts).map { $1 > 0 ? $0 / $1 : -1000 }
        let o = v.patientPosition(column: Double(bx - 1) / 2, row: Double(by - 1) / 2, slice: Double(bz - 1) / 2)
        origin = o
        let px = v.patientPosition(column: Double(bx - 1) / 2 + Double(bx), row: Double(by - 1) / 2, slice: Double(bz - 1) / 2)
        let py = v.patientPosition(column: Double(bx - 1) / 2, row: Double(by - 1) / 2 + Double(by), slice: Double(bz - 1) / 2)
        let pz = v.patientPosition(column: Double(bx - 1) / 2, row: Double(by - 1) / 2, slice: Double(bz - 1) / 2 + Double(bz))
        axes = [px, py, pz].map { p in (0 ..< 3).map { p[$0] - o[$0] } }
        inverseAxes = Self.invert(axes)
        lung = Self.lungMask(values, nx: nx, ny: ny, nz: nz)
    }

    /// Patient position (mm) of block (x, y, z)'s centre.
    @inline(__always)
    func position(_ x: Double, _ y: Double, _ z: Double) -> [Double] {
        (0 ..< 3).map { origin[$0] + x * axes[0][$0] + y * axes[1][$0] + z * axes[2][$0] }
    }

    /// Grid coordinates of a patient position.
    @inline(__always)
    func gridCoordinates(_ p: [Double]) -> (Double, Double, Double) {
        let d = (p[0] - origin[0], p[1] - origin[1], p[2] - origin[2])
        let m = inverseAxes
        return (m[0] * d.0 + m[1] * d.1 + m[2] * d.2, m[3] * d.0 + m[4] * d.1 + m[5] * d.2, m[6] * d.0 + m[7] * d.1 + m[8] * d.2)
    }

    /// The clipped HU at grid coordinates, trilinear; coordinates outside are clamped to the edge.
    @inline(__always)
    func sample(_ gx: Double, _ gy: Double, _ gz: Double, _ buf: UnsafeBufferPointer<Float>) -> Float {
        let x = max(0, min(Double(nx - 1), gx)), y = max(0, min(Double(ny - 1), gy)), z = max(0, min(Double(nz - 1), gz))
        let x0 = min(Int(x), max(0, nx - 2)), y0 = min(Int(y), max(0, ny - 2)), z0 = min(Int(z), max(0, nz - 2))
        let x1 = min(x0 + 1, nx - 1), y1 = min(y0 + 1, ny - 1), z1 = min(z0 + 1, nz - 1)
        let fx = Float(x - Double(x0)), fy = Float(y - Double(y0)), fz = Float(z - Double(z0))
        @inline(__always) func at(_ xi: Int, _ yi: Int, _ zi: Int) -> Float { buf[(zi * ny + yi) * nx + xi] }
        let c00 = at(x0, y0, z0) + (at(x1, y0, z0) - at(x0, y0, z0)) * fx
        let c10 = at(x0, y1, z0) + (at(x1, y1, z0) - at(x0, y1, z0)) * fx
        let c01 = at(x0, y0, z1) + (at(x1, y0, z1) - at(x0, y0, z1)) * fx
        let c11 = at(x0, y1, z1) + (at(x1, y1, z1) - at(x0, y1, z1)) * fx
        let c0 = c00 + (c10 - c00) * fy, c1 = c01 + (c11 - c01) * fy
        return c0 + (c1 - c0) * fz
    }

    /// Air (< −400 HU) not connected in 6-connectivity to the in-plane border.
    static func lungMask(_ values: [Float], nx: Int, ny: Int, nz: Int) -> [Bool] {
        let air = values.map { $0 < -400 }
        var outside = [Bool](repeating: false, count: values.count)
        var stack: [Int] = []
        for z in 0 ..< nz {
            for y in 0 ..< ny {
                for x in 0 ..< nx where x == 0 || y == 0 || x == nx - 1 || y == ny - 1 {
                    let i = (z * ny + y) * nx + x
                    if air[i] && !outside[i] { outside[i] = true; stack.append(i) }
                }
            }
        }
        let plane = nx * ny
        while let i = stack.popLast() {
            let x = i % nx, y = (i / nx) % ny, z = i / plane
            for (d, ok) in [(-1, x > 0), (1, x < nx - 1), (-nx, y > 0), (nx, y < ny - 1), (-plane, z > 0), (plane, z < nz - 1)] where ok {
                let j = i + d
                if air[j] && !outside[j] { outside[j] = true; stack.append(j) }
            }
        }
        return (0 ..< values.count).map { air[$0] && !outside[$0] }
    }

    static func invert(_ a: [[Double]]) -> [Double] {
        // Columns of M are the axes: M[r][c] = a[c][r].
        let m = [a[0][0], a[1][0], a[2][0], a[0][1], a[1][1], a[2][1], a[0][2], a[1][2], a[2][2]]
        let det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
        guard abs(det) > 1e-12 else { return [0, 0, 0, 0, 0, 0, 0, 0, 0] }
        let inv = [m[4] * m[8] - m[5] * m[7], m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
                   m[5] * m[6] - m[3] * m[8], m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
                   m[3] * m[7] - m[4] * m[6], m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3]]
        return inv.map { $0 / det }
    }
}
