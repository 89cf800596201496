/// The `Workstation` module. See docs/ARCHITECTURE.md for where it sits in the data flow.
public enum WorkstationModule {
    /// Semantic version of this module's public API.
    public static let version = "0.1.0"
}
