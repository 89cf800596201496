import Foundation
import Synchronization

/// Which kernels run the heavy operators (Conv, ConvTranspose, pooling).
///
/// - `openblas`: the portable path: NCHW tensors, im2col + `cblas_sgemm`, loops in Swift.
/// - `dnnl`: oneDNN's JIT kernels. Chains of supported operators run channels-last (NHWC), with
///   one layout change where a chain starts and ends (see `NHWCLowering`); the rest of the graph
///   runs on the OpenBLAS kernels unchanged.
///
/// The default is `dnnl` when oneDNN starts on this CPU, else `openblas`. The environment
/// variable `LIGHTBOX_BACKEND` (`openblas` or `dnnl`) overrides it for every caller in the
/// process (the CLI, the analysis pipeline, the workstation); `Model.LoadOptions.backend`
/// overrides it for one model. Asking for `dnnl` where it cannot start falls back to `openblas`.
public enum InferenceBackend: String, Sendable, CaseIterable {
    case openblas
    case dnnl

    /// Whether this backend can run here.
    public var isAvailable: Bool {
        switch self {
        case .openblas: return true
        case .dnnl: return DNNL.isAvailable
        }
    }

    /// Set by `select(_:)` (the CLI's `--backend`); wins over the environment.
    private static let selected = Mutex<InferenceBackend?>(nil)

    /// Makes `backend` the default for models loaded from now on in this process.
    public static func select(_ backend: InferenceBackend) { selected.withLock { $0 = backend } }

    /// The selected backend, else `LIGHTBOX_BACKEND` if set to a known name, else the fastest
    /// available; always one that runs here.
    public static var processDefault: InferenceBackend {
        if let s = selected.withLock({ $0 }) { return s.effective }
        if let v = ProcessInfo.processInfo.environment["LIGHTBOX_BACKEND"]?.lowercased(),
           let b = InferenceBackend(rawValue: v) {
            return b.isAvailable ? b : .openblas
        }
        return DNNL.isAvailable ? .dnnl : .openblas
    }

    /// The backend that will actually run when `self` is requested.
    var effective: InferenceBackend { isAvailable ? self : .openblas }
}
