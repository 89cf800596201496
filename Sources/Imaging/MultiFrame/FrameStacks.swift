/// Splits the frames of one image object (or of a series of classic images) into stacks that can
/// each be scrolled as one volume, and orders each stack along its slice normal.
///
/// The rule, in order:
/// 1. Frames are grouped by what tells one acquisition of the same anatomy from another: Stack ID,
///    diffusion b-value (rounded to 1 s/mm²) and directionality, temporal position, and whether the
///    frame is a derived map (Frame/Image Type containing ADC, EADC or FA). A DWI object with
///    b = 0 and b = 1000 frames thus becomes two stacks, as it is read.
/// 2. Frames in a group that do not share one orientation (within 1e-3 of each direction cosine)
///    are split further by orientation (a localiser inside a multi-frame object).
/// 3. Each stack is ordered by position along its normal (Image Position · (row × column)), falling
///    back to In-Stack Position Number and then to frame index when positions are missing.
///
/// Dimension Index Values are not needed for the grouping: they index the same attributes (Stack
/// ID, In-Stack Position, b-value, …) and some writers fill them inconsistently, while the
/// attributes themselves are what a reader can check.
public enum FrameStacks {
    public struct Stack: Sendable, Equatable {
        /// A short label saying what sets the stack apart ("b=1000", "stack 2", "ADC"); empty for
        /// an object with a single stack.
        public var label: String
        public var stackID: String?
        public var diffusionBValue: Double?
        /// Frame indices in reading order (increasing position along the normal).
        public var frames: [Int]
    }

    public static func split(_ frames: [FrameAttributes]) -> [Stack] {
        struct Key: Hashable {
            var stack: String?
            var b: Int?
            var directionality: String?
            var time: Int?
            var derived: String?
            var orientation: [Int]
        }
        func derivedMap(_ a: FrameAttributes) -> String? {
            for name in ["ADC", "EADC", "FA"] where a.imageType.contains(name) { return name }
            return nil
        }
        var order: [Key] = []
        var groups: [Key: [FrameAttributes]] = [:]
        for a in frames {
            let key = Key(stack: a.stackID,
                          b: a.diffusionBValue.map { Int($0.rounded()) },
                          directionality: a.diffusionDirectionality,
                          time: a.temporalPositionIndex,
                          derived: derivedMap(a),
                          orientation: a.imageOrientation.map { Int(($0 * 1000).rounded()) })
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(a)
        }
        let distinctB = Set(order.compactMap(\.b)).count
        let distinctStacks = Set(order.compactMap(\.stack)).count
        let distinctTimes = Set(order.compactMap(\.time)).count
        return order.map { key in
            let members = groups[key] ?? []
            var parts: [String] = []
            if let d = key.derived { parts.append(d) }
            if let b = key.b, distinctB > 1 { parts.append("b=\(b)") }
            if let s = key.stack, distinctStacks > 1 { parts.append("stack \(s)") }
            if let t = key.time, distinctTimes > 1 { parts.append("t=\(t)") }
            if parts.isEmpty && order.count > 1, let o = members.first?.imageOrientation, !o.isEmpty {
                parts.append(PlaneLabel.name(orientation: o))
            }
            return Stack(label: parts.joined(separator: " "), stackID: key.stack,
                         diffusionBValue: members.first?.diffusionBValue, frames: ordered(members))
        }
    }

    /// Frame indices sorted along the stack's normal; see the type's rule 3.
    static func ordered(_ members: [FrameAttributes]) -> [Int] {
        if let normal = members.first?.normal, members.allSatisfy({ $0.imagePosition.count == 3 }) {
            return members.map { ($0.distance(along: normal) ?? 0, $0.index) }
                .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.map(\.1)
        }
        if members.allSatisfy({ $0.inStackPosition != nil }) {
            return members.sorted { ($0.inStackPosition!, $0.index) < ($1.inStackPosition!, $1.index) }.map(\.index)
        }
        return members.map(\.index).sorted()
    }
}

/// The name of the anatomical plane closest to an orientation, for labels.
enum PlaneLabel {
    static func name(orientation o: [Double]) -> String {
        guard o.count == 6 else { return "?" }
        let n = [abs(o[1] * o[5] - o[2] * o[4]), abs(o[2] * o[3] - o[0] * o[5]), abs(o[0] * o[4] - o[1] * o[3])]
        switch n.firstIndex(of: n.max()!)! {
        case 0: return "sagittal"
        case 1: return "coronal"
        default: return "axial"
        }
    }
}
