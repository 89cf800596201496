/// The `Imaging` module: data sets → images and volumes in physical space (LUTs, photometric
/// interpretation, series sorting, volumes, PNG/NPY export). See docs/ARCHITECTURE.md.
public enum ImagingModule {
    public static let version = "0.1.0"
}
