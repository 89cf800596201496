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

    /// The documented order: LIGHTBOX_HOME, XDG_DATA_HOME/lightbox, PREFIX/share/lightbox beside the
    /// binary, the checkout the binary was built in, the working directory; the first existing wins.
    func testTheOrderIsHomeDataInstallRepositoryWorkingDirectory() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-locate-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: root) }
        let home = root.appendingPathComponent("home"), data = root.appendingPathComponent("data")
        let prefix = root.appendingPathComponent("prefix"), repo = root.appendingPathComponent("repo"), cwd = root.appendingPathComponent("cwd")
        let installed = URL(fileURLWithPath: prefix.appendingPathComponent("bin/lightbox").path)
        let built = URL(fileURLWithPath: repo.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release/lightbox").path)
        let env = ["LIGHTBOX_HOME": home.path, "XDG_DATA_HOME": data.path]
        let fromInstall = ResourceLocator(environment: env, executable: installed, workingDirectory: cwd.path)
        XCTAssertEqual(fromInstall.places(for: "Models").map(\.origin),
                       ["LIGHTBOX_HOME", "XDG_DATA_HOME", "beside the binary", "the working directory"])
        let fromCheckout = ResourceLocator(environment: env, executable: built, workingDirectory: cwd.path)
        XCTAssertEqual(fromCheckout.places(for: "Models").map(\.origin),
                       ["LIGHTBOX_HOME", "XDG_DATA_HOME", "beside the binary", "the repository", "the working directory"])
        XCTAssertEqual(fromCheckout.places(for: "Models")[3].path, repo.appendingPathComponent("Models").path)
        func make(_ url: URL) throws { try FileManager.default.createDirectory(at: url.appendingPathComponent("Models"), withIntermediateDirectories: true) }
        XCTAssertNil(fromCheckout.locate("Models"))
        XCTAssertTrue(fromCheckout.notFound("Models", flag: "--models").contains(repo.appendingPathComponent("Models").path))
        try make(cwd)
        XCTAssertEqual(fromCheckout.locate("Models")?.origin, "the working directory")
        try make(repo)
        XCTAssertEqual(fromCheckout.locate("Models")?.origin, "the repository")
        try make(prefix.appendingPathComponent("share/lightbox"))
        XCTAssertEqual(fromInstall.locate("Models")?.path, prefix.appendingPathComponent("share/lightbox/Models").path)
        try make(data.appendingPathComponent("lightbox"))
        XCTAssertEqual(fromInstall.locate("Models")?.origin, "XDG_DATA_HOME")
        try make(home)
        XCTAssertEqual(fromInstall.locate("Models")?.origin, "LIGHTBOX_HOME")
    }
}
