extension PatientPlane {
    /// Where plane `index` of an `AxialStack`-style reformat lies, given the planes of the first and
    /// last slices (sorted along the normal, inferior → superior). Coronal plane `k` is image row
    /// `k` of every slice, sagittal plane `k` image column `k`, with the last slice as the top row
    /// (`AxialStack.plane`'s layout). Axial planes are each slice's own (build them from its file).
    ///
    /// The rows of a reformat are modelled as evenly spaced from the first slice to the last: exact
    /// for a regular series; across a gap in the slices, rows in between are placed at the mean
    /// spacing (the display draws them evenly too). Nil for fewer than two slices or coincident ends.
    public static func reformat(_ orientation: PlaneOrientation, index k: Int, first: PatientPlane, last: PatientPlane,
                                sliceCount n: Int) -> PatientPlane? {
        guard n > 1 else { return nil }
        let down = Vector3.subtract(first.origin, last.origin)   // superior (top row) → inferior
        let step = Vector3.length(down) / Double(n - 1)
        switch orientation {
        case .axial:
            return nil
        case .coronal:
            let origin = last.position(x: 0, y: Double(k))
            return PatientPlane(origin: origin, rowDirection: first.rowDirection, columnDirection: down,
                              rowSpacing: step, columnSpacing: first.columnSpacing, width: first.width, height: n)
        case .sagittal:
            let origin = last.position(x: Double(k), y: 0)
            return PatientPlane(origin: origin, rowDirection: first.columnDirection, columnDirection: down,
                              rowSpacing: step, columnSpacing: first.rowSpacing, width: first.height, height: n)
        }
    }
}
