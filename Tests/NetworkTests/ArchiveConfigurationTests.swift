import Foundation
import XCTest
@testable import DICOMweb

final class ArchiveConfigurationTests: XCTestCase {
    func testArchivesTablesAlongsideOtherSettings() throws {
        let toml = """
        theme = "dark"
        [keys]
        next = "j"
        [archives.main]
        base_url = "https://pacs.example.org/dicom-web/"   # trailing slash dropped
        username = "reader"
        password = "pa#ss"
        [archives.cloud]
        base_url = "https://cloud.example.org/dicomweb"
        token = "tok123"
        verify_tls = false
        """
        let r = try ArchiveRegistry.parse(toml)
        let main = try r.resolve("dicomweb://main")
        XCTAssertEqual(main.baseURL.absoluteString, "https://pacs.example.org/dicom-web")
        XCTAssertEqual(main.credentials, .basic(username: "reader", password: "pa#ss"))
        XCTAssertTrue(main.verifyTLS)
        let cloud = try r.resolve("dicomweb://cloud")
        XCTAssertEqual(cloud.credentials, .bearer(token: "tok123"))
        XCTAssertFalse(cloud.verifyTLS)
        XCTAssertThrowsError(try r.resolve("dicomweb://missing"))
    }

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

    func testBadArchiveTablesAreErrors() {
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nusername = \"u\"\n"), "no base_url")
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nbase_url = \"http://h\"\nverify_tls = maybe\n"))
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x y]\nbase_url = \"http://h\"\n"))
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
