import XCTest
@testable import LightboxConfig

/// The one TOML parser: every feature the two it replaced supported (themes' flat tables and bare
/// numbers; config.toml's dotted `[archives.NAME]` tables, `#` inside strings), plus escapes and
/// literal strings; and an error naming the line for each thing it does not support.
final class TOMLParserTests: XCTestCase {
    func testTablesKeysValuesAndComments() throws {
        let doc = try TOMLParser.parse("""
            # a comment
            name = "dark"   # trailing comment
            top = bare-token

            [overlay]
            heatmap_opacity = 0.45
            heatmap = inferno
            [archives.main]
            password = "pa#ss"
            [ spaced ]
            ok = true
            """)
        XCTAssertEqual(doc.value("name"), "dark")
        XCTAssertEqual(doc.value("top"), "bare-token")
        XCTAssertEqual(doc["overlay"], ["heatmap_opacity": "0.45", "heatmap": "inferno"])
        XCTAssertEqual(doc.value("password", in: "archives.main"), "pa#ss", "# inside a string is not a comment")
        XCTAssertEqual(doc.value("ok", in: "spaced"), "true")
        XCTAssertEqual(doc.entry("heatmap", in: "overlay"), .init(value: "inferno", line: 7, isQuoted: false))
        XCTAssertEqual(doc.entry("name")?.isQuoted, true)
        XCTAssertEqual(doc.headerLines["archives.main"], 8)
        XCTAssertEqual(doc.tableNames(withPrefix: "archives."), ["archives.main"])
        XCTAssertEqual(doc.problems, [])
    }

    func testEmptyTablesExistAndRepeatedHeadersMerge() throws {
        let doc = try TOMLParser.parse("[a]\n[b]\nx = \"1\"\n[a]\ny = \"2\"\n")
        XCTAssertEqual(doc["a"], ["y": "2"])
        XCTAssertNotNil(doc.tables["b"])
        XCTAssertEqual(doc.headerLines["a"], 1)
        XCTAssertEqual(doc.tables[""], [:])
    }

