import Analysis
import Foundation
import Review
import TerminalGraphics

/// One annotated case for a teaching session, read from a study folder's `ground_truth.json`
/// sidecar (the format SampleStudies uses: `study_instance_uid`, `teaching` {history, findings,
/// diagnosis, discussion}, `lesions` [{label, sop_instance_uid, center_px, diameter_mm,
/// appearances [{view, sop_instance_uid, center_px, box_px}], malignant, severity}]).
public struct TeachingCase: Sendable, Equatable {
    /// Where a lesion shows on one image, in that image's pixels (scored by Review).
    public typealias Appearance = TeachingLesion.Appearance
    /// A ground-truth lesion (scored by Review's `TeachingScore`).
    public typealias Lesion = TeachingLesion

    public var studyUID: String
    public var folder: String
    public var history: String
    public var findings: String
    public var diagnosis: String
    public var discussion: String
    public var normal: Bool
    public var lesions: [Lesion]

    public static let sidecarName = "ground_truth.json"
    /// Sidecars larger than this are refused (the samples are a few kB).
    static let maxSidecarBytes = 4 << 20
    /// Each teaching text is cut to this many characters (more than the panel can show): the panel
    /// wraps it on every frame, and a megabyte without a space would stall the UI loop.
    static let maxTextCharacters = 4000
    /// Lesion labels and natures are cut to this many characters.
    static let maxLabelCharacters = 120

    public enum LoadError: Error, CustomStringConvertible {
        case noCases(String)
        case unreadable(String, String)
        public var description: String {
            switch self {
            case .noCases(let p): return "no \(TeachingCase.sidecarName) under \(p): a teaching folder holds study folders, each with that sidecar"
            case .unreadable(let p, let why): return "\(p): \(why)"
            }
        }
    }

    /// Every case under `root` (the folder itself, or study folders up to three levels down),
    /// sorted by folder path. Unreadable sidecars are errors: a teaching set should be fixed, not skipped.
    public static func load(root: String) throws -> [TeachingCase] {
        let fm = FileManager.default
        var found: [String] = []
        func walk(_ dir: String, depth: Int) {
            let sidecar = (dir as NSString).appendingPathComponent(sidecarName)
            if fm.fileExists(atPath: sidecar) { found.append(sidecar) }
            guard depth < 3, let names = try? fm.contentsOfDirectory(atPath: dir) else { return }
            for n in names.sorted() where !n.hasPrefix(".") {
                let p = (dir as NSString).appendingPathComponent(n)
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: p, isDirectory: &isDir), isDir.boolValue { walk(p, depth: depth + 1) }
            }
        }
        walk(root, depth: 0)
        guard !found.isEmpty else { throw LoadError.noCases(root) }
        return try found.sorted().map { path in
            let attributes = try? fm.attributesOfItem(atPath: path)
            if let size = (attributes?[.size] as? NSNumber)?.intValue, size > maxSidecarBytes {
                throw LoadError.unreadable(path, "larger than \(maxSidecarBytes) bytes")
            }
            guard let data = fm.contents(atPath: path) else { throw LoadError.unreadable(path, "cannot be read") }
            do { return try parse(data, folder: (path as NSString).deletingLastPathComponent) }
            catch let e as LoadError { throw e }
            catch { throw LoadError.unreadable(path, "not valid JSON") }
        }
    }

    /// Parses one sidecar. Numbers that are not finite, negative sizes and points without two
    /// coordinates are dropped rather than trusted.
    public static func parse(_ data: Data, folder: String) throws -> TeachingCase {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError.unreadable(folder, "the sidecar is not a JSON object")
        }
        guard let uid = root["study_instance_uid"] as? String, !uid.isEmpty else {
            throw LoadError.unreadable(folder, "no study_instance_uid")
        }
        func num(_ v: Any?) -> Double? { (v as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil } }
        func point(_ v: Any?) -> (Double, Double)? {
            guard let a = (v as? [Any])?.compactMap(num), a.count >= 2 else { return nil }
            return (a[0], a[1])
        }
        let teaching = root["teaching"] as? [String: Any] ?? [:]
        func cut(_ t: String, _ n: Int) -> String { t.count > n ? String(t.prefix(n)) + "…" : t }
        func text(_ k: String) -> String { cut(TextSanitizer.sanitize(teaching[k] as? String ?? ""), maxTextCharacters) }
        var lesions: [Lesion] = []
        for l in root["lesions"] as? [[String: Any]] ?? [] {
            var appearances: [Appearance] = []
            for a in l["appearances"] as? [[String: Any]] ?? [] {
                guard let sop = a["sop_instance_uid"] as? String, let (x, y) = point(a["center_px"]) else { continue }
                let box = ((a["box_px"] ?? a["bbox_px"]) as? [Any])?.compactMap(num)  // corners; "bbox_px" in older sidecars
                appearances.append(Appearance(sopUID: sop, x: x, y: y, box: box?.count == 4 ? box : nil))
            }
            if appearances.isEmpty, let sop = l["sop_instance_uid"] as? String, let (x, y) = point(l["center_px"]) {
                appearances.append(Appearance(sopUID: sop, x: x, y: y, box: nil))
            }
            let nature = (l["malignant"] as? Bool).map { $0 ? "malignant" : "benign" } ?? (l["severity"] as? String)
            lesions.append(Lesion(label: cut(TextSanitizer.sanitize(l["label"] as? String ?? "lesion"), maxLabelCharacters),
                                  diameterMM: max(0, num(l["diameter_mm"]) ?? 0), appearances: appearances,
                                  nature: nature.map { cut(TextSanitizer.sanitize($0), maxLabelCharacters) }))
        }
        return TeachingCase(studyUID: uid, folder: folder, history: text("history"), findings: text("findings"),
                            diagnosis: text("diagnosis"), discussion: text("discussion"),
                            normal: root["normal"] as? Bool ?? lesions.isEmpty, lesions: lesions)
    }

    /// Cases in session order: `fixed` keeps folder order; `random` shuffles with a seeded
    /// generator, so the same seed gives the same order on every machine.
    public static func ordered(_ cases: [TeachingCase], random: Bool, seed: UInt64) -> [TeachingCase] {
        guard random else { return cases }
        var rng = SplitMix64(seed: seed)
        var out = cases
        if out.count > 1 {
            for i in stride(from: out.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                out.swapAt(i, j)
            }
        }
        return out
    }
}
