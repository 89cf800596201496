import Foundation
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

    /// Blanks around components go (spaces padding a fixed-width value, tabs, the ideographic
    /// space U+3000), as Foundation's `.whitespaces` trimmed them; blanks inside stay.
    func testComponentsAreTrimmedOfBlanksLikeFoundationWould() {
        XCTAssertEqual(PersonName(" Doe ^\tJane  ^ ^").displayName, "Doe Jane")
        XCTAssertEqual(PersonName("van der Berg^Anna Maria").displayName, "van der Berg Anna Maria")
        XCTAssertEqual(PersonName("=\u{3000}山田\u{3000}^太郎").displayName, "山田 太郎")
        for raw in [" a ", "\u{00A0}b\u{2003}", "\t\t", "\u{3000}", "c\u{200B}", " é ", "", "\u{180E}x\u{180E}", "x\u{FEFF}",
                    "\nx\n", "\u{2028}x", "\u{1680}y\u{202F}", "\u{205F}z\u{2009}"] {
            XCTAssertEqual(PersonName.readable(raw), raw.trimmingCharacters(in: .whitespaces), raw.debugDescription)
        }
        // Component by component.
        XCTAssertEqual(PersonName.readable("\u{2003}Doe\u{00A0}^\u{FEFF}Jane ^\n"),
                       ["\u{2003}Doe\u{00A0}", "\u{FEFF}Jane ", "\n"].map { $0.trimmingCharacters(in: .whitespaces) }
                           .filter { !$0.isEmpty }.joined(separator: " "))
    }
}
