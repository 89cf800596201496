/// `InstanceHeader` ⇄ a row of the study index store (`StudyIndexSchema.columns`, from column 5).
extension InstanceHeader {
    /// The header in the statement's current row; `path` is the caller's name for the file (the row
    /// is keyed by the absolute path).
    init(row s: SQLiteStatement, path: String) {
        var c = StudyIndexSchema.firstHeaderColumn
        func next() -> Int32 { defer { c += 1 }; return c }
        self.path = path
        sopClassUID = s.text(next())
        sopInstanceUID = s.text(next())
        studyInstanceUID = s.text(next())
        seriesInstanceUID = s.text(next())
        patientName = s.text(next())
        patientID = s.text(next())
        patientBirthDate = s.text(next())
        patientSex = s.text(next())
        studyDate = s.text(next())
        studyTime = s.text(next())
        studyDescription = s.text(next())
        accessionNumber = s.text(next())
        seriesDescription = s.text(next())
        seriesNumber = s.int(next())
        modality = s.text(next())
        bodyPart = s.text(next())
        viewPosition = s.text(next())
        laterality = s.text(next())
        instanceNumber = s.int(next())
        imagePosition = s.doubles(next())
        imageOrientation = s.doubles(next())
        pixelSpacing = s.doubles(next())
        sliceThickness = s.double(next())
        rows = s.int(next()) ?? 0
        columns = s.int(next()) ?? 0
        frames = s.int(next()) ?? 1
        transferSyntaxUID = s.text(next())
        hasPixelData = (s.int(next()) ?? 0) != 0
    }

    /// Binds the header's fields to the insert statement's parameters 6… (1-based).
    func bind(to s: SQLiteStatement) throws {
        var p = StudyIndexSchema.firstHeaderColumn + 1
        func next() -> Int32 { defer { p += 1 }; return p }
        for v in [sopClassUID, sopInstanceUID, studyInstanceUID, seriesInstanceUID, patientName, patientID,
                  patientBirthDate, patientSex, studyDate, studyTime, studyDescription, accessionNumber,
                  seriesDescription] { try s.bind(next(), v) }
        try s.bind(next(), seriesNumber)
        for v in [modality, bodyPart, viewPosition, laterality] { try s.bind(next(), v) }
        try s.bind(next(), instanceNumber)
        for v in [imagePosition, imageOrientation, pixelSpacing] { try s.bind(next(), v) }
        try s.bind(next(), sliceThickness)
        for v in [rows, columns, frames] { try s.bind(next(), Int?(v)) }
        try s.bind(next(), transferSyntaxUID)
        try s.bind(next(), Int?(hasPixelData ? 1 : 0))
    }
}
