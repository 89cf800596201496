import Foundation
import Imaging

/// A nodule's volume for growth, measured the same way at both time points: the partial-volume sum
/// S = Σ min(1, (HU − b) / (s − b)) over a sphere about its centre, b the median HU of the lung in
/// a 4 mm shell outside the sphere, s = 0 HU (soft tissue), less what the sphere would hold without
/// the nodule. The sphere's radius is the same at both time points (`NoduleComparison` sizes it).
///
/// Background: vessels, fissures and airway walls fill part of any sphere in the lung, and count
/// fully; left in, they add a constant to both volumes and lengthen the doubling time (a 14 mm
/// nodule measured in a 28 mm sphere grew 56 % instead of 94 %). The shell's mean fraction f of
/// the same sum estimates that background density, and the nodule's share of the n voxels is
/// (S − f·n) / (1 − f). Where f ≥ `maxBackgroundFraction` (a nodule on the pleura or mediastinum,
/// whose shell is half wall) the correction would amplify noise, and S is kept.
///
/// Why not the findings' own volumes: those count voxels where the model's heatmap is ≥ 0.5, and
/// the heatmap's margin around a nodule is about constant in millimetres, so small volumes are
/// overstated more than large ones and the ratio V₂/V₁ (hence the doubling time) shrinks. Noise
/// below and above b averages out because values under b are not clipped. O(sphere voxels).
public enum NoduleVolumetry {
    public static let marginMM = 2.5
    public static let shellMM = 4.0
    public static let solidHU = 0.0
    /// Used for nodules whose `solid_fraction` (either time point) reaches this; sub-solid nodules
    /// (mostly ground glass, which is not soft tissue) keep the segmentation's volumes.
    public static let solidFractionForHU = 0.4
    /// Above this shell background fraction, no background is subtracted (see above).
    public static let maxBackgroundFraction = 0.5

    /// mL, or nil when the sphere leaves the volume or the shell has no lung.
    public static func volumeML(in v: Volume, center: [Double], radiusMM r: Double) -> Double? {
        guard center.count == 3, r > 0 else { return nil }
        // Voxel coordinates of the centre (orthonormal directions: projections).
        let d = (0 ..< 3).map { center[$0] - v.origin[$0] }
        func dot(_ a: [Double]) -> Double { a[0] * d[0] + a[1] * d[1] + a[2] * d[2] }
        let ci = dot(v.rowDirection) / v.spacing.column, cj = dot(v.columnDirection) / v.spacing.row
        let ck = dot(v.sliceDirection) / v.spacing.slice
        let outer = r + shellMM
        let ri = Int((outer / v.spacing.column).rounded(.up)), rj = Int((outer / v.spacing.row).rounded(.up))
        let rk = Int((outer / v.spacing.slice).rounded(.up))
        let i0 = Int(ci.rounded()), j0 = Int(cj.rounded()), k0 = Int(ck.rounded())
        guard i0 - ri >= 0, j0 - rj >= 0, k0 - rk >= 0, i0 + ri < v.columns, j0 + rj < v.rows, k0 + rk < v.slices else { return nil }
        var inside: [Float] = [], shell: [Float] = [], shellAll: [Float] = []
        let plane = v.columns * v.rows
        for k in (k0 - rk) ... (k0 + rk) {
            let dz = (Double(k) - ck) * v.spacing.slice
            for j in (j0 - rj) ... (j0 + rj) {
                let dy = (Double(j) - cj) * v.spacing.row
                for i in (i0 - ri) ... (i0 + ri) {
                    let dx = (Double(i) - ci) * v.spacing.column
                    let dist = (dx * dx + dy * dy + dz * dz).squareRoot()
                    let hu = v.voxels[k * plane + j * v.columns + i]
                    if dist <= r {
                        inside.append(hu)
                    } else if dist <= outer {
                        shellAll.append(hu)
                        if hu < -500 { shell.append(hu) }
                    }
                }
            }
        }
        guard shell.count >= 8, !inside.isEmpty else { return nil }
        shell.sort()
        let b = Double(shell[shell.count / 2])
        let voxelML = v.spacing.column * v.spacing.row * v.spacing.slice / 1000
        func fraction(_ hu: Float) -> Double { min(1, (Double(hu) - b) / (solidHU - b)) }
        let sum = inside.reduce(0.0) { $0 + fraction($1) }
        let background = shellAll.reduce(0.0) { $0 + fraction($1) } / Double(shellAll.count)
        let nodule = background > 0 && background < maxBackgroundFraction
            ? (sum - background * Double(inside.count)) / (1 - background) : sum
        return max(0, nodule) * voxelML
    }
}
