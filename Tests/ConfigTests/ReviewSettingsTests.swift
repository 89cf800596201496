import LightboxConfig
import XCTest

final class ReviewSettingsTests: XCTestCase {
    func testReviewURLIsReadFromItsTableOnly() throws {
        let doc = TOMLParser.parseLeniently("""
            theme = "dark"
            url = "not-this-one"
            [review]
            url = "postgresql://alice@db.example:5432/lightbox?password_file=/home/alice/.pw"
            """)
        XCTAssertEqual(ReviewSettings(document: doc).url, "postgresql://alice@db.example:5432/lightbox?password_file=/home/alice/.pw")
        XCTAssertNil(ReviewSettings(document: TOMLParser.parseLeniently("[review]\nurl = \"\"\n")).url)
        XCTAssertNil(ReviewSettings.load(path: "/nonexistent/config.toml").url)
    }
}
