import Foundation
import Imaging
import Inference

/// `lightbox info FILE.nii[.gz]`: the header fields a reader checks and the geometry Lightbox
/// derived (which of sform/qform/pixdim, LPS origin and directions of the voxels as shown, the
/// flips applied); `--pixels-npy` writes the scaled voxels as float32 [slices, rows, columns] in
/// that shown order, for comparison with nibabel (Tests/Conformance/nifti_nibabel.py).
enum NIfTIInfo {
    static func run(path: String, json: Bool, pixelsNPY: String?) throws {
        let image = try NIfTIReader.read(path: path)
        let h = image.header, g = image.geometry, v = image.volume
        let object: [String: Any] = [
            "file": path, "format": "NIfTI-\(h.version)", "byteOrder": h.bigEndian ? "big" : "little",
            "dims": h.dims, "datatype": "\(h.datatype)", "sclSlope": h.sclSlope, "sclInter": h.sclInter,
            "qformCode": h.qformCode, "sformCode": h.sformCode, "intentCode": h.intentCode, "description": h.descrip,
            "geometry": [
                "source": g.source.rawValue, "storedAffineLPS": g.storedAffineLPS,
                "flips": ["columns": g.flipColumns, "rows": g.flipRows, "slices": g.flipSlices],
                "origin": v.origin, "rowDirection": v.rowDirection, "columnDirection": v.columnDirection,
                "sliceDirection": v.sliceDirection, "spacing": [v.spacing.column, v.spacing.row, v.spacing.slice],
            ] as [String: Any],
            "shown": ["columns": v.columns, "rows": v.rows, "slices": v.slices],
            "warnings": image.warnings,
        ]
        if let pixelsNPY {
            let body = v.voxels.withUnsafeBytes { Array($0) }  // Float is little-endian on every platform Swift runs on here
            let data = NPY.file(descr: "<f4", shape: [v.slices, v.rows, v.columns], body: body)
            try Data(data).write(to: URL(fileURLWithPath: pixelsNPY))
        }
        if json { try Output.json(object); return }
        Output.line("\(path): NIfTI-\(h.version), \(h.bigEndian ? "big" : "little")-endian, \(h.datatype), dims \(h.dims.prefix(3).map(String.init).joined(separator: "×"))"
                    + (h.volumeCount > 1 ? " × \(h.volumeCount) volumes" : ""))
        Output.line("geometry from \(g.source.rawValue) (sform_code \(h.sformCode), qform_code \(h.qformCode)); spacing "
                    + String(format: "%.4g × %.4g × %.4g mm", v.spacing.column, v.spacing.row, v.spacing.slice))
        Output.line("shown: origin (LPS) \(v.origin.map { String(format: "%.2f", $0) }.joined(separator: ", ")); "
                    + "flips i \(g.flipColumns), j \(g.flipRows), k \(g.flipSlices)")
        if let s = h.scaling { Output.line("values = \(s.slope) × stored + \(s.intercept)") }
        for w in image.warnings { Output.line("warning: \(w)") }
    }
}
