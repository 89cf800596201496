import Foundation
import TestSupport
import XCTest

/// Golden outputs of the `lightbox` executable: `--help` of every command and subcommand, `info` on
/// a sample file, `ls --json` on SampleStudies and `analyze --json` on a radiograph. The binary runs
/// as a user would run it, from the repository root, with a fixed 80-column width and a private
/// HOME/XDG folder, so nothing on this machine (a per-user install, a cache) shapes the output.
///
/// Goldens are in Goldens/; `UPDATE_GOLDENS=1 swift test --filter lightboxTests` rewrites them.
/// Which binary: $LIGHTBOX (absolute, or relative to the repository), else the `lightbox` that
/// `swift test` built beside the test bundle, else .build/debug/lightbox. None found is a failure,
/// never a skip.
final class CLIGoldenTests: XCTestCase {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    // MARK: - The goldens

    /// `lightbox --help`, then `--help` of every subcommand its SUBCOMMANDS section lists, recursively
    /// (`review export`, `onnx run`, …). The list comes from the binary, so a new command without a
    /// golden fails, and a golden whose command is gone fails too.
    func testHelpOfEveryCommandAndSubcommand() throws {
        let lightbox = try Self.executable()
        var queue: [[String]] = [[]]
        var seen: Set<String> = []
        while !queue.isEmpty {
            let command = queue.removeFirst()
            let run = try Self.run(lightbox, command + ["--help"])
            let label = (["lightbox"] + command).joined(separator: " ")
            XCTAssertEqual(run.status, 0, "\(label) --help exited \(run.status): \(run.stderr)")
            XCTAssertEqual(run.stderr, "", "\(label) --help wrote to stderr")
            let name = (["lightbox"] + command).joined(separator: "-") + ".txt"
            seen.insert(name)
            if let failure = Golden.check(Self.normalise(run.stdout), against: Self.goldens.appendingPathComponent("help/\(name)")) {
                XCTFail(failure)
            }
            queue += Self.subcommands(inHelp: run.stdout).map { command + [$0] }
        }
        XCTAssertGreaterThan(seen.count, 20, "every command and subcommand: \(seen.sorted())")
        XCTAssertTrue(seen.contains("lightbox-review-export.txt") && seen.contains("lightbox-onnx-run.txt"), "nested subcommands: \(seen.sorted())")
        let folder = Self.goldens.appendingPathComponent("help")
        let stale = Set((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).subtracting(seen)
        for file in stale.sorted() {
            if Golden.updating { try FileManager.default.removeItem(at: folder.appendingPathComponent(file)) }
            else { XCTFail("help golden \(file) matches no command (UPDATE_GOLDENS=1 removes it)") }
        }
    }

    /// `lightbox info` on a bundled JPEG 2000 radiograph: the element listing and the pixel summary.
    func testInfoOnASampleRadiograph() throws {
        let run = try Self.run(Self.executable(), ["info", "SampleStudies/09_DX_EMMA_2026/DX_PA.dcm"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("# Pixels: 1024×1024"), "the pixel data was decoded")
        try expect(run.stdout, golden: "info-09_DX_EMMA_2026-DX_PA.txt")
    }

    /// `lightbox ls --json --no-cache SampleStudies`: every study, series and instance, in order.
    /// Normalised: "seconds" (wall time). With --no-cache, "cached" is 0 every time and is compared.
    func testListJSONOfTheSampleStudies() throws {
        let run = try Self.run(Self.executable(), ["ls", "--json", "--no-cache", "SampleStudies"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let folders = try FileManager.default.contentsOfDirectory(atPath: "SampleStudies")
            .filter { FileManager.default.fileExists(atPath: "SampleStudies/\($0)/ground_truth.json") }
        XCTAssertEqual((json["studies"] as? [Any])?.count, folders.count, "one study per sample folder")
        try expect(run.stdout, golden: "ls-SampleStudies.json")
    }

    /// `ls --json --deidentify`: the same studies, with no patient name, ID, date, description or
    /// file path left (the sample folders are named after their phantom patients).
    func testDeidentifiedListingHoldsNoIdentifiers() throws {
        let run = try Self.run(Self.executable(), ["ls", "--json", "--no-cache", "--deidentify", "SampleStudies"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let studies = try XCTUnwrap(json["studies"] as? [[String: Any]])
        XCTAssertFalse(studies.isEmpty)
        for name in ["ALICE", "YAMADA", "SampleStudies", "LBX-PH", ".dcm"] {
            XCTAssertFalse(run.stdout.uppercased().contains(name.uppercased()), "\(name) in the de-identified listing")
        }
        XCTAssertEqual(studies.first?["patientName"] as? String, "Patient 1")
        XCTAssertTrue(studies.allSatisfy { ($0["studyDate"] as? String) == "" && ($0["accessionNumber"] as? String) == "" })
    }

    /// `lightbox analyze --json --no-cache --models Models` on the chest radiograph 09 (one image,
    /// one model): exit 10 (findings) and the whole analysis.json document.
    /// Normalised: "seconds" (wall time), and every non-integer number rounded to 6 significant
    /// digits: the convolution kernels sum in an order that depends on the CPU and backend, which
    /// moves the last digits of probabilities and millimetres (the backend is pinned to openblas
    /// too). "cached" is compared: with --no-cache it must be false.
    func testAnalyzeJSONOnARadiograph() throws {
        let run = try Self.run(Self.executable(), ["analyze", "--json", "--no-cache", "--models", "Models", "SampleStudies/09_DX_EMMA_2026"])
        XCTAssertEqual(run.status, 10, "exit 10: findings. stderr: \(run.stderr)")
        XCTAssertNotNil(try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)), "analyze --json prints JSON")
        try expect(Self.roundFractions(run.stdout), golden: "analyze-09_DX_EMMA_2026.json")
    }

    // MARK: - Running the binary

    func expect(_ output: String, golden name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        if let failure = Golden.check(Self.normalise(output), against: Self.goldens.appendingPathComponent(name)) {
            XCTFail(failure, file: file, line: line)
        }
    }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    static func executable() throws -> URL {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["LIGHTBOX"], !path.isEmpty {
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : repo.appendingPathComponent(path)
            guard fm.isExecutableFile(atPath: url.path) else { throw Failure("LIGHTBOX=\(path): no executable at \(url.path)") }
            return url
        }
        // On Linux the test bundle is an executable in .build/<triple>/<config>/ and Bundle.main is
        // that folder; on macOS the .xctest bundle sits in it.
        let bundle = Bundle(for: CLIGoldenTests.self).bundleURL
        let candidates = [bundle.appendingPathComponent("lightbox"),
                          bundle.deletingLastPathComponent().appendingPathComponent("lightbox"),
                          repo.appendingPathComponent(".build/debug/lightbox")]
        guard let found = candidates.first(where: { fm.isExecutableFile(atPath: $0.path) }) else {
            throw Failure("no lightbox executable (build it with `swift build`, or set LIGHTBOX); looked at "
                          + candidates.map(\.path).joined(separator: ", "))
        }
        return found
    }

    /// Runs `lightbox ARGS` in the repository root with a fixed environment: 80 columns (help text
    /// wraps to $COLUMNS), HOME and XDG folders in a fresh temporary folder, no LIGHTBOX_HOME.
    static func run(_ executable: URL, _ arguments: [String]) throws -> Run {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory.appendingPathComponent("lightbox-goldens-\(UUID().uuidString)")
        try fm.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: tmp) }
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("LIGHTBOX") && !key.hasPrefix("XDG_") && !["COLUMNS", "LINES", "HOME", "USER", "TERM"].contains(key)
        }
        environment.merge(["COLUMNS": "80", "LINES": "24", "TERM": "dumb", "HOME": tmp.path, "USER": "golden",
                           "XDG_CONFIG_HOME": tmp.appendingPathComponent("config").path,
                           "XDG_DATA_HOME": tmp.appendingPathComponent("data").path,
                           "XDG_CACHE_HOME": tmp.appendingPathComponent("cache").path,
                           "LIGHTBOX_BACKEND": "openblas"]) { $1 }
        let out = tmp.appendingPathComponent("stdout"), err = tmp.appendingPathComponent("stderr")
        _ = fm.createFile(atPath: out.path, contents: nil)
        _ = fm.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repo
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        let text = { (url: URL) in String(decoding: fm.contents(atPath: url.path) ?? Data(), as: UTF8.self) }
        return Run(status: process.terminationStatus, stdout: text(out), stderr: text(err))
    }

    // MARK: - Normalising what legitimately varies

    /// The checkout's absolute path becomes `<repo>`; a JSON "seconds" value (wall time) becomes 0.
    /// Nothing else is touched.
    static func normalise(_ text: String) -> String {
        var s = text.replacingOccurrences(of: repo.path, with: "<repo>")
        s = s.replacingOccurrences(of: #""seconds" : -?[0-9][0-9.eE+-]*"#, with: #""seconds" : 0"#, options: .regularExpression)
        return s
    }

    /// Every number with a fraction or an exponent, rounded to 6 significant digits (`%.6g`).
    static func roundFractions(_ text: String) -> String {
        let pattern = try! NSRegularExpression(pattern: #"(?<![0-9A-Za-z_.])-?[0-9]+(\.[0-9]+([eE][-+]?[0-9]+)?|[eE][-+]?[0-9]+)(?![0-9A-Za-z_.])"#)
        let ns = text as NSString
        var out = "", last = 0
        for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            out += ns.substring(with: NSRange(location: last, length: m.range.location - last))
            let literal = ns.substring(with: m.range)
            out += Double(literal).map { String(format: "%.6g", $0) } ?? literal
            last = m.range.location + m.range.length
        }
        return out + ns.substring(from: last)
    }

    /// Names listed under SUBCOMMANDS: in a help text ("open (default)" gives "open").
    static func subcommands(inHelp help: String) -> [String] {
        var names: [String] = [], inSection = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "SUBCOMMANDS:" { inSection = true; continue }
            guard inSection else { continue }
            if line.trimmingCharacters(in: .whitespaces).isEmpty { break }
            // A name starts in column 2; wrapped abstracts are indented further.
            guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
            if let name = line.dropFirst(2).split(separator: " ").first { names.append(String(name)) }
        }
        return names
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}
