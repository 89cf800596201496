import Foundation

/// Schema versions of the review database, applied in order; the database records how many have
/// run (`ReviewDatabase.schemaVersion`). Never edit a shipped migration: append a new one.
///
/// This is the one copy of the schema for every database. The SQL is common to SQLite and
/// PostgreSQL except two spellings, which come from the dialect: the identity key (`id`) and the
/// append-only triggers (`appendOnly`). Types are written the portable way (INTEGER, REAL, TEXT);
/// on PostgreSQL they are spelled BIGINT and DOUBLE PRECISION (`postgresTypes`), because there
/// INTEGER is 32-bit and REAL is a 4-byte float, where SQLite's are 64-bit and 8-byte: a
/// probability stored as REAL would come back as 0.8999999761581421. Migration 1's SQLite
/// triggers keep their shipped text.
enum Migrations {
    /// The migrations in `dialect`'s spelling.
    static func all(for dialect: ReviewSQLDialect) -> [String] {
        let sql = written(for: dialect)
        return dialect == .postgres ? sql.map(postgresTypes) : sql
    }

    /// Each migration as written, with the dialect's identity key and triggers.
    private static func written(for dialect: ReviewSQLDialect) -> [String] {
        let id = identityKey(dialect)
        return [
        // 1: decisions, reader findings, sign-offs, append-only audit, session state.
        """
        CREATE TABLE decisions (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            series_uid TEXT NOT NULL DEFAULT '',
            sop_uid TEXT NOT NULL DEFAULT '',
            finding_key TEXT NOT NULL,
            source TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            probability REAL,
            risk TEXT,
            center_x REAL, center_y REAL, slice INTEGER,
            width REAL, height REAL, diameter_mm REAL,
            model_id TEXT, model_version TEXT, model_sha256 TEXT,
            decision TEXT NOT NULL CHECK (decision IN ('accept', 'reject', 'correct', 'undo')),
            reason TEXT,
            corrected_label TEXT, corrected_risk TEXT, corrected_diameter_mm REAL,
            undoes INTEGER REFERENCES decisions(id)
        );
        CREATE INDEX decisions_study ON decisions(study_uid, reader);
        CREATE TABLE reader_findings (
            \(id),
            finding_key TEXT NOT NULL UNIQUE,
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            series_uid TEXT NOT NULL DEFAULT '',
            sop_uid TEXT NOT NULL DEFAULT '',
            label TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('point', 'box')),
            x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL DEFAULT 0, height REAL NOT NULL DEFAULT 0,
            slice INTEGER NOT NULL DEFAULT 0,
            removed_at TEXT
        );
        CREATE INDEX reader_findings_study ON reader_findings(study_uid, reader);
        CREATE TABLE signoffs (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            assessment TEXT NOT NULL,
            undecided INTEGER NOT NULL DEFAULT 0,
            forced INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE audit (
            \(id),
            at TEXT NOT NULL,
            reader TEXT NOT NULL,
            action TEXT NOT NULL,
            study_uid TEXT NOT NULL DEFAULT '',
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE session (
            reader TEXT PRIMARY KEY,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL DEFAULT '',
            series_uid TEXT NOT NULL DEFAULT '',
            slice INTEGER NOT NULL DEFAULT 0,
            screen TEXT NOT NULL DEFAULT 'worklist'
        );
        """ + (dialect == .sqlite ? """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
            BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only; undo appends a row'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
            BEGIN SELECT RAISE(ABORT, 'decisions are append-only; undo appends a row'); END;
        """ : appendOnly(["audit", "decisions"], dialect)),
        // 2: second-reader screening (events, discordance items) and teaching sessions. All append-only.
        """
        CREATE TABLE screening_events (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('start', 'assess', 'reveal', 'sign', 'arbitrate')),
            right_birads INTEGER CHECK (right_birads BETWEEN 0 AND 5),
            left_birads INTEGER CHECK (left_birads BETWEEN 0 AND 5),
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX screening_events_study ON screening_events(study_uid, reader);
        CREATE TABLE discordances (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            finding_key TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('ai_only', 'reader_only')),
            label TEXT NOT NULL DEFAULT '',
            series_uid TEXT NOT NULL DEFAULT '',
            sop_uid TEXT NOT NULL DEFAULT '',
            x REAL NOT NULL DEFAULT 0, y REAL NOT NULL DEFAULT 0,
            width REAL NOT NULL DEFAULT 0, height REAL NOT NULL DEFAULT 0,
            laterality TEXT NOT NULL DEFAULT '',
            probability REAL
        );
        CREATE INDEX discordances_study ON discordances(study_uid);
        CREATE TABLE teaching_sessions (
            \(id),
            session_key TEXT NOT NULL UNIQUE,
            trainee TEXT NOT NULL,
            at TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('known', 'unknown')),
            case_order TEXT NOT NULL,
            seed INTEGER,
            cases INTEGER NOT NULL
        );
        CREATE TABLE teaching_marks (
            \(id),
            session_key TEXT NOT NULL,
            trainee TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            mark_key TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            series_uid TEXT NOT NULL DEFAULT '',
            sop_uid TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('point', 'box')),
            x REAL NOT NULL, y REAL NOT NULL, width REAL NOT NULL DEFAULT 0, height REAL NOT NULL DEFAULT 0,
            slice INTEGER NOT NULL DEFAULT 0,
            removes INTEGER REFERENCES teaching_marks(id)
        );
        CREATE INDEX teaching_marks_session ON teaching_marks(session_key, study_uid);
        CREATE TABLE teaching_results (
            \(id),
            session_key TEXT NOT NULL,
            trainee TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            case_number INTEGER NOT NULL,
            mode TEXT NOT NULL,
            assessment TEXT NOT NULL DEFAULT '',
            lesions INTEGER NOT NULL,
            hits INTEGER NOT NULL,
            misses INTEGER NOT NULL,
            false_positives INTEGER NOT NULL
        );
        CREATE INDEX teaching_results_trainee ON teaching_results(trainee);
        """ + appendOnly(["screening_events", "discordances", "teaching_sessions", "teaching_marks", "teaching_results"], dialect),
        // 3: sign-offs are append-only too (a second sign-off is a new row).
        appendOnly(["signoffs"], dialect),
        // 4: key images the reader marks (exported as a Key Object Selection document), with the view
        // they were marked in (window, inversion, displayed area: exported as a presentation state).
        // Append-only: removing a mark is a new row naming it in `removes`. frame 0: not a multi-frame reference.
        """
        CREATE TABLE key_images (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            series_uid TEXT NOT NULL DEFAULT '',
            sop_uid TEXT NOT NULL,
            frame INTEGER NOT NULL DEFAULT 0,
            note TEXT NOT NULL DEFAULT '',
            window_center REAL, window_width REAL,
            inverted INTEGER NOT NULL DEFAULT 0,
            area_left INTEGER, area_top INTEGER, area_right INTEGER, area_bottom INTEGER,
            removes INTEGER REFERENCES key_images(id)
        );
        CREATE INDEX key_images_study ON key_images(study_uid, reader);
        """ + appendOnly(["key_images"], dialect),
        // 5: what a decision was about beyond its size: the AI finding's volume, and for brain MR
        // infarcts the estimated territory and the DWI–FLAIR call (exports carry them into the SR).
        """
        ALTER TABLE decisions ADD COLUMN volume_ml REAL;
        ALTER TABLE decisions ADD COLUMN territory TEXT;
        ALTER TABLE decisions ADD COLUMN dwi_flair_mismatch INTEGER;
        ALTER TABLE decisions ADD COLUMN flair_rsi REAL;
        """,
        // 6: the reader's report (findings and impression text). Append-only: each save is a new row,
        // the newest in force; the row saved with a sign-off names it (signoff_id), a kept draft does not.
        """
        CREATE TABLE reports (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            findings TEXT NOT NULL DEFAULT '',
            impression TEXT NOT NULL DEFAULT '',
            signoff_id INTEGER REFERENCES signoffs(id)
        );
        CREATE INDEX reports_study ON reports(study_uid, reader);
        """ + appendOnly(["reports"], dialect),
        // 7: reading claims: who has a study open in a viewer. On PostgreSQL a row counts only while
        // its session (`backend_pid`) holds the study's advisory lock, so a killed workstation's row
        // stops counting by itself (ReviewStore+Reading.swift). On SQLite the table exists and stays empty.
        """
        CREATE TABLE reading (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            backend_pid INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX reading_study ON reading(study_uid, backend_pid);
        """,
        // 8: comparison with the prior (issue 19). A decision keeps the comparison the reader saw
        // (PriorComparisonColumns); `prior_links` holds the reader's say on which prior nodule a
        // finding is: a re-link names the prior finding, an unlink names none (the nodule is new).
        // Append-only; the newest link per finding is in force (ReviewStore+PriorLinks.swift).
        PriorComparisonColumns.definitions.map { "ALTER TABLE decisions ADD COLUMN \($0);\n" }.joined() + """
        CREATE TABLE prior_links (
            \(id),
            reader TEXT NOT NULL,
            at TEXT NOT NULL,
            study_uid TEXT NOT NULL,
            finding_key TEXT NOT NULL,
            analysis_finding_id TEXT,
            \(PriorComparisonColumns.definitions.joined(separator: ",\n    "))
        );
        CREATE INDEX prior_links_study ON prior_links(study_uid, reader);
        """ + appendOnly(["prior_links"], dialect),
        ]
    }

