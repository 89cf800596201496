/// The `LightboxConfig` module: configuration files → the values the other modules take.
///
/// One TOML reader (`TOMLParser`) serves every file: colour themes (`Themes/*.toml` → `Theme`),
/// the workstation's settings and key bindings in `config.toml`, and the DICOMweb archives in the
/// same `config.toml` (→ `ArchiveRegistry`). Nothing here draws, decodes or talks to a network; the
/// modules below stay free of file formats (TerminalGraphics is "RGB → terminal bytes").
/// See docs/ARCHITECTURE.md.
public enum LightboxConfigModule {
    public static let version = "0.1.0"
}
