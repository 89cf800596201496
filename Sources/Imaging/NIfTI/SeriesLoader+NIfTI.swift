/// The series loader's NIfTI branch: one NIfTI instance is a whole volume, its slices the frames.
extension SeriesLoader {
    /// Every slice of a NIfTI volume as a frame, with its own position (as an Enhanced object's
    /// per-frame functional groups would give it) and the file's cal_min/cal_max as its window.
    static func niftiFrames(_ h: InstanceHeader) throws -> [LoadedFrame] {
        let image = try NIfTIReader.read(path: h.path, sliceUID: h.sopInstanceUID)
        let v = image.volume
        let orientation = image.geometry.imageOrientation
        let window = image.header.calMax > image.header.calMin && image.header.calMin.isFinite && image.header.calMax.isFinite
            ? VOITransform.Window(center: (image.header.calMax + image.header.calMin) / 2, width: image.header.calMax - image.header.calMin)
            : nil
        return (0 ..< min(v.slices, maximumFramesPerInstance)).map { z in
            let position = v.patientPosition(column: 0, row: 0, slice: Double(z))
            let f = StackFrame(width: v.columns, height: v.rows, values: Array(v.slice(z)), rgb: [], sopUID: h.sopInstanceUID,
                               path: h.path, frameIndex: z, rowSpacing: v.spacing.row, columnSpacing: v.spacing.column,
                               position: position, fileWindow: window, monochrome1: false, laterality: "", viewPosition: "",
                               orientation: orientation)
            var a = FrameAttributes(index: z)
            a.imagePosition = position
            a.imageOrientation = orientation
            a.pixelSpacing = [v.spacing.row, v.spacing.column]
            a.sliceThickness = v.spacing.slice
            return LoadedFrame(frame: f, attributes: a)
        }
    }

    /// The volume of a series that is one NIfTI file, with each slice's position along the normal.
    static func niftiVolume(_ h: InstanceHeader) throws -> LoadedVolume {
        let v = try NIfTIReader.read(path: h.path, sliceUID: h.sopInstanceUID).volume
        let n = v.sliceDirection
        let positions = (0 ..< v.slices).map { z in
            let p = v.patientPosition(column: 0, row: 0, slice: Double(z))
            return p[0] * n[0] + p[1] * n[1] + p[2] * n[2]
        }
        return LoadedVolume(volume: v, positions: positions)
    }
}
