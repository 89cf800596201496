/// `InstanceHeader` ⇄ a row of the study index store (`StudyIndexSchema.columns`, from column 5).
extension InstanceHeader {
    /// The header in the statement's current row; `path` is the caller's name for the file (the row
    /// is keyed by the absolute path). Text equal to `previous`'s (the row before, in key order:
    /// usually the same series) shares its storage instead of a new copy.
    init(row s: SQLiteStatement, path: String, previous p: InstanceHeader? = nil) {
        var c = StudyIndexSchema.firstHeaderColumn
        func next() -> Int32 { defer { c += 1 }; return c }
        self.path = path
        sopClassUID = s.text(next(), reusing: p?.sopClassUID)
        sopInstanceUID = s.text(next())
        studyInstanceUID = s.text(next(), reusing: p?.studyInstanceUID)
        seriesInstanceUID = s.text(next(), reusing: p?.seriesInstanceUID)
        patientName = s.text(next(), reusing: p?.patientName)
        patientID = s.text(next(), reusing: p?.patientID)
        patientBirthDate = s.text(next(), reusing: p?.patientBirthDate)
        patientSex = s.text(next(), reusing: p?.patientSex)
        studyDate = s.text(next(), reusing: p?.studyDate)
        studyTime = s.text(next(), reusing: p?.studyTime)
        studyDescription = s.text(next(), reusing: p?.studyDescription)
        accessionNumber = s.text(next(), reusing: p?.accessionNumber)
        seriesDescription = s.text(next(), reusing: p?.seriesDescription)
        seriesNumber = s.int(next())
        modality = s.text(next(), reusing: p?.modality)
        bodyPart = s.text(next(), reusing: p?.bodyPart)
        viewPosition = s.text(next(), reusing: p?.viewPosition)
        laterality = s.text(next(), reusing: p?.laterality)
        instanceNumber = s.int(next())
        imagePosition = s.doubles(next())
        imageOrientation = s.doubles(next())
        pixelSpacing = s.doubles(next())
        if let p, imageOrientation == p.imageOrientation { imageOrientation = p.imageOrientation }
        if let p, pixelSpacing == p.pixelSpacing { pixelSpacing = p.pixelSpacing }
        sliceThickness = s.double(next())
        rows = s.int(next()) ?? 0
        columns = s.int(next()) ?? 0
        frames = s.int(next()) ?? 1
        transferSyntaxUID = s.text(next(), reusing: p?.transferSyntaxUID)
        hasPixelData = (s.int(next()) ?? 0) != 0
        let frame = s.text(next(), reusing: p?.frameOfReferenceUID)
        frameOfReferenceUID = frame.isEmpty ? nil : frame
        let issuer = s.text(next(), reusing: p?.issuerOfPatientID)
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
