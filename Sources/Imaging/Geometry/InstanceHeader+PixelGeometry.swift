extension InstanceHeader {
    /// The pixel geometry of this instance (its Pixel Spacing, or Imager Pixel Spacing when that is
    /// all the file gives); unknown when neither is usable.
    public var pixelGeometry: PixelGeometry { PixelGeometry(pixelSpacing: pixelSpacing) }
}
