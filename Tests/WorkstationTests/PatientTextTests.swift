import Foundation
import XCTest
@testable import Workstation

/// What a worklist search compares: the ASCII shortcut gives what the full normalisation gives.
final class PatientTextTests: XCTestCase {
    func testSearchBytesAreLowercasedNFCWithOrWithoutTheASCIIShortcut() {
        for text in ["DOE^JANE\nPID1\nACC1", "McKay^Ann-Marie [x]", "", "Z@[`{", "Ünal^Éva", "Cafe\u{301}", "Straße", "山田^太郎"] {
            XCTAssertEqual(PatientText.searchBytes(text), Array(text.precomposedStringWithCanonicalMapping.lowercased().utf8), text)
        }
        XCTAssertEqual(PatientText.searchBytes("Cafe\u{301}"), Array("café".utf8), "composed, as a reader types it")
    }
}
