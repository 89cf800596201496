import Foundation
import Imaging
import Review
import TerminalGraphics

/// Reads `analysis.json` beside a study's files: findings precomputed by a model, in the
/// issue-6 schema:
///
///     { "model": {"id", "version", "sha256", "clinical_use": false, "warning": "…"},
///       "findings": [ {"id", "label", "probability", "risk": "low|intermediate|high|critical",
///                      "series_instance_uid", "sop_instance_uid", "center_px": [x, y],
///                      "bbox_px": [x0, y0, x1, y1]?, "center_mm"?, "diameter_mm"?, "volume_ml"?, "ood"?} ] }
///
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
            return try Self.parse(data, studyUID: study.studyInstanceUID)
        }
        return nil
    }

    /// Parses the JSON; findings with no label are skipped, odd numbers become nil.
    public static func parse(_ data: Data, studyUID: String) throws -> AIResult {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        if let uid = root["study_instance_uid"] as? String, !uid.isEmpty, uid != studyUID {
            return AIResult(findings: [], model: nil, notForClinicalUse: false)
        }
        let m = root["model"] as? [String: Any] ?? [:]
        let model = ModelIdentity(id: m["id"] as? String ?? "unknown-model", version: m["version"] as? String ?? "",
                                  sha256: m["sha256"] as? String ?? "")
        func num(_ v: Any?) -> Double? { (v as? NSNumber).map(\.doubleValue).flatMap { $0.isFinite ? $0 : nil } }
        var findings: [Finding] = []
        for (i, f) in (root["findings"] as? [[String: Any]] ?? []).enumerated() {
            guard let label = f["label"] as? String else { continue }
            let key = (f["id"].map { "\($0)" }) ?? "f\(i + 1)"
            let center = (f["center_px"] as? [Any])?.compactMap(num) ?? []
            var finding = Finding(key: "\(model.id):\(key)", origin: .ai, label: label, probability: num(f["probability"]),
                                  risk: (f["risk"] as? String).flatMap { RiskLevel(rawValue: $0.lowercased()) },
                                  seriesUID: f["series_instance_uid"] as? String ?? "", sopUID: f["sop_instance_uid"] as? String ?? "",
                                  centerX: center.count >= 2 ? center[0] : 0, centerY: center.count >= 2 ? center[1] : 0,
                                  diameterMM: num(f["diameter_mm"]), volumeML: num(f["volume_ml"]),
                                  outOfDistribution: f["ood"] as? Bool ?? false, model: model)
            if let b = (f["bbox_px"] as? [Any])?.compactMap(num), b.count == 4 {
                finding.width = abs(b[2] - b[0]); finding.height = abs(b[3] - b[1])
                if center.count < 2 { finding.centerX = (b[0] + b[2]) / 2; finding.centerY = (b[1] + b[3]) / 2 }
            }
            findings.append(finding)
        }
        let clinical = m["clinical_use"] as? Bool ?? false
        return AIResult(findings: findings, model: model, notForClinicalUse: !clinical, cardWarning: m["warning"] as? String)
    }
}
