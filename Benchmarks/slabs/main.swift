// Slab timing: MIP / MinIP / AvgIP of a 300-slice 512² volume (0.7 mm pixels, 1 mm slices), each
// plane and several thicknesses, median and fastest of 9 runs (a busy machine inflates the median). Built by Benchmarks/slabs.sh with `swiftc -O`
// from Imaging's Reformat sources alone, so it needs no package build.
import Dispatch
import Foundation

let n = 300, side = 512
let slices = (0 ..< n).map { z in (0 ..< side * side).map { i in Float((i &* 2654435761 &+ z) % 2048) - 1024 } }
let stack = AxialStack(slices: slices, width: side, height: side, rowSpacing: 0.7, columnSpacing: 0.7, sliceSpacing: 1,
                       slicePositions: (0 ..< n).map(Double.init))!
print("slab time, 300 × 512² volume, ms: median / fastest of 9")
for o in PlaneOrientation.allCases {
    for t in [10.0, 30.0, 100.0] {
        var line = "\(o.rawValue) \(Int(t)) mm:"
        for p in SlabProjection.allCases {
            var times: [Double] = []
            for _ in 0 ..< 9 {
                let start = DispatchTime.now().uptimeNanoseconds
                let plane = try stack.slab(o, stack.planeCount(o) / 2, thickness: t, projection: p)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                precondition(!plane.values.isEmpty)
            }
            line += " \(p.label) \(String(format: "%.1f/%.1f", times.sorted()[4], times.min()!))"
        }
        print(line)
    }
}
