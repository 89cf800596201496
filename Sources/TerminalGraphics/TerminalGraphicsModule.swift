/// The `TerminalGraphics` module: RGB images (+ overlays) → bytes for a terminal.
///
/// Pipeline: ``ImageLayout`` fits an image into a ``CellGrid`` at its true physical aspect,
/// ``Resampler`` produces the raster the chosen encoder samples, ``OverlayCompositor`` draws
/// findings onto that raster, and an ``ImageEncoder`` (half-block, sextant, ASCII, sixel, kitty,
/// iTerm2) turns it into bytes. ``ImageRenderer`` chains these steps.
public enum TerminalGraphicsModule {
    /// Semantic version of this module's public API.
    public static let version = "0.2.0"
}
