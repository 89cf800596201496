#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed activation buffers in the heap between runs.
///
/// glibc serves blocks above its mmap threshold with fresh `mmap`s, and returns heap memory above
/// its trim threshold to the kernel on `free`. Activations are megabytes and live for one layer, so
/// every run paid page faults and page zeroing for every layer's output again: 29 % of a run's CPU
/// time on the shipped U-Nets was in the kernel (`exc_page_fault`, `clear_page`). Raising both
/// thresholds makes the second run reuse the first run's pages, as onnxruntime's arena does.
/// Peak RSS (the largest live set) is unchanged; RSS between runs stays at that peak.
enum AllocatorTuning {
    /// Applied once, the first time a model is loaded. `mallopt` is looked up at run time: it is
    /// declared in <malloc.h>, which the Glibc module does not import, and other C libraries have
    /// none. The option numbers are glibc's ABI (`M_TRIM_THRESHOLD` −1, `M_MMAP_THRESHOLD` −3).
    static let applied: Bool = {
        #if os(Linux)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let sym = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return false }
        let mallopt = unsafeBitCast(sym, to: Mallopt.self)
        let mmapThreshold: Int32 = -3, trimThreshold: Int32 = -1
        return mallopt(mmapThreshold, 256 << 20) == 1 && mallopt(trimThreshold, 512 << 20) == 1
        #else
        return false
        #endif
    }()
}
