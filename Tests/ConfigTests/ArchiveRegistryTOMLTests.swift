import XCTest
import DICOMweb
import LightboxConfig

/// config.toml's `[archives.NAME]` tables → `ArchiveRegistry` (moved here from NetworkTests with
/// the parsing). The file is shared with the workstation's settings.
final class ArchiveRegistryTOMLTests: XCTestCase {
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

    func testBadArchiveTablesAreErrors() {
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nusername = \"u\"\n"), "no base_url")
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nbase_url = \"http://h\"\nverify_tls = maybe\n"))
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x y]\nbase_url = \"http://h\"\n"))
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.a.b]\nbase_url = \"http://h\"\n"))
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nbase_url = \"http://h\n"), "unterminated string")
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nbase_url\n"), "expected key = value")
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x\nbase_url = \"http://h\"\n"), "malformed header of an archive")
    }

    /// Errors say which line, as `DICOMwebError.configuration`, and never echo a password.
    func testErrorsNameTheLine() {
        XCTAssertThrowsError(try ArchiveRegistry.parse("[archives.x]\nbase_url = \"http://h\"\npassword = \"s3cret\"\nverify_tls = maybe\n")) {
            XCTAssertEqual($0 as? DICOMwebError, .configuration("config.toml line 4: [archives.x] verify_tls must be true or false"))
            XCTAssertFalse("\($0)".contains("s3cret"))
        }
        XCTAssertThrowsError(try ArchiveRegistry.parse("# pacs\n[archives.x]\nusername = \"u\"\n")) {
            XCTAssertEqual($0 as? DICOMwebError, .configuration("config.toml line 2: [archives.x] has no base_url"))
        }
    }

    /// Lines the archive reader does not own (key map, other tools) do not stop it: the workstation
    /// reports those.
    func testOtherTablesMayHoldWhatArchivesDoNotRead() throws {
        let r = try ArchiveRegistry.parse("""
            [viewer_keys]
            accept = [1, 2]
            [[plugins]]
            [archives.main]
            base_url = "http://h/dicom-web"
            """)
        XCTAssertEqual(r.archives.keys.sorted(), ["main"])
    }

    func testMissingFileIsAnEmptyRegistry() throws {
        XCTAssertTrue(try ArchiveRegistry.load(path: "/nonexistent/lightbox/config.toml").archives.isEmpty)
    }
}