    /// SQLite's INTEGER and REAL in PostgreSQL's 64-bit spellings (whole words, outside nothing
    /// else: the migrations hold no string literal with those words).
    static func postgresTypes(_ sql: String) -> String {
        sql.replacingOccurrences(of: #"\bINTEGER\b"#, with: "BIGINT", options: .regularExpression)
            .replacingOccurrences(of: #"\bREAL\b"#, with: "DOUBLE PRECISION", options: .regularExpression)
    }

    /// The `id` column: SQLite's rowid alias (AUTOINCREMENT: ids are never reused), PostgreSQL's
    /// identity column (BIGINT, so it reads back as the same Int64).
    static func identityKey(_ dialect: ReviewSQLDialect) -> String {
        switch dialect {
        case .sqlite: "id INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY"
        }
    }

    /// Triggers refusing UPDATE and DELETE on each table (corrections are new rows). On PostgreSQL
    /// one function raises for every table, and the trigger is per statement, so it also fires on an
    /// UPDATE or DELETE that matches no row; TRUNCATE is refused too (it bypasses row triggers).
    static func appendOnly(_ tables: [String], _ dialect: ReviewSQLDialect) -> String {
        switch dialect {
        case .sqlite:
            return tables.map { t in
                """
                CREATE TRIGGER \(t)_no_update BEFORE UPDATE ON \(t)
                    BEGIN SELECT RAISE(ABORT, '\(t) is append-only'); END;
                CREATE TRIGGER \(t)_no_delete BEFORE DELETE ON \(t)
                    BEGIN SELECT RAISE(ABORT, '\(t) is append-only'); END;

                """
            }.joined()
        case .postgres:
            return """
                CREATE OR REPLACE FUNCTION lightbox_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$;

                """ + tables.map { t in
                """
                CREATE TRIGGER \(t)_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON \(t)
                    FOR EACH STATEMENT EXECUTE FUNCTION lightbox_append_only();

                """
            }.joined()
        }
    }
}
