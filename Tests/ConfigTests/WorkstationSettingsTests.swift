import XCTest
import LightboxConfig

/// config.toml → the workstation's start-up theme and key bindings (as names; the workstation's
/// KeyMap tests cover turning them into actions).
final class WorkstationSettingsTests: XCTestCase {
    func testThemeAndKeyBindingsBesideArchiveTables() throws {
        let settings = try WorkstationSettings.parse("""
            theme = "light"
            [archives.orthanc]
            base_url = "http://127.0.0.1:8042/dicom-web"
            verify_tls = true
            [viewer_keys]
            next_slice = "down, space"
            accept = "y"
            [keys]
            help = "?"
            [worklist_keys]
            open = "o,,"
            """)
        XCTAssertEqual(settings.theme, "light")
        XCTAssertEqual(settings.keyBindings, [
            KeyBinding(action: "help", keys: ["?"], scope: .allScreens, line: 9),
            KeyBinding(action: "open", keys: ["o"], scope: .worklist, line: 11),
            KeyBinding(action: "accept", keys: ["y"], scope: .viewer, line: 7),
            KeyBinding(action: "next_slice", keys: ["down", "space"], scope: .viewer, line: 6),
        ], "broad tables first, so narrower ones override")
    }

    func testMalformedFileIsAnErrorWithItsLine() {
        XCTAssertThrowsError(try WorkstationSettings.parse("[viewer_keys]\naccept = \"y\n")) {
            XCTAssertEqual("\($0)", "config.toml line 2: unterminated string")
        }
        XCTAssertThrowsError(try WorkstationSettings.parse("[archives..x]"))
        XCTAssertThrowsError(try WorkstationSettings.parse("[.x]"))
        XCTAssertEqual(try WorkstationSettings.parse(""), WorkstationSettings())
    }
}
