import Imaging

/// Brings one MR stack onto another's voxel grid in patient space, so the sequences of one study
/// can be read voxel by voxel together (the stroke model's channels; the FLAIR signal under a DWI
/// lesion).
///
/// Each target voxel's patient position is projected into the source stack: bilinear within a
/// slice, linear between the two nearest slices along the source normal, clamped at the first and
/// last slice (a FLAIR that starts 1.5 mm higher than the DWI repeats its edge slice rather than
/// fading to black). In-plane positions outside the source image read 0 (air). On the sample
/// studies the sequences share the in-plane grid, so this reduces to linear interpolation through
/// the slices. No registration: the sequences of one session are assumed not to have moved
/// between series (motion between them is a limitation the card states).
public enum SequenceResampling {
    /// `source` sampled at every voxel centre of `target`, slice-major like `target.voxels`.
    public static func resample(_ source: Volume, onto target: Volume) -> [Float] {
        let (tc, tr, ts) = (target.columns, target.rows, target.slices)
        var out = [Float](repeating: 0, count: tc * tr * ts)
        let o = source.origin
        let ru = source.rowDirection.map { $0 / source.spacing.column }
        let cv = source.columnDirection.map { $0 / source.spacing.row }
        let nw = source.sliceDirection.map { $0 / source.spacing.slice }
        func project(_ p: [Double], _ axis: [Double]) -> Double {
            (p[0] - o[0]) * axis[0] + (p[1] - o[1]) * axis[1] + (p[2] - o[2]) * axis[2]
        }
        let sc = source.columns, sr = source.rows, sPlane = sc * sr
        let lastSlice = Double(source.slices - 1)
        source.voxels.withUnsafeBufferPointer { src in
            func bilinear(_ k: Int, _ u: Double, _ v: Double) -> Float {
                guard u > -0.5, v > -0.5, u < Double(sc) - 0.5, v < Double(sr) - 0.5 else { return 0 }
                let uc = min(max(u, 0), Double(sc - 1)), vc = min(max(v, 0), Double(sr - 1))
                let x0 = Int(uc), y0 = Int(vc), x1 = min(x0 + 1, sc - 1), y1 = min(y0 + 1, sr - 1)
                let fx = Float(uc - Double(x0)), fy = Float(vc - Double(y0))
                let base = k * sPlane
                let top = src[base + y0 * sc + x0] * (1 - fx) + src[base + y0 * sc + x1] * fx
                let bottom = src[base + y1 * sc + x0] * (1 - fx) + src[base + y1 * sc + x1] * fx
                return top * (1 - fy) + bottom * fy
            }
            for z in 0 ..< ts {
                for y in 0 ..< tr {
                    for x in 0 ..< tc {
                        let p = target.patientPosition(column: Double(x), row: Double(y), slice: Double(z))
                        let u = project(p, ru), v = project(p, cv)
                        let w = min(max(project(p, nw), 0), lastSlice)
                        let k0 = Int(w), k1 = min(k0 + 1, source.slices - 1), fw = Float(w - Double(k0))
                        let a = bilinear(k0, u, v)
                        out[(z * tr + y) * tc + x] = fw == 0 ? a : a * (1 - fw) + bilinear(k1, u, v) * fw
                    }
                }
            }
        }
        return out
    }
}
