/// Where a NIfTI volume's voxels lie, in DICOM's patient space (LPS, mm), and the flips that put
/// its voxels in the order a DICOM viewer expects.
///
/// NIfTI maps voxel (i, j, k) to RAS+ millimetres by one of three methods, tried in the standard's
/// order of preference: the sform affine when `sform_code > 0`, else the qform (quaternion, pixdim
/// and qfac) when `qform_code > 0`, else `pixdim` alone (method 1: x = i·pixdim[1], …). DICOM's LPS
/// is RAS with x and y negated.
///
/// Reading order: NIfTI files usually store i toward patient right→left reversed and j toward
/// anterior, which a viewer drawing row 0 at the top would show upside down. The voxels are flipped
/// along i and/or j so that the row direction points toward +x or +y (or −z) and the column
/// direction likewise — the orientation DICOM scanners write (patient left on the image right,
/// posterior or inferior at the bottom). Slices are flipped along k when needed so that they run
/// along row × column, the normal the DICOM loader sorts slices by, so a NIfTI volume is laid out
/// exactly as the same scan loaded from DICOM. The geometry below describes the flipped voxels exactly.
public struct NIfTIGeometry: Sendable, Equatable {
    public enum Source: String, Sendable { case sform, qform, pixdim }

    public var source: Source
    /// The 3×4 voxel → LPS affine of the voxels as stored (before any flip).
    public var storedAffineLPS: [[Double]]
    /// Whether the reader reverses i (columns), j (rows) and k (slices).
    public var flipColumns: Bool
    public var flipRows: Bool
    public var flipSlices: Bool
    /// The geometry of the flipped voxels, as `Volume` takes it.
    public var origin: [Double]
    public var rowDirection: [Double]
    public var columnDirection: [Double]
    public var sliceDirection: [Double]
    public var spacing: (column: Double, row: Double, slice: Double)

    public static func == (a: NIfTIGeometry, b: NIfTIGeometry) -> Bool {
        a.source == b.source && a.storedAffineLPS == b.storedAffineLPS && a.flipColumns == b.flipColumns && a.flipRows == b.flipRows
            && a.flipSlices == b.flipSlices
    }

    public init(header h: NIfTIHeader) throws(NIfTIError) {
        let ras: [[Double]]
        if h.sformCode > 0, h.srow.joined().allSatisfy(\.isFinite) {
            source = .sform
            ras = h.srow
        } else if h.qformCode > 0, (h.quaternion + h.qoffset).allSatisfy(\.isFinite) {
            source = .qform
            ras = Self.qformAffine(h)
        } else {
            source = .pixdim
            ras = (0 ..< 3).map { r in (0 ..< 4).map { c in c == r ? Self.step(h.pixdim[r + 1]) : 0 } }
        }
        let lps = ras.enumerated().map { r, row in r < 2 ? row.map { -$0 } : row }
        storedAffineLPS = lps
        let axis = (0 ..< 3).map { c in (0 ..< 3).map { lps[$0][c] } }
        let lengths = axis.map { ($0[0] * $0[0] + $0[1] * $0[1] + $0[2] * $0[2]).squareRoot() }
        for (c, l) in lengths.enumerated() where !(l > 1e-9 && l.isFinite) {
            throw .badField(name: source == .sform ? "srow" : "pixdim", reason: "voxel axis \(c) has length \(l)")
        }
        let unit = (0 ..< 3).map { c in axis[c].map { $0 / lengths[c] } }
        flipColumns = !Self.pointsForward(unit[0])
        flipRows = !Self.pointsForward(unit[1])
        rowDirection = flipColumns ? unit[0].map { -$0 } : unit[0]
        columnDirection = flipRows ? unit[1].map { -$0 } : unit[1]
        let (r, c) = (rowDirection, columnDirection)
        let normal = [r[1] * c[2] - r[2] * c[1], r[2] * c[0] - r[0] * c[2], r[0] * c[1] - r[1] * c[0]]
        flipSlices = zip(normal, unit[2]).map(*).reduce(0, +) < 0
        sliceDirection = flipSlices ? unit[2].map { -$0 } : unit[2]
        spacing = (lengths[0], lengths[1], lengths[2])
        let i0 = flipColumns ? Double(h.dims[0] - 1) : 0, j0 = flipRows ? Double(h.dims[1] - 1) : 0
        let k0 = flipSlices ? Double(h.dims[2] - 1) : 0
        origin = (0 ..< 3).map { r in lps[r][0] * i0 + lps[r][1] * j0 + lps[r][2] * k0 + lps[r][3] }
    }

    /// The voxel → RAS affine of the qform (nifti1.h, "METHOD 2"): rotation from the unit quaternion
    /// (b, c, d) with a = √(1 − b² − c² − d²), columns scaled by pixdim, the third by qfac too.
    static func qformAffine(_ h: NIfTIHeader) -> [[Double]] {
        var (b, c, d) = (h.quaternion[0], h.quaternion[1], h.quaternion[2])
        var a = 1 - (b * b + c * c + d * d)
        if a < 1e-7 {  // Not a unit quaternion: normalise (b, c, d), a 180° rotation.
            let n = (b * b + c * c + d * d).squareRoot()
            if n > 0 { b /= n; c /= n; d /= n }
            a = 0
        } else {
            a = a.squareRoot()
        }
        let qfac: Double = h.pixdim[0] < 0 ? -1 : 1
        let (dx, dy, dz) = (step(h.pixdim[1]), step(h.pixdim[2]), step(h.pixdim[3]) * qfac)
        let r = [[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                 [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
                 [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b]]
        return (0 ..< 3).map { i in [r[i][0] * dx, r[i][1] * dy, r[i][2] * dz, h.qoffset[i]] }
    }

    /// A pixdim as a voxel size: its magnitude, or 1 mm when it is zero or not finite (as nifti1_io does).
    static func step(_ v: Double) -> Double { v.isFinite && v != 0 ? abs(v) : 1 }

    /// Whether a unit axis already points the way DICOM rows and columns run: toward +x (left) or
    /// +y (posterior) when x or y dominates, toward −z (inferior) when z does.
    static func pointsForward(_ u: [Double]) -> Bool {
        let k = (0 ..< 3).max { abs(u[$0]) < abs(u[$1]) } ?? 0
        return k == 2 ? u[2] <= 0 : u[k] >= 0
    }

    /// Image Orientation (Patient) of the flipped voxels: row direction then column direction.
    public var imageOrientation: [Double] { rowDirection + columnDirection }

    /// LPS position of flipped voxel (column, row, slice).
    public func position(column: Double, row: Double, slice: Double) -> [Double] {
        (0 ..< 3).map { k in
            origin[k] + column * spacing.column * rowDirection[k] + row * spacing.row * columnDirection[k]
                + slice * spacing.slice * sliceDirection[k]
        }
    }
}
