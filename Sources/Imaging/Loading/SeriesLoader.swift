/// The one place that turns the instances of a series into pixels. Two products share its
/// ordering rule and its error reporting:
///
/// - `frames(of:)`: every frame of every instance, decoded for display (grey modality values or
///   RGB), with each frame's own geometry and acquisition attributes, so the viewer can split a
///   multi-stack series and draw projections.
/// - `volume(of:options:)`: one voxel array in modality units for analysis and reformatting,
///   optionally leaving out slices that cannot be decoded (`Options.skipUnreadable`).
///
/// Neither ever traps on what a file says: a file that fails is named with its reason
/// (`SkippedInstance`), and sizes are checked before memory is reserved.
public enum SeriesLoader {
    /// Why a series cannot be loaded at all.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case noImages
        case mixedSizes
        case tooLarge(columns: Int, rows: Int, slices: Int)
        /// A slice failed and the options do not allow leaving it out (or too few would remain).
        case unreadable(SkippedInstance, remaining: Int)

        public var description: String {
            switch self {
            case .noImages: return "the series has no images"
            case .mixedSizes: return "slices differ in size; this series is not one volume"
            case let .tooLarge(c, r, s): return "volume of \(c)×\(r)×\(s) voxels is too large"
            case let .unreadable(slice, remaining):
                return remaining > 0 ? "\(slice) (and only \(remaining) readable slice(s) would remain)" : "\(slice)"
            }
        }
    }

    /// One instance left out of a load: its file and why.
    public struct SkippedInstance: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) { self.path = path; self.reason = reason }
        /// "file name: reason" (never the folder, which may name the patient).
        public var description: String {
            "\(path.split(separator: "/").last.map(String.init) ?? path): \(reason)"
        }
    }

    /// Instances in reading order: by position along the normal of Image Orientation (Patient)
    /// when every instance has a position, else by Instance Number (then path). Returns the
    /// normal and each instance's position along it when known.
    public static func sortedForVolume(_ instances: [InstanceHeader]) -> (sorted: [InstanceHeader], normal: [Double]?, positions: [Double]?) {
        if let iop = instances.first?.imageOrientation, iop.count == 6,
           instances.allSatisfy({ $0.imagePosition.count == 3 }) {
            let n = cross(Array(iop[0 ..< 3]), Array(iop[3 ..< 6]))
            let keyed = instances.map { (h: $0, d: dot(n, $0.imagePosition)) }.sorted { $0.d < $1.d }
            return (keyed.map(\.h), n, keyed.map(\.d))
        }
        return (instances.sorted { ($0.instanceNumber ?? 0, $0.path) < ($1.instanceNumber ?? 0, $1.path) }, nil, nil)
    }

    /// The median distance between neighbouring positions (sorted ascending), nil for fewer than
    /// two or a zero step: the slice spacing of a regular stack.
    public static func medianStep(_ positions: [Double]) -> Double? {
        guard positions.count > 1 else { return nil }
        let steps = zip(positions.dropFirst(), positions).map { $0 - $1 }.sorted()
        let median = steps[steps.count / 2]
        return median > 1e-6 ? median : nil
    }

    static func cross(_ a: [Double], _ b: [Double]) -> [Double] {
        [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
    }
    static func dot(_ a: [Double], _ b: [Double]) -> Double { a[0] * b[0] + a[1] * b[1] + a[2] * b[2] }
}
