/// The `DICOM` module: bytes → data sets. See docs/ARCHITECTURE.md.
public enum DICOMModule {
    public static let version = "0.1.0"
}
