import Analysis
import Foundation
import Imaging
import Review
@testable import Workstation

/// Synthetic studies and stacks, so update/view tests need no files.
enum Fixtures {
    static func header(study: String, series: String, sop: String, name: String = "Doe^Jane", id: String = "PID1",
                       date: String = "20260102", modality: String = "CT", description: String = "CT CHEST",
                       instance: Int = 1, z: Double = 0, laterality: String = "", view: String = "",
                       pixelSpacing: [Double] = [0.5, 0.5]) -> InstanceHeader {
        let json: [String: Any] = [
            "path": "/nonexistent/\(sop).dcm", "sopClassUID": "1.2.840.10008.5.1.4.1.1.2", "sopInstanceUID": sop,
            "studyInstanceUID": study, "seriesInstanceUID": series, "patientName": name, "patientID": id,
            "patientBirthDate": "19600101", "patientSex": "F", "studyDate": date, "studyTime": "120000",
            "studyDescription": description, "accessionNumber": "ACC\(id)", "seriesDescription": "AXIAL",
            "seriesNumber": 1, "modality": modality, "bodyPart": "", "viewPosition": view, "laterality": laterality,
            "instanceNumber": instance, "imagePosition": [0, 0, z], "imageOrientation": [1, 0, 0, 0, 1, 0],
            "pixelSpacing": pixelSpacing, "rows": 32, "columns": 32, "frames": 1,
            "transferSyntaxUID": "1.2.840.10008.1.2.1", "hasPixelData": true,
        ]
        return try! JSONDecoder().decode(InstanceHeader.self, from: JSONSerialization.data(withJSONObject: json))
    }

    /// A CT study of `slices` slices and its stack (a bright square that moves with the slice).
    static func ctStudy(uid: String = "1.1", name: String = "Doe^Jane", id: String = "PID1", date: String = "20260102",
                        slices: Int = 5) -> (StudyIndex.Study, ImageStack) {
        let series = uid + ".1"
        let headers = (0 ..< slices).map { k in
            header(study: uid, series: series, sop: "\(series).\(k + 1)", name: name, id: id, date: date, instance: k + 1, z: Double(k) * 2)
        }
        let study = StudyIndex.group(headers)[0]
        let frames = headers.enumerated().map { k, h in
            var values = [Float](repeating: -1000, count: 32 * 32)
            for y in 8 ..< 16 { for x in 8 + k ..< 16 + k { values[y * 32 + x] = 60 } }
            return StackFrame(width: 32, height: 32, values: values, rgb: [], sopUID: h.sopInstanceUID, path: h.path, frameIndex: 0,
                              rowSpacing: 0.5, columnSpacing: 0.5, position: h.imagePosition, fileWindow: nil, monochrome1: false,
                              laterality: "", viewPosition: "")
        }
        return (study, ImageStack(seriesUID: series, frames: frames, sliceSpacing: 2))
    }

    static func aiResult(study: StudyIndex.Study, clinical: Bool = false) -> AIResult {
        let s = study.series[0]
        let model = ModelIdentity(id: "lung-nodule-demo", version: "0.1", sha256: "deadbeef")
        return AIResult(findings: [
            ReviewFinding(key: "lung-nodule-demo:1", origin: .ai, label: "solid nodule", probability: 0.91, risk: .high,
                    seriesUID: s.seriesInstanceUID, sopUID: s.instances[3].sopInstanceUID, centerX: 12, centerY: 12,
                    width: 8, height: 8, diameterMM: 4, model: model),
            ReviewFinding(key: "lung-nodule-demo:2", origin: .ai, label: "ground-glass nodule", probability: 0.55, risk: .low,
                    seriesUID: s.seriesInstanceUID, sopUID: s.instances[1].sopInstanceUID, centerX: 20, centerY: 20,
                    diameterMM: 9, model: model),
        ], model: model, notForClinicalUse: !clinical)
    }

    /// A state with two studies in the worklist.
    static func state(columns: Int = 120, rows: Int = 30, deidentify: Bool = false) -> (AppState, ImageStack) {
        var s = AppState(columns: columns, rows: rows, reader: "alice", deidentify: deidentify)
        let (a, stackA) = ctStudy(uid: "1.1", name: "Doe^Jane", id: "PID1", date: "20260102")
        let (b, _) = ctStudy(uid: "2.2", name: "Roe^Richard", id: "PID2", date: "20250505")
        _ = update(&s, .studiesLoaded([a, b]))
        return (s, stackA)
    }

    /// Sends keys; returns all effects.
    @discardableResult
    static func keys(_ s: inout AppState, _ keys: [Key]) -> [Effect] {
        keys.flatMap { update(&s, .key($0)) }
    }

    static func type(_ text: String) -> [Key] { text.map { .char($0) } }
}
