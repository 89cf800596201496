import Analysis
import Foundation

/// Where a reviewed finding came from.
public enum FindingOrigin: String, Sendable, Codable {
    /// Proposed by a model (its id, version and sha256 travel with the decision).
    case ai
    /// Marked by a reader on the image.
    case reader
}

/// What the reader said about one finding.
public enum DecisionKind: String, Sendable, Codable {
    case accept, reject, correct
}

/// A correction: any field left nil keeps the finding's value.
public struct Correction: Sendable, Equatable {
    public var label: String?
    public var risk: String?
    public var diameterMM: Double?
    public init(label: String? = nil, risk: String? = nil, diameterMM: Double? = nil) {
        self.label = label; self.risk = risk; self.diameterMM = diameterMM
    }
}

/// One row of the `decisions` table as read back.
public struct DecisionRecord: Sendable, Equatable {
    public var id: Int64
    public var reader: String
    public var at: String
    public var studyUID: String
    public var findingKey: String
    public var source: FindingOrigin
    public var label: String
    /// `accept`, `reject`, `correct` or `undo`.
    public var decision: String
    public var reason: String?
    public var correction: Correction
    /// For `undo` rows: the id of the decision undone.
    public var undoes: Int64?
    public var modelID: String?
    public var sopUID: String
}

/// A reader-marked finding (point or box) as stored.
public struct ReaderFindingRecord: Sendable, Equatable {
    public enum Kind: String, Sendable { case point, box }
    public var key: String
    public var reader: String
    public var at: String
    public var studyUID: String
    public var seriesUID: String
    public var sopUID: String
    public var label: String
    public var kind: Kind
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double
    public var slice: Int
    public var removed: Bool

    public init(key: String, reader: String = "", at: String = "", studyUID: String, seriesUID: String, sopUID: String,
                label: String, kind: Kind, x: Double, y: Double, width: Double = 0, height: Double = 0,
                slice: Int, removed: Bool = false) {
        self.key = key; self.reader = reader; self.at = at; self.studyUID = studyUID; self.seriesUID = seriesUID
        self.sopUID = sopUID; self.label = label; self.kind = kind; self.x = x; self.y = y
        self.width = width; self.height = height; self.slice = slice; self.removed = removed
    }
}

/// A study sign-off.
public struct SignoffRecord: Sendable, Equatable {
    public var id: Int64
    public var reader: String
    public var at: String
    public var studyUID: String
    public var assessment: String
    public var undecided: Int
    public var forced: Bool
    public init(id: Int64, reader: String, at: String, studyUID: String, assessment: String, undecided: Int, forced: Bool) {
        self.id = id; self.reader = reader; self.at = at; self.studyUID = studyUID
        self.assessment = assessment; self.undecided = undecided; self.forced = forced
    }
}

/// An audit row.
public struct AuditRecord: Sendable, Equatable {
    public var id: Int64
    public var at: String
    public var reader: String
    public var action: String
    public var studyUID: String
    public var detail: String
}

/// Where a reader was, so a restart resumes there.
public struct SessionState: Sendable, Equatable {
    public var studyUID: String
    public var seriesUID: String
    public var slice: Int
    /// `worklist` or `viewer`.
    public var screen: String
    public init(studyUID: String, seriesUID: String, slice: Int, screen: String) {
        self.studyUID = studyUID; self.seriesUID = seriesUID; self.slice = slice; self.screen = screen
    }
}

/// Review progress of one study for one reader.
public enum ReviewStatus: String, Sendable, Comparable {
    case unread, inProgress = "in progress", signed
    private var rank: Int { self == .unread ? 0 : self == .inProgress ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}
