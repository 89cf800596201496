import Foundation
import XCTest
@testable import DICOMweb

final class ArchiveConfigurationTests: XCTestCase {
    func testSecretsNeverAppearInDescriptionsOrErrors() throws {
        let c = try ArchiveConfiguration.fromURL("http://alice:topsecret@127.0.0.1:8042/dicom-web")
        XCTAssertEqual(c.credentials, .basic(username: "alice", password: "topsecret"))
        XCTAssertFalse(c.baseURL.absoluteString.contains("topsecret"))
        XCTAssertFalse(c.description.contains("topsecret"))
        let token = ArchiveConfiguration(name: "x", baseURL: c.baseURL, credentials: .bearer(token: "tok-XYZ"))
        XCTAssertFalse(token.description.contains("tok-XYZ"))
        XCTAssertThrowsError(try ArchiveConfiguration.fromURL("ftp://alice:topsecret@host/x")) { error in
            XCTAssertFalse("\(error)".contains("topsecret"))
        }
        XCTAssertEqual(HTTPTransport.display(URL(string: "http://u:p@h/studies?PatientName=Doe")), "http://h/studies?…")
    }

    func testQueryValidationAndEncoding() throws {
        XCTAssertNoThrow(try StudyQuery(studyDate: "20260101-20261231").validate())
        XCTAssertNoThrow(try StudyQuery(studyDate: "20260101-").validate())
        XCTAssertThrowsError(try StudyQuery(studyDate: "2026-01-01").validate())
        XCTAssertThrowsError(try StudyQuery(studyDate: "-").validate())
        let client = try DICOMwebClient(archive: ArchiveConfiguration.fromURL("http://h/dicom-web"))
        let url = try client.endpoint(["studies"], query: StudyQuery(patientName: "A+B*", modality: "CT").queryItems)
        XCTAssertTrue(url.absoluteString.contains("PatientName=A%2BB*"), url.absoluteString)
        XCTAssertTrue(url.absoluteString.contains("ModalitiesInStudy=CT"))
        XCTAssertThrowsError(try client.uid("1.2/../3"))
    }
}
