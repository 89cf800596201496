import Foundation
import XCTest
@testable import Imaging

/// The walk yields files in the UTF-8 byte order of their paths (what lets a scan of one folder
/// skip sorting its file list), and each file comes with the `stat` of the file it names.
final class DirectoryWalkOrderTests: XCTestCase {
    private var root = ""

    override func setUpWithError() throws {
        root = NSTemporaryDirectory() + "walk-order-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// Names where a name-by-name sort of each folder would not give the paths' byte order: a
    /// folder "A" beside "A-1" ("-" < "/") and "A0" ("0" > "/"), a file "A" elsewhere, names that
    /// begin others, bytes above 0x7F, a folder of more than 64 entries, and enough folders for
    /// the parallel walk to split the tree.
    func testWalkYieldsPathsInByteOrder() throws {
        let files = ["A/x", "A/A/y", "A-1", "A0", "A.dcm", "B/A_", "B/A-1/z", "B/A0", "B/A/w", "é/1", "e\u{301}/2", "z",
                     "IM1", "IM10", "IM1/x", "IM2"]
            + (0 ..< 40).map { "deep/\($0 % 7)/s\($0)/IM\($0 % 3)" }
            + (0 ..< 30).map { "flat/F\($0)" }
            // A folder large enough to be sorted by ranked keys, with the same folder-name cases.
            + (0 ..< 70).map { "big/F\($0)" } + ["big/G/x", "big/G-1", "big/G0", "big/G.dcm"]
        // "IM1" cannot be both a file and a folder: keep the folder.
        for file in files where file != "IM1" {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(file.utf8)))
        }
        var serial: [String] = []
        DirectoryWalker.regularFiles(under: root) { serial.append($0.path) }
        let expected = serial.sorted { ByteOrder.compare($0, $1) < 0 }
        XCTAssertEqual(serial.count, files.count - 1)
        XCTAssertEqual(serial, expected)
        // The parallel walk, cut into parts at every depth (1: the root alone is walked in a part;
        // 3 and 9: the top levels are opened first and the parts joined in order) and at the
        // default, which on a many-core machine opens the whole tree breadth-first.
        for cut in [1, 2, 3, 9, ProcessInfo.processInfo.activeProcessorCount * 8] {
            XCTAssertEqual(DirectoryWalker.regularFiles(under: root, parallelFrom: cut) { $0.path }, expected, "cut at \(cut) folders")
        }
    }

    func testFoldersSortAsTheirNameFollowedBySlash() {
        func before(_ a: String, _ ad: Bool, _ b: String, _ bd: Bool) -> Bool { DirectoryWalker.walkOrder((a, ad), before: (b, bd)) }
        XCTAssertTrue(before("A-1", false, "A", true))   // "A-1" < "A/…"
        XCTAssertFalse(before("A", true, "A-1", false))
        XCTAssertTrue(before("A", true, "A0", false))    // "A/…" < "A0"
        XCTAssertTrue(before("A", false, "A-1", false))  // a file that begins another name comes first
        XCTAssertFalse(before("A", true, "A", true))
        XCTAssertTrue(before("a", false, "b", true))
        XCTAssertTrue(before("z", true, "é", false))     // bytes, not characters
    }

    func testEachFileComesWithItsOwnStatus() throws {
        let file = root + "/f.dcm", target = root + "/t.dcm"
        XCTAssertTrue(FileManager.default.createFile(atPath: file, contents: Data(repeating: 1, count: 10)))
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data(repeating: 2, count: 33)))
        XCTAssertTrue(FileManager.default.createFile(atPath: root + "/notes.json", contents: Data([1])))
        try FileManager.default.createSymbolicLink(atPath: root + "/link.dcm", withDestinationPath: target)
        try FileManager.default.createSymbolicLink(atPath: root + "/dangling.dcm", withDestinationPath: root + "/none")
        var found: [String: FileStamp] = [:]
        DirectoryWalker.regularFiles(under: root, keeping: { !$0.hasSuffix(".json") }) {
            found[($0.path as NSString).lastPathComponent] = $0.status.map(FileStamp.init(status:))
        }
        XCTAssertEqual(Set(found.keys), ["f.dcm", "t.dcm", "link.dcm"])  // a dangling link is no file; notes.json not kept
        XCTAssertEqual(found["f.dcm"], FileStamp(path: file))
        XCTAssertEqual(found["f.dcm"]?.size, 10)
        XCTAssertEqual(found["link.dcm"], FileStamp(path: target))       // links are followed
        // The folders opened before the parallel part are not stat'ed there; every stamp the plan
        // does carry is the file's.
        for cut in [1, 100] {
            let walked = DirectoryWalker.regularFiles(under: root, parallelFrom: cut) { $0 }
            XCTAssertEqual(walked.map { ($0.path as NSString).lastPathComponent }, ["f.dcm", "link.dcm", "notes.json", "t.dcm"])
            XCTAssertEqual(walked.allSatisfy { $0.status != nil }, cut == 1, "cut at \(cut)")
        }
        for planned in ScanPlan(roots: [root]).files {
            XCTAssertTrue(planned.stamp == nil || planned.stamp == FileStamp(path: planned.path), planned.path)
        }
        XCTAssertEqual(ScanPlan(roots: [root]).files.map { ($0.path as NSString).lastPathComponent }, ["f.dcm", "link.dcm", "t.dcm"])
    }

    /// The byte test against what the walk used to do (`lowercased()` on the extension).
    func testSkippedExtensionsMatchTheLowercasedCheck() {
        let skipped: Set<String> = ["json", "txt", "md", "py", "pyc", "toml", "png", "jpg", "jpeg", "npy", "onnx", "csv", "html", "gz", "zip"]
        let names = ["a.json", "A.JSON", "b.Txt", "c.md", "d.PY", "e.pyc", "f.toml", "g.PNG", "h.jpg", "i.JpEg", "j.npy", "k.onnx",
                     "l.csv", "m.html", "n.gz", "o.ZIP", "IM0001", "IM0001.dcm", "x.", "x.jsonl", "x.json.dcm", "x.dcm.json",
                     "x.ＪＳＯＮ", "x.\u{212A}", "x.tx", "x.jpgx", "x.é", "x.g\u{0}z", "x.\u{0}md", "noext", "a.b.c.md"]
        for name in names {
            let ext = name.contains(".") ? String(name[name.index(after: name.lastIndex(of: ".")!)...]) : ""
            let reference = ext.utf8.count <= 8 && skipped.contains(ext.lowercased())
            XCTAssertEqual(ScanPlan.hasSkippedExtension(name), reference, name)
        }
    }
}
