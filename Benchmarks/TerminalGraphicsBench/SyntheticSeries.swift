import TerminalGraphics
#if canImport(Glibc)
import Glibc
#endif

/// A deterministic synthetic chest CT series in a lung window: body ellipse, lungs, spine,
/// vessels that drift from slice to slice and a nodule present on a range of slices.
struct SyntheticSeries {
    let size: Int
    let slices: Int

    func slice(_ index: Int) -> RGBImage {
        let n = size
        let z = Double(index) / Double(max(slices - 1, 1))
        var p = [UInt8](repeating: 0, count: n * n)
        for y in 0..<n {
            for x in 0..<n {
                let u = (Double(x) - Double(n) / 2) / (Double(n) * 0.42)
                let v = (Double(y) - Double(n) / 2) / (Double(n) * 0.32)
                var hu = -1000.0
                if u * u + v * v < 1 {
                    hu = 40   // soft tissue
                    for side in [-1.0, 1.0] {
                        let lu: Double = (u - side * 0.45) / (0.36 + 0.04 * sin(z * 3))
                        let lv: Double = (v + 0.05) / 0.7
                        if lu * lu + lv * lv < 1 {
                            hu = -850
                            // vessels: a few drifting discs
                            for k in 0..<6 {
                                let phase = Double(k)
                                let cx: Double = side * 0.45 + 0.25 * sin(phase * 1.7 + z * 6)
                                let cy: Double = 0.5 * cos(phase * 2.3 + z * 4)
                                let du: Double = u - cx, dv: Double = v - cy
                                let d: Double = du * du + dv * dv
                                if d < 0.0016 { hu = 20 }
                            }
                        }
                    }
                    let su = u / 0.12, sv = (v - 0.72) / 0.18
                    if su * su + sv * sv < 1 { hu = 700 }
                    let nz = (z - 0.5) / 0.1, nu = (u + 0.4) / 0.06, nv = (v + 0.1) / 0.06
                    if nz * nz + nu * nu + nv * nv < 1 { hu = 30 }
                }
                // lung window: level -600, width 1500
                let g = (hu - (-600 - 750)) / 1500 * 255
                p[y * n + x] = UInt8(max(0, min(255, g.rounded())))
            }
        }
        guard let grey = try? GreyImage(width: n, height: n, pixels: p) else { fail("synthetic slice \(n)x\(n) does not fit its buffer") }
        return RGBImage(grey)
    }
}
