/// The `DICOMweb` module: a QIDO-RS / WADO-RS / STOW-RS client (PS3.18) for reading from and writing
/// back to an archive such as Orthanc. Knows nothing about terminals or AI.
public enum DICOMwebModule {
    public static let version = "0.1.0"
}
