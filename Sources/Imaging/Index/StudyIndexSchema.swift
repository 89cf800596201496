/// The study index store's one table. The key is the absolute path, the primary key of a WITHOUT
/// ROWID table, so a folder's rows are one contiguous range read in key order (the merge join in
/// `StudyIndexDatabase.match`). A header is stored as columns, not an encoded blob: SQLite reads
/// them without a second decoder, and priors can later be found by `study_uid` or `patient_id`
/// with an index instead of a scan, and a paged scan's series read back by `series_uid` (`StoredInstances`). Rows of unreadable files have `failure` set and no header.
enum StudyIndexSchema {
    /// Every column in the order `select` returns and `insert` binds them (0-based).
    static let columns = [
        "path", "size", "mtime_ns", "inode", "failure",
        "sop_class_uid", "sop_instance_uid", "study_uid", "series_uid",
        "patient_name", "patient_id", "patient_birth_date", "patient_sex",
        "study_date", "study_time", "study_description", "accession_number",
        "series_description", "series_number", "modality", "body_part",
        "view_position", "laterality", "instance_number",
        "image_position", "image_orientation", "pixel_spacing", "slice_thickness",
        "rows", "columns", "frames", "transfer_syntax_uid", "has_pixel_data",
        "frame_of_reference_uid", "issuer_of_patient_id",
    ]
    /// Column index of the first header field (after the key, stamp and failure).
    static let firstHeaderColumn: Int32 = 5

    static let create = """
        CREATE TABLE files (
            path TEXT PRIMARY KEY NOT NULL,
            size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, inode INTEGER NOT NULL,
            failure TEXT,
            sop_class_uid TEXT, sop_instance_uid TEXT, study_uid TEXT, series_uid TEXT,
            patient_name TEXT, patient_id TEXT, patient_birth_date TEXT, patient_sex TEXT,
            study_date TEXT, study_time TEXT, study_description TEXT, accession_number TEXT,
            series_description TEXT, series_number INTEGER, modality TEXT, body_part TEXT,
            view_position TEXT, laterality TEXT, instance_number INTEGER,
            image_position BLOB, image_orientation BLOB, pixel_spacing BLOB, slice_thickness REAL,
            rows INTEGER, columns INTEGER, frames INTEGER, transfer_syntax_uid TEXT, has_pixel_data INTEGER,
            frame_of_reference_uid TEXT, issuer_of_patient_id TEXT
        ) WITHOUT ROWID;
        CREATE INDEX files_patient ON files (patient_id);
        CREATE INDEX files_series ON files (series_uid);
        """

    static let selectRange = "SELECT \(columns.joined(separator: ", ")) FROM files WHERE path >= ?1 AND path < ?2 ORDER BY path"
    static let selectOne = "SELECT \(columns.joined(separator: ", ")) FROM files WHERE path = ?1"
    static let selectPatient = "SELECT \(columns.joined(separator: ", ")) FROM files WHERE patient_id = ?1 AND failure IS NULL ORDER BY path"
    static let selectSeries = "SELECT \(columns.joined(separator: ", ")) FROM files WHERE series_uid = ?1 AND failure IS NULL ORDER BY path"
    static let insert = "INSERT OR REPLACE INTO files (\(columns.joined(separator: ", "))) VALUES (\(columns.indices.map { "?\($0 + 1)" }.joined(separator: ", ")))"
    static let delete = "DELETE FROM files WHERE path = ?1"
}
