import DICOM
import Foundation
import Imaging

// The Swift side of the DICOM benchmarks (Benchmarks/dicom.sh runs it beside pydicom and dcmdump).
//   DICOMBench index DIR    header indexing (StudyIndex.scan, no cache): files/s
//   DICOMBench volume DIR   read + sort + convert a series to Float32 HU: MB/s
let args = CommandLine.arguments
guard args.count == 3 else {
    print("usage: DICOMBench index|volume DIR")
    exit(2)
}
let folder = args[2]
let start = Date()
switch args[1] {
case "index":
    let index = StudyIndex.scan([folder], cache: nil)
    let files = index.studies.reduce(0) { $0 + $1.instanceCount } + index.failures.count
    let dt = Date().timeIntervalSince(start)
    print(String(format: "%.1f files/s (%d files, %.3f s)", Double(files) / dt, files, dt))
case "volume":
    let index = StudyIndex.scan([folder], cache: nil)
    guard let series = index.studies.first?.series.first else { print("no series"); exit(1) }
    let volume = try VolumeLoader.load(series.instances)
    let dt = Date().timeIntervalSince(start)
    let bytes = series.instances.reduce(0) { total, h in
        total + ((try? FileManager.default.attributesOfItem(atPath: h.path)[.size] as? Int) ?? 0)
    }
    print(String(format: "%.1f MB/s ((%d, %d, %d), %.3f s, slice spacing %.2f mm, %d gaps)",
                 Double(bytes) / 1e6 / dt, volume.slices, volume.rows, volume.columns, dt, volume.spacing.slice, volume.gapsAfter.count))
default:
    print("unknown mode \(args[1])")
    exit(2)
}
