/// Intracranial haemorrhage volume: exact (voxel count × voxel volume) and the bedside ABC/2
/// estimate of Kothari et al., Stroke 1996;27:1304–1305.
public enum HaemorrhageVolume {
    /// Volume in mL of `voxels` voxels of the given spacing (mm).
    public static func millilitres(voxels: Int, spacing: (column: Double, row: Double, slice: Double)) -> Double {
        Double(voxels) * spacing.column * spacing.row * spacing.slice / 1000
    }

    /// ABC/2 in mL. `a` and `b` (mm) are the largest diameter and the largest diameter perpendicular
    /// to it on the slice with the largest haemorrhage area; C counts each slice whose area is ≥ 75%
    /// of that slice's as 1, 25–75% as 0.5, under 25% as 0, times the slice thickness (Kothari).
    public static func abcOver2(a: Double, b: Double, sliceAreas: [Double], sliceThicknessMM: Double) -> Double {
        guard let largest = sliceAreas.max(), largest > 0 else { return 0 }
        let slices = sliceAreas.reduce(0.0) { total, area in
            let f = area / largest
            return total + (f >= 0.75 ? 1 : f >= 0.25 ? 0.5 : 0)
        }
        let c = slices * sliceThicknessMM
        return a * b * c / 2 / 1000
    }
}
