import Foundation
import Imaging

/// Loads a CT series as a volume, leaving out slices that cannot be decoded instead of failing the
/// whole series: the analysis still runs on the rest and the run says which slices were skipped
/// (and the gap they leave is reported like any other gap).
public enum TolerantVolumeLoader {
    public struct Loaded: Sendable {
        public var volume: Volume
        /// One message per slice left out (file name and reason).
        public var skipped: [String]
        /// Human-readable warnings: skipped slices and gaps between slices.
        public var warnings: [String] {
            var w = skipped.map { "skipped unreadable slice \($0)" }
            if !volume.gapsAfter.isEmpty {
                w.append("series has \(volume.gapsAfter.count) gap(s) between slices (after slice index \(volume.gapsAfter.map(String.init).joined(separator: ", "))); volumes and sizes across a gap are approximate")
            }
            return w
        }
    }

    /// Fewer slices than this are not a volume the slice-context models can use.
    public static let minimumSlices = 3

    public static func load(_ instances: [InstanceHeader]) throws -> Loaded {
        do {
            return Loaded(volume: try VolumeLoader.load(instances), skipped: [])
        } catch let first {
            // Find the slices that fail on their own, then load the rest.
            var good: [InstanceHeader] = [], skipped: [String] = []
            for h in instances where h.hasPixelData && h.rows > 0 {
                do { _ = try VolumeLoader.load([h]); good.append(h) } catch {
                    skipped.append("\(URL(fileURLWithPath: h.path).lastPathComponent): \(Self.reason(error))")
                }
            }
            guard !skipped.isEmpty, good.count >= minimumSlices else { throw first }
            return Loaded(volume: try VolumeLoader.load(good), skipped: skipped)
        }
    }

    private static func reason(_ error: Error) -> String {
        let text = "\(error)"
        // VolumeLoader prefixes "slice 0 (path): "; keep only the reason.
        if let r = text.range(of: "): ") { return String(text[r.upperBound...]) }
        return text
    }
}