    func testStringEscapesAndLiteralStrings() throws {
        let doc = try TOMLParser.parse(#"""
            a = "q\"uote \\ tab\t nl\n \u00e9 \U0001F600"
            b = 'C:\path\no escapes # not a comment'
            c = ""
            d = "肺 Müller"
            """#)
        XCTAssertEqual(doc.value("a"), "q\"uote \\ tab\t nl\n é 😀")
        XCTAssertEqual(doc.value("b"), #"C:\path\no escapes # not a comment"#)
        XCTAssertEqual(doc.value("c"), "")
        XCTAssertEqual(doc.value("d"), "肺 Müller")
    }

    func testCRLFLineEndsAndByteOrderMark() throws {
        let doc = try TOMLParser.parse("\u{FEFF}name = \"x\"\r\n[risk]\r\nlow = \"#123456\"\r\n")
        XCTAssertEqual(doc.value("name"), "x")
        XCTAssertEqual(doc.entry("low", in: "risk")?.line, 3)
    }

    /// Each malformed line: its error and line number.
    func testMalformedLinesAreErrorsWithLineNumbers() {
        let cases: [(String, String)] = [
            ("[risk\nlow = \"#1\"", "no closing ]"),
            ("[[servers]]", "arrays of tables"),
            ("[archives..x]", "bad table name"),
            ("[.x]", "bad table name"),
            ("[a b]", "bad table name"),
            ("[a] junk", "unexpected text after the table header"),
            ("just words", "expected key = value"),
            ("= 1", "bad key"),
            ("\"quoted key\" = 1", "bad key"),
            ("dotted.key = 1", "bad key"),
            ("k =", "has no value"),
            ("k = # nothing", "has no value"),
            ("k = \"open", "unterminated string"),
            ("k = 'open", "unterminated string"),
            ("k = \"a\" b", "unexpected text after the string"),
            ("k = \"bad \\q\"", "unknown escape \\q"),
            ("k = \"\\u12\"", "bad \\u escape"),
            ("k = \"\\uD800\"", "bad \\u escape"),
            ("k = [1, 2]", "arrays are not supported"),
            ("k = { a = 1 }", "inline tables are not supported"),
            ("k = \"\"\"multi\"\"\"", "multi-line strings are not supported"),
            ("k = 1\nk = 2", "k is already set on line 2"),
        ]
        for (text, message) in cases {
            let source = "# header comment\n" + text
            XCTAssertThrowsError(try TOMLParser.parse(source, source: "t.toml"), text) { error in
                guard let e = error as? ConfigError else { return XCTFail("\(text): \(error)") }
                XCTAssertTrue(e.message.contains(message), "\(text): \(e.message)")
                XCTAssertEqual(e.line, text.contains("\n") && !text.hasPrefix("[risk") ? 3 : 2, text)
                XCTAssertTrue(e.description.hasPrefix("t.toml line \(e.line ?? 0): "), e.description)
            }
        }
    }

    /// Shared files: the lenient parse keeps what it understands and attributes each problem to
    /// the table it is in, so each reader judges only its own tables.
    func testLenientParseAttributesProblemsToTables() {
        let doc = TOMLParser.parseLeniently("""
            theme = "light"
            [keys]
            accept = [1]
            help = "?"
            [archives.pacs
            base_url = "x"
            [archives.ok]
            base_url = "http://h"
            [my table]
            """, source: "config.toml")
        XCTAssertEqual(doc.value("theme"), "light")
        XCTAssertEqual(doc["keys"], ["help": "?"])
        XCTAssertEqual(doc.value("base_url", in: "archives.ok"), "http://h")
        XCTAssertNil(doc.tables["archives.pacs"], "keys under a malformed header are stored nowhere")
        XCTAssertEqual(doc.problems.map(\.line), [3, 5, 9])
        XCTAssertEqual(doc.problems.map(\.table), ["keys", "archives.pacs", "my table"])
        XCTAssertEqual(doc.problems(inTables: { $0.hasPrefix("archives.") }).map(\.line), [5])
    }

    /// Hostile input never traps: random bytes, long lines, stray brackets and quotes.
    func testArbitraryInputNeverTraps() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("[]{}\"'\\=#.\n\r\t abcu0123456789é肺\u{FEFF}\u{0}")
        for _ in 0 ..< 2000 {
            let n = Int.random(in: 0 ..< 60, using: &rng)
            let text = String((0 ..< n).map { _ in alphabet.randomElement(using: &rng)! })
            let doc = TOMLParser.parseLeniently(text)
            XCTAssertTrue(doc.problems.allSatisfy { ($0.line ?? 0) >= 1 }, text.debugDescription)
        }
        XCTAssertNoThrow(try TOMLParser.parse(String(repeating: "k", count: 100_000) + " = 1"))
    }

    func testFilesAreReadBoundedAndNamedInErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lightbox-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("good.toml"), bad = dir.appendingPathComponent("bad.toml")
        try "a = 1\n".write(to: good, atomically: true, encoding: .utf8)
        try "a = 1\n[b\n".write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ConfigFile.document(at: good.path).value("a"), "1")
        XCTAssertThrowsError(try ConfigFile.document(at: bad.path)) { XCTAssertEqual("\($0)", "\(bad.path) line 2: malformed table header (no closing ])") }
        XCTAssertThrowsError(try ConfigFile.text(at: dir.appendingPathComponent("missing.toml").path))
        let big = dir.appendingPathComponent("big.toml")
        try Data(count: TOMLParser.maxFileBytes + 1).write(to: big)
        XCTAssertThrowsError(try ConfigFile.text(at: big.path)) { XCTAssertTrue("\($0)".contains("larger than")) }
        let latin1 = dir.appendingPathComponent("latin1.toml")
        try Data([0x61, 0x3D, 0x22, 0xE9, 0x22]).write(to: latin1)
        XCTAssertThrowsError(try ConfigFile.text(at: latin1.path)) { XCTAssertTrue("\($0)".contains("not UTF-8")) }
    }

    func testDefaultLocation() {
        XCTAssertEqual(ConfigLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]), "/x/lightbox/config.toml")
        XCTAssertEqual(ConfigLocation.defaultPath(environment: ["XDG_CONFIG_HOME": "", "HOME": "/h"]), "/h/.config/lightbox/config.toml")
    }
}
