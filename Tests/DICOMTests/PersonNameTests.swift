import XCTest
@testable import DICOM

/// PN component groups: the ideographic group is shown, not dropped.
final class PersonNameTests: XCTestCase {
    func testGroupsSplitAndDisplay() {
        let n = PersonName("Yamada^Tarou=山田^太郎=やまだ^たろう")
        XCTAssertEqual(n.alphabetic, "Yamada^Tarou")
        XCTAssertEqual(n.ideographic, "山田^太郎")
        XCTAssertEqual(n.phonetic, "やまだ^たろう")
        XCTAssertEqual(n.displayName, "Yamada Tarou 山田 太郎")
    }

    func testOnlyTheGroupsThatExist() {
        XCTAssertEqual(PersonName("Doe^Jane").displayName, "Doe Jane")
        XCTAssertEqual(PersonName("=山田^太郎").displayName, "山田 太郎")
        XCTAssertEqual(PersonName("==やまだ^たろう").displayName, "やまだ たろう")
        XCTAssertEqual(PersonName("Hong^Gildong=洪^吉洞=홍^길동").displayName, "Hong Gildong 洪 吉洞")
        XCTAssertEqual(PersonName("Doe^Jane^^Dr").displayName, "Doe Jane Dr")
        XCTAssertEqual(PersonName("").displayName, "")
    }
}
