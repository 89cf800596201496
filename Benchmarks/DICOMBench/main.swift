import DICOM
import Foundation
import Imaging

// The Swift side of the DICOM benchmarks (Benchmarks/dicom.sh runs it beside pydicom and dcmdump).
//   DICOMBench index DIR              header indexing (StudyIndex.scan, no store): files/s
//   DICOMBench store-cold DIR STORE   first scan into an empty study index store (reads and saves every file): files/s
//   DICOMBench store-warm DIR STORE   rescan with every file unchanged, paged as the worklist does
//                                     (stat + store; one header per series decoded): seconds
//   DICOMBench store-warm-full DIR STORE   the same, every header decoded (as `analyze` scans): seconds
//   DICOMBench store-snapshot DIR STORE    the worklist as the store last saw it, nothing stat'ed
//                                     (what the workstation shows while the warm rescan checks it): seconds
//   DICOMBench volume DIR             read + sort + convert a series to Float32 HU: MB/s
// Each line ends with this process's peak RSS, so one run is one measurement.
let args = CommandLine.arguments
guard args.count >= 3 else {
    print("usage: DICOMBench index|volume DIR | store-cold|store-warm DIR STORE")
    exit(2)
}
let folder = args[2]

/// Peak resident set size of this process in MB (getrusage: kB on Linux, bytes on macOS).
func peakRSSMB() -> Double {
    var usage = rusage()
    #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1e6
    #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1e3
    #endif
}

func files(_ index: StudyIndex) -> Int { index.studies.reduce(0) { $0 + $1.instanceCount } + index.failures.count }

let start = Date()
switch args[1] {
case "index":
    let index = StudyIndex.scan([folder], cache: nil)
    let dt = Date().timeIntervalSince(start)
    print(String(format: "%.1f files/s (%d files, %.3f s, peak RSS %.0f MB)", Double(files(index)) / dt, files(index), dt, peakRSSMB()))
case "store-cold", "store-warm", "store-warm-full":
    guard args.count == 4 else { print("usage: DICOMBench \(args[1]) DIR STORE"); exit(2) }
    let store = StudyIndexStore(url: URL(fileURLWithPath: args[3]))
    let index = StudyIndex.scan([folder], cache: store, paging: args[1] == "store-warm")
    let dt = Date().timeIntervalSince(start)
    let n = files(index)
    if args[1] == "store-cold" {
        print(String(format: "%.1f files/s (%d files read and stored, %.3f s, peak RSS %.0f MB)", Double(n) / dt, index.parsedCount, dt, peakRSSMB()))
    } else {
        let paged = index.studies.reduce(0) { $0 + $1.series.filter(\.isPaged).count }
        print(String(format: "%.3f s (%d files, %d from the store, %d read, %d studies, %d of their series paged, peak RSS %.0f MB)",
                     dt, n, index.cachedCount, index.parsedCount, index.studies.count, paged, peakRSSMB()))
    }
case "store-snapshot":
    guard args.count == 4 else { print("usage: DICOMBench \(args[1]) DIR STORE"); exit(2) }
    guard let index = StudyIndex.stored([folder], store: StudyIndexStore(url: URL(fileURLWithPath: args[3]))) else {
        print("nothing stored under \(folder)")
        exit(1)
    }
    let dt = Date().timeIntervalSince(start)
    let paged = index.studies.reduce(0) { $0 + $1.series.filter(\.isPaged).count }
    print(String(format: "%.3f s (%d files, %d studies, %d of their series paged, peak RSS %.0f MB)",
                 dt, files(index), index.studies.count, paged, peakRSSMB()))
case "volume":
    let index = StudyIndex.scan([folder], cache: nil)
    guard let series = index.studies.first?.series.first else { print("no series"); exit(1) }
    let volume = try SeriesLoader.volume(of: series.instances).volume
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
