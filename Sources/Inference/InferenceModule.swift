/// The `Inference` module: ONNX models → tensors, on the CPU, through OpenBLAS.
/// See docs/ARCHITECTURE.md for where it sits in the data flow. Knows nothing about DICOM.
public enum InferenceModule {
    /// Semantic version of this module's public API.
    public static let version = "0.2.0"
}
