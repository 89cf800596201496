import COpenBLAS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS picks its GEMM kernels once, when the library loads, from the CPU it detects.
/// Debian's OpenBLAS 0.3.21 does not recognise some current Xeons and falls back to the SSE3
/// "Prescott" kernels, which makes every convolution 3× slower. The only switch is the
/// `OPENBLAS_CORETYPE` environment variable, read before `main`; so when we see the fallback on
/// a CPU that has AVX-512 or AVX2, we set it and re-execute the process once.
///
/// oneDNN's OpenMP runtime (libgomp) has the same problem: it reads its wait policy once, at load.
/// By default an idle worker busy-spins for about 300 000 iterations at every barrier. On a shared
/// 2-core machine that spinning worker takes the core the other thread needs, and a U-Net that
/// runs in 5 ms took 70–160 ms (load average 3–4). `GOMP_SPINCOUNT=1000` (the short spin libgomp
/// itself uses when oversubscribed) keeps the quiet-machine latency and removes those stalls, so
/// it is set in the same re-execution when the user has chosen no OpenMP wait policy.
///
/// OpenBLAS's own threads likewise keep polling (with `sched_yield`) for 2²⁸ cycles, about 0.1 s,
/// after every call. With the `dnnl` backend only a classifier's final Gemm runs on OpenBLAS, so
/// after each run of a MONAI DenseNet121 one core stayed busy for 133 ms, taking it from whatever
/// ran next (in the benchmark, onnxruntime's turn). `OPENBLAS_THREAD_TIMEOUT=20` (2²⁰ cycles,
/// about 0.4 ms: still longer than the gap between two GEMMs of the `openblas` backend) is set in
/// the same re-execution when unset.
public enum BLASTuning {
    /// The kernel family OpenBLAS chose ("Prescott", "Haswell", "SkylakeX", …).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Re-executes the current process once with `OPENBLAS_CORETYPE` set when OpenBLAS fell back
    /// to generic kernels on a CPU with wider vector units, with `GOMP_SPINCOUNT=1000` when no
    /// OpenMP wait policy is set, and with `OPENBLAS_THREAD_TIMEOUT=20` when unset. Returns normally when there is nothing to do (already set, not
    /// Linux, or exec failed).
    public static func reexecWithTunedKernelsIfNeeded() {
        #if os(Linux)
        var changed = false
        if let target = openBLASCoreType() {
            setenv("OPENBLAS_CORETYPE", target, 1)
            changed = true
        }
        if getenv("OMP_WAIT_POLICY") == nil && getenv("GOMP_SPINCOUNT") == nil {
            setenv("GOMP_SPINCOUNT", "1000", 1)
            changed = true
        }
        if getenv("OPENBLAS_THREAD_TIMEOUT") == nil && getenv("GOTO_THREAD_TIMEOUT") == nil {
            setenv("OPENBLAS_THREAD_TIMEOUT", "20", 1)
            changed = true
        }
        guard changed else { return }
        let args = CommandLine.arguments
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cargs.append(nil)
        execv("/proc/self/exe", &cargs)
        // exec failed: carry on with the slow kernels.
        for p in cargs { free(p) }
        #endif
    }

    /// The `OPENBLAS_CORETYPE` to force, when OpenBLAS fell back to generic kernels on a CPU with
    /// AVX2 or AVX-512 and the user has not chosen one; nil otherwise.
    private static func openBLASCoreType() -> String? {
        guard getenv("OPENBLAS_CORETYPE") == nil else { return nil }
        let name = coreName.lowercased()
        guard name == "prescott" || name == "core2" || name == "nehalem" || name == "unknown" else { return nil }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { return "SkylakeX" }
        if flags.contains("avx2") && flags.contains("fma") { return "Haswell" }
        return nil
    }
}
