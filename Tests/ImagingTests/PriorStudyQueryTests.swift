import Foundation
import XCTest
@testable import Imaging

/// Priors: same Patient ID and issuer, modality, body part; an earlier date and time; newest first.
final class PriorStudyQueryTests: XCTestCase {
    private func study(_ uid: String, id: String = "P1", issuer: String? = "HOSP", modality: String = "CT", body: String = "CHEST",
                       date: String, time: String = "100000") throws -> StudyIndex.Study {
        var json: [String: Any] = [
            "path": "/nonexistent/\(uid).dcm", "sopClassUID": "1.2.840.10008.5.1.4.1.1.2", "sopInstanceUID": uid + ".1.1",
            "studyInstanceUID": uid, "seriesInstanceUID": uid + ".1", "patientName": "Roe^Mary", "patientID": id,
            "patientBirthDate": "19600101", "patientSex": "F", "studyDate": date, "studyTime": time,
            "studyDescription": "", "accessionNumber": "", "seriesDescription": "", "seriesNumber": 1, "modality": modality,
            "bodyPart": body, "viewPosition": "", "laterality": "", "instanceNumber": 1, "imagePosition": [0, 0, 0],
            "imageOrientation": [1, 0, 0, 0, 1, 0], "pixelSpacing": [0.7, 0.7], "rows": 512, "columns": 512, "frames": 1,
            "transferSyntaxUID": "1.2.840.10008.1.2.1", "hasPixelData": true,
        ]
        if let issuer { json["issuerOfPatientID"] = issuer }
        let h = try JSONDecoder().decode(InstanceHeader.self, from: JSONSerialization.data(withJSONObject: json))
        return StudyIndex.group([h])[0]
    }

    func testFindsEarlierStudiesOfTheSamePatientNewestFirst() throws {
        let current = try study("9.1", date: "20260310", time: "093000")
        let candidates = [
            try study("9.2", date: "20250305"),
            try study("9.3", date: "20240301"),
            try study("9.4", date: "20260310", time: "080000"),              // same day, earlier: a prior
            try study("9.5", date: "20270101"),                              // later
            try study("9.6", id: "P2", date: "20250305"),                    // another patient
            try study("9.7", issuer: "OTHER", date: "20250305"),             // same ID, other issuer
            try study("9.8", modality: "MR", date: "20250305"),              // other modality
            try study("9.9", body: "HEAD", date: "20250305"),                // other body part
            try study("9.10", body: "LUNG", date: "20230101"),               // LUNG is the chest
            try study("9.11", date: ""),                                     // no date
            current,
        ]
        let priors = PriorStudyQuery(for: current).priors(in: candidates).map(\.studyInstanceUID)
        XCTAssertEqual(priors, ["9.4", "9.2", "9.3", "9.10"])
    }

    func testIssuerMustMatchWhenEitherHasOne() throws {
        let current = try study("8.1", issuer: nil, date: "20260101")
        XCTAssertEqual(PriorStudyQuery(for: current).priors(in: [try study("8.2", issuer: "HOSP", date: "20250101"),
                                                                 try study("8.3", issuer: nil, date: "20250101")]).map(\.studyInstanceUID), ["8.3"])
    }

    func testStudyDateTime() throws {
        let a = try XCTUnwrap(StudyDateTime(date: "20250301", time: "120000"))
        let b = try XCTUnwrap(StudyDateTime(date: "20260301", time: "000000"))
        XCTAssertEqual(b.days(since: a), 364.5, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(StudyDateTime(date: "19700102")).days, 1, accuracy: 1e-9)
        XCTAssertEqual(try XCTUnwrap(StudyDateTime(date: "20240301")).days - (try XCTUnwrap(StudyDateTime(date: "20240228"))).days, 2)
        XCTAssertEqual(try XCTUnwrap(StudyDateTime(date: "20250101", time: "0630")).days.truncatingRemainder(dividingBy: 1), 0.270_833, accuracy: 1e-5)
        XCTAssertNil(StudyDateTime(date: "2025"))
        XCTAssertNil(StudyDateTime(date: "20251301"))
        XCTAssertNotNil(StudyDateTime(date: "2025.03.01"))  // ACR-NEMA style
    }
}
