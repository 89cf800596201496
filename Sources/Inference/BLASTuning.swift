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
public enum BLASTuning {
    /// The kernel family OpenBLAS chose ("Prescott", "Haswell", "SkylakeX", …).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Re-executes the current process with `OPENBLAS_CORETYPE` set when OpenBLAS fell back to
    /// generic kernels on a CPU with wider vector units. Returns normally when nothing to do
    /// (already set, already good kernels, not Linux, or exec failed).
    public static func reexecWithTunedKernelsIfNeeded() {
        #if os(Linux)
        guard getenv("OPENBLAS_CORETYPE") == nil else { return }
        let name = coreName.lowercased()
        guard name == "prescott" || name == "core2" || name == "nehalem" || name == "unknown" else { return }
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        let target: String
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { target = "SkylakeX" }
        else if flags.contains("avx2") && flags.contains("fma") { target = "Haswell" }
        else { return }
        setenv("OPENBLAS_CORETYPE", target, 1)
        let args = CommandLine.arguments
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) }
        cargs.append(nil)
        execv("/proc/self/exe", &cargs)
        // exec failed: carry on with the slow kernels.
        for p in cargs { free(p) }
        #endif
    }
}
