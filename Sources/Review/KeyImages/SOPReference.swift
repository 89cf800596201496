import DICOM

/// A reference to one DICOM instance (and, for a multi-frame image, one frame): what a key object
/// selection lists and what a presentation state applies to.
public struct SOPReference: Sendable, Equatable, Hashable {
    public var sopClassUID: String
    public var sopInstanceUID: String
    public var seriesInstanceUID: String
    /// 1-based frame of a multi-frame image; nil for the whole instance.
    public var frame: Int?

    public init(sopClassUID: String, sopInstanceUID: String, seriesInstanceUID: String, frame: Int? = nil) {
        self.sopClassUID = sopClassUID; self.sopInstanceUID = sopInstanceUID
        self.seriesInstanceUID = seriesInstanceUID; self.frame = frame
    }

    /// A Referenced SOP / Referenced Image Sequence item (SOP Instance Reference Macro, with the frame).
    var item: WritableDataSet {
        var r = WritableDataSet()
        r.set(Tag(0x0008, 0x1150), .UI, sopClassUID)
        r.set(Tag(0x0008, 0x1155), .UI, sopInstanceUID)
        if let frame, frame > 0 { r.set(Tag(0x0008, 0x1160), .IS, String(frame)) }
        return r
    }

    /// True when a reference to `frames` of `sop` (no frames: every frame) covers this one.
    func isCovered(by sop: String, frames: [Int]) -> Bool {
        guard sop == sopInstanceUID else { return false }
        guard let frame, !frames.isEmpty else { return true }
        return frames.contains(frame)
    }

    /// `refs` grouped by series, series in order of first appearance: the
    /// Referenced Series Sequence of a presentation state or an evidence list.
    static func seriesItems(_ refs: [SOPReference]) -> [WritableDataSet] {
        var order: [String] = []
        var bySeries: [String: [SOPReference]] = [:]
        for r in refs {
            if bySeries[r.seriesInstanceUID] == nil { order.append(r.seriesInstanceUID) }
            bySeries[r.seriesInstanceUID, default: []].append(r)
        }
        return order.map { series in
            var s = WritableDataSet()
            s.set(.seriesInstanceUID, .UI, series)
            s.set(Tag(0x0008, 0x1140), sequence: bySeries[series, default: []].map(\.item))
            return s
        }
    }
}
