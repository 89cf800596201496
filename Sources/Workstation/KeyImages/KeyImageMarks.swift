import Review

/// One image (or frame of a multi-frame image) as key images name it.
public struct KeyImageRef: Sendable, Equatable, Hashable {
    public var seriesUID: String
    public var sopUID: String
    /// 1-based frame of a multi-frame image; nil for a single-frame image.
    public var frame: Int?
    public init(seriesUID: String, sopUID: String, frame: Int? = nil) { self.seriesUID = seriesUID; self.sopUID = sopUID; self.frame = frame }
}

/// The open study's key images: this reader's marks from the review store, and what the study's
/// Key Object Selection and presentation state files say.
///
/// Precedence, decided here once: an image is key when the store or a KOS file flags it (a KOS is a
/// record others may rely on, so unmarking in the viewer cannot hide it; it shows as "KEY (KOS)").
/// The view an image opens with comes from the reader's own mark when there is one (the newest,
/// most deliberate act, made in this viewer), else from the study's presentation state files.
public struct KeyImageMarks: Sendable {
    /// The reader's marks in force (the store's `keyImages`, latest per image), optimistic until
    /// the store answers.
    public var stored: [KeyImageRecord] = []
    /// The study's KOS and GSPS files (empty until read, or when it has none).
    public var documents = StudyKeyObjects()
    /// The image whose saved view was last applied (or that was on screen when marks arrived), so a
    /// view is applied once per arrival at the image, not on every key while the reader adjusts it.
    var presentedImage: KeyImageRef?
    /// The store has answered once for this opening (its first answer may bring saved views).
    var loaded = false

    public init() {}

    public func isStored(_ r: KeyImageRef) -> Bool { stored.contains { $0.sopUID == r.sopUID && $0.frame == r.frame } }
    public func isDocumented(_ r: KeyImageRef) -> Bool { documents.isKey(r.sopUID, frame: r.frame) }
    public func isKey(_ r: KeyImageRef) -> Bool { isStored(r) || isDocumented(r) }

    /// Key images of the study: the reader's marks and the KOS files' images, each once.
    public var count: Int {
        var seen = Set<String>()
        for k in stored { seen.insert("\(k.sopUID)#\(k.frame ?? 0)") }
        for e in documents.entries { seen.insert("\(e.image.sopInstanceUID)#\(e.image.frame ?? 0)") }
        return seen.count
    }

    /// The view to open `r` with: window, inversion (nil: leave as is) and displayed area.
    public func savedView(_ r: KeyImageRef, monochrome1: Bool) -> SavedView? {
        if let k = stored.last(where: { $0.sopUID == r.sopUID && $0.frame == r.frame }) {
            let window = k.windowCenter.flatMap { c in k.windowWidth.map { (c, $0) } }.flatMap { $0.1 >= 1 ? $0 : nil }
            return SavedView(window: window, invert: k.inverted, area: k.displayedArea, source: "your key image")
        }
        guard let (p, s) = documents.presentation(for: r.sopUID, frame: r.frame) else { return nil }
        // The viewer's invert is relative to the image's own photometric interpretation.
        let invert = s.presentationLUTShape.isEmpty ? nil : s.invertsDisplay(photometricInterpretation: monochrome1 ? "MONOCHROME1" : "MONOCHROME2")
        return SavedView(window: p.window, invert: invert, area: p.displayedArea, source: "presentation state")
    }

    /// A saved view of one image.
    public struct SavedView: Sendable, Equatable {
        public var window: (center: Double, width: Double)?
        public var invert: Bool?
        public var area: DisplayedArea?
        /// Where it came from, for the status line.
        public var source: String
        public static func == (a: SavedView, b: SavedView) -> Bool {
            a.window?.center == b.window?.center && a.window?.width == b.window?.width && a.invert == b.invert && a.area == b.area
                && a.source == b.source
        }
    }
}
