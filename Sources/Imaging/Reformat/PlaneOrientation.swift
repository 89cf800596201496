/// The three orthogonal planes a volume is read in.
public enum PlaneOrientation: String, CaseIterable, Sendable {
    /// The acquired slices themselves.
    case axial
    /// Front to back: one plane per image row.
    case coronal
    /// Left to right: one plane per image column.
    case sagittal
}
