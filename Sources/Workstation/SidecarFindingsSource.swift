import Foundation
import Imaging
import Review
import TerminalGraphics

/// Reads `analysis.json` beside a study's files: findings precomputed by a model, each object as
/// docs/ANALYSIS_JSON.md describes (`label`, `probability`, `risk`, `category`, `sop_instance_uid`,
/// `center_px` [column, row], `bbox_px` [column, row, width, height], `diameter_mm`, `volume_ml`,
/// `ood`, `model` {id, version, sha256}). The file is either a bare array of findings or
///
///     { "model": {"id", "version", "sha256", "clinical_use": false, "warning": "…"},
///       "study_instance_uid": "…", "findings": [ … ] }
///
/// Optional `"heatmaps": [{"sop_instance_uid", "npy": "name.npy"}]` name 2-D probability maps
/// stored beside the file. A finding's own `model` overrides the file's. Unless the file says `"clinical_use": true`, the
/// viewer shows the not-for-clinical-use banner.
/// Ground-truth sidecars (`ground_truth.json`) are never read: they are not model output.
public struct SidecarFindingsSource: FindingsSource {
    public static let fileName = "analysis.json"
    public init() {}
    public var idleReason: String { "no models installed" }

    public func analyze(_ study: StudyIndex.Study, progress: @Sendable (Double) -> Void) throws -> AIResult? {
        let dirs = Set(study.series.flatMap { $0.instances.map { ($0.path as NSString).deletingLastPathComponent } })
        for dir in dirs.sorted() {
            let path = (dir as NSString).appendingPathComponent(Self.fileName)
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            progress(1)
            return try Self.parse(data, studyUID: study.studyInstanceUID, directory: dir)
        }
        return nil
    }

    /// Parses the JSON; findings with no label are skipped, odd numbers become nil.
    public static func parse(_ data: Data, studyUID: String, directory: String? = nil) throws -> AIResult {
        let json = try JSONSerialization.jsonObject(with: data)
        guard let root = (json as? [String: Any]) ?? (json as? [[String: Any]]).map({ ["findings": $0] }) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        if let uid = root["study_instance_uid"] as? String, !uid.isEmpty, uid != studyUID {
            return AIResult(findings: [], model: nil, notForClinicalUse: false)
        }
        let m = root["model"] as? [String: Any] ?? [:]
        let first = (root["findings"] as? [[String: Any]])?.first?["model"] as? [String: Any] ?? [:]
        let model = ModelIdentity(id: m["id"] as? String ?? first["id"] as? String ?? "unknown-model", version: m["version"] as? String ?? "",
                                  sha256: m["sha256"] as? String ?? "")
        func num(_ v: Any?) -> Double? { (v as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil } }
        var findings: [Finding] = []
        for (i, f) in (root["findings"] as? [[String: Any]] ?? []).enumerated() {
            guard let label = f["label"] as? String else { continue }
            let key = (f["id"].map { "\($0)" }) ?? "\(i + 1)"
            let center = (f["center_px"] as? [Any])?.compactMap(num) ?? []
            var own = model
            if let fm = f["model"] as? [String: Any], let id = fm["id"] as? String {
                own = ModelIdentity(id: id, version: fm["version"] as? String ?? "", sha256: fm["sha256"] as? String ?? "")
            }
            var finding = Finding(key: "\(own.id):\(key)", origin: .ai, label: label, probability: num(f["probability"]),
                                  risk: (f["risk"] as? String).flatMap { RiskLevel(rawValue: $0.lowercased()) },
                                  seriesUID: f["series_instance_uid"] as? String ?? "", sopUID: f["sop_instance_uid"] as? String ?? "",
                                  centerX: center.count >= 2 ? center[0] : 0, centerY: center.count >= 2 ? center[1] : 0,
                                  diameterMM: num(f["diameter_mm"]), volumeML: num(f["volume_ml"]),
                                  outOfDistribution: f["ood"] as? Bool ?? false, model: own)
            finding.category = (f["category"] as? String) ?? (f["category"] as? NSNumber)?.stringValue
            if let b = (f["bbox_px"] as? [Any])?.compactMap(num), b.count == 4, b[2] >= 0, b[3] >= 0 {
                finding.width = b[2]; finding.height = b[3]
                if center.count < 2 { finding.centerX = b[0] + b[2] / 2; finding.centerY = b[1] + b[3] / 2 }
            }
            findings.append(finding)
        }
        var heatmaps: [String: Heatmap] = [:]
        for h in root["heatmaps"] as? [[String: Any]] ?? [] {
            // Only files beside analysis.json: a findings file must not read elsewhere.
            guard let sop = h["sop_instance_uid"] as? String, let name = h["npy"] as? String, let directory,
                  !name.contains("/"), !name.hasPrefix("."),
                  let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)),
                  let array = NPYReader.read2D(data) else { continue }
            heatmaps[sop] = Heatmap(width: array.columns, height: array.rows, values: array.values)
        }
        let clinical = m["clinical_use"] as? Bool ?? false
        return AIResult(findings: findings, model: model, notForClinicalUse: !clinical, cardWarning: m["warning"] as? String,
                        heatmaps: heatmaps)
    }
}
