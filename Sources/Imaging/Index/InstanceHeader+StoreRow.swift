/// `InstanceHeader` ⇄ a row of the study index store (`StudyIndexSchema.columns`, from column 5).
extension InstanceHeader {
    /// The last value read from each column, kept from row to row by one scan's decoder: text
    /// equal to the row before's (rows in key order: usually the same series) shares its storage
    /// instead of a new copy, without copying the previous header (a copy retains every field).
    struct RowCache {
        var texts = [String](repeating: "", count: StudyIndexSchema.columns.count)
        var doubles = [[Double]](repeating: [], count: StudyIndexSchema.columns.count)
    }

    /// The header in the statement's current row; `path` is the caller's name for the file (the row
    /// is keyed by the absolute path).
    init(row s: SQLiteStatement, path: String, cache: inout RowCache) {
        var c = StudyIndexSchema.firstHeaderColumn
        func next() -> Int32 { defer { c += 1 }; return c }
        func text() -> String { let i = next(); return s.text(i, cached: &cache.texts[Int(i)]) }
        func doubles() -> [Double] { let i = next(); return s.doubles(i, cached: &cache.doubles[Int(i)]) }
        self.path = path
        sopClassUID = text()
        sopInstanceUID = s.text(next())
        studyInstanceUID = text()
        seriesInstanceUID = text()
        patientName = text()
        patientID = text()
        patientBirthDate = text()
        patientSex = text()
        studyDate = text()
        studyTime = text()
        studyDescription = text()
        accessionNumber = text()
        seriesDescription = text()
        seriesNumber = s.int(next())
        modality = text()
        bodyPart = text()
        viewPosition = text()
        laterality = text()
        instanceNumber = s.int(next())
        imagePosition = s.doubles(next())
        imageOrientation = doubles()
        pixelSpacing = doubles()
        sliceThickness = s.double(next())
        rows = s.int(next()) ?? 0
        columns = s.int(next()) ?? 0
        frames = s.int(next()) ?? 1
        transferSyntaxUID = text()
        hasPixelData = (s.int(next()) ?? 0) != 0
        let frame = text()
        frameOfReferenceUID = frame.isEmpty ? nil : frame
        let issuer = text()
        issuerOfPatientID = issuer.isEmpty ? nil : issuer
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
        try s.bind(next(), frameOfReferenceUID)
        try s.bind(next(), issuerOfPatientID)
    }
}
