import Foundation
import Imaging

/// Instance headers for matching and scoring tests, built without files.
enum HeaderFixtures {
    static func header(study: String = "5.5", series: String = "5.5.1", sop: String, modality: String = "MG", z: Double = 0,
                       laterality: String = "", pixelSpacing: [Double] = [0.2, 0.2]) -> InstanceHeader {
        let json: [String: Any] = [
            "path": "/nonexistent/\(sop).dcm", "sopClassUID": "1.2.840.10008.5.1.4.1.1.1.2", "sopInstanceUID": sop,
            "studyInstanceUID": study, "seriesInstanceUID": series, "patientName": "Roe^Mary", "patientID": "MG1",
            "patientBirthDate": "19600101", "patientSex": "F", "studyDate": "20260102", "studyTime": "120000",
            "studyDescription": "", "accessionNumber": "", "seriesDescription": "", "seriesNumber": 1, "modality": modality,
            "bodyPart": "", "viewPosition": "", "laterality": laterality, "instanceNumber": 1, "imagePosition": [0, 0, z],
            "imageOrientation": [1, 0, 0, 0, 1, 0], "pixelSpacing": [Double](), "rows": 1000, "columns": 800, "frames": 1,
            "transferSyntaxUID": "1.2.840.10008.1.2.1", "hasPixelData": true,
        ]
        do {
            var h = try JSONDecoder().decode(InstanceHeader.self, from: JSONSerialization.data(withJSONObject: json))
            h.pixelSpacing = pixelSpacing   // set after decoding: JSON has no NaN
            return h
        } catch {
            fatalError("fixture header does not decode: \(error)")
        }
    }

    static func bySOP(_ headers: [InstanceHeader]) -> [String: InstanceHeader] {
        Dictionary(headers.map { ($0.sopInstanceUID, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
