import ArgumentParser
import Imaging

/// `--plane`, `--slab` and `--projection`, shared by `render` and `export-png`: a reformatted plane
/// or thick slab of a series folder instead of one stored frame (docs/WORKSTATION.md, slabs).
struct PlaneOptions: ParsableArguments {
    @Option(help: "Plane of a series folder: axial, coronal or sagittal (default axial).")
    var plane: String?

    @Option(help: ArgumentHelp("Thick slab, this many millimetres thick, centred on the slice (series folder).", valueName: "mm"))
    var slab: Double?

    @Option(help: "Slab projection: mip, minip or avg (default mip; needs --slab).")
    var projection: String?

    /// Whether these options ask for more than the stored frame.
    var isRequested: Bool { plane != nil || slab != nil || projection != nil }

    var orientation: PlaneOrientation { plane.flatMap(PlaneOrientation.init(rawValue:)) ?? .axial }
    var chosenProjection: SlabProjection { projection.flatMap(SlabProjection.init(name:)) ?? .mip }

    func validate() throws {
        if let plane, PlaneOrientation(rawValue: plane.lowercased()) == nil || plane != plane.lowercased() {
            throw ValidationError("unknown --plane \(plane): use axial, coronal or sagittal")
        }
        if let projection, SlabProjection(name: projection) == nil {
            throw ValidationError("unknown --projection \(projection): use mip, minip or avg")
        }
        if let slab, !(slab.isFinite && slab >= 0) {
            throw ValidationError("--slab must be a thickness in millimetres ≥ 0 (got \(slab))")
        }
        if projection != nil && slab == nil { throw ValidationError("--projection needs --slab <mm>") }
    }
}
