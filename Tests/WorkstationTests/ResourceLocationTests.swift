import Foundation
import XCTest
@testable import Workstation

/// Every command finds Models/Themes/SampleStudies through `WorkstationOptions.locate`.
final class ResourceLocationTests: XCTestCase {
    func testLightboxHomeComesFirstAndAMissingFolderIsNotReturned() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home.appendingPathComponent("Models"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: home) }
        XCTAssertEqual(WorkstationOptions.locate("Models", environment: ["LIGHTBOX_HOME": home.path]), home.appendingPathComponent("Models").path)
        // A name that exists nowhere is nil, not a guess.
        XCTAssertNil(WorkstationOptions.locate("NoSuchFolder-\(UUID().uuidString)", environment: ["LIGHTBOX_HOME": home.path]))
    }
}
