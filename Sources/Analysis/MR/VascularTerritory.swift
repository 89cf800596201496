/// Which arterial territory an infarct lies in, by its position in the head. A coarse rule, not an
/// atlas: the head's extent (voxels of the normalised DWI above 0.3) gives its centre and half
/// sizes; the lesion centre's side comes from its x (patient left is +x in DICOM's LPS), and
///
/// - posterior third (y beyond 0.3 of the half depth behind the centre) → PCA;
/// - near the midline (|x| within 0.25 of the half width) and anterior (y before −0.2) → ACA;
/// - otherwise → MCA, the territory of most infarcts.
///
/// Watershed, brainstem and cerebellar infarcts are not told apart: the label says "territory
/// (estimated)" on screen, and the reader corrects it.
public enum VascularTerritory {
    /// "left MCA", "right PCA", … for a lesion centre (patient mm) in a head spanning `minimum`…`maximum`.
    public static func name(center: [Double], headMinimum: [Double], headMaximum: [Double]) -> String? {
        guard center.count == 3, headMinimum.count == 3, headMaximum.count == 3 else { return nil }
        let mid = (0 ..< 3).map { (headMinimum[$0] + headMaximum[$0]) / 2 }
        let half = (0 ..< 3).map { (headMaximum[$0] - headMinimum[$0]) / 2 }
        guard half[0] > 0, half[1] > 0 else { return nil }
        let fx = (center[0] - mid[0]) / half[0], fy = (center[1] - mid[1]) / half[1]
        let side = fx >= 0 ? "left" : "right"
        if fy > 0.3 { return "\(side) PCA" }
        if abs(fx) < 0.25 && fy < -0.2 { return "\(side) ACA" }
        return "\(side) MCA"
    }
}
