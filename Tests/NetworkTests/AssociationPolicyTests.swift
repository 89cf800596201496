import XCTest
@testable import DICOMNetwork

final class AssociationPolicyTests: XCTestCase {
    private let ct = "1.2.840.10008.5.1.4.1.1.2"
    private let ecg = "1.2.840.10008.5.1.4.1.1.9.1.1" // 12-lead ECG: not something Lightbox reads

    private func request(called: String = "LIGHTBOX", calling: String = "CT1", contexts: [ProposedPresentationContext]) -> AssociateRequest {
        AssociateRequest(calledAETitle: called, callingAETitle: calling, presentationContexts: contexts,
                         userInformation: .init(maximumLength: 16384, implementationClassUID: "1.2"))
    }

    func testContextsAreAcceptedOrRejectedOneByOne() throws {
        let policy = AssociationPolicy(aeTitle: "LIGHTBOX")
        let rq = request(contexts: [
            .init(id: 1, abstractSyntax: ct, transferSyntaxes: ["1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.1"]),
            .init(id: 3, abstractSyntax: ecg, transferSyntaxes: ["1.2.840.10008.1.2.1"]),
            .init(id: 5, abstractSyntax: ct, transferSyntaxes: ["1.2.840.10008.1.2.4.100"]), // MPEG-2: not decoded
            .init(id: 7, abstractSyntax: "1.2.840.10008.1.1", transferSyntaxes: ["1.2.840.10008.1.2"]),
        ])
        guard case .accept(let ac) = policy.negotiate(rq) else { return XCTFail("rejected") }
        let byID = Dictionary(uniqueKeysWithValues: ac.presentationContexts.map { ($0.id, $0) })
        XCTAssertEqual(byID[1]?.result, .acceptance)
        XCTAssertEqual(byID[1]?.transferSyntax, "1.2.840.10008.1.2.4.90", "the proposer's first decodable syntax wins")
        XCTAssertEqual(byID[3]?.result, .abstractSyntaxNotSupported)
        XCTAssertEqual(byID[5]?.result, .transferSyntaxesNotSupported)
        XCTAssertEqual(byID[7]?.result, .acceptance)
        XCTAssertEqual(ac.userInformation.maximumLength, policy.maximumPDULength)
    }

    func testCalledAndCallingAETitlesAreChecked() {
        let policy = AssociationPolicy(aeTitle: "LIGHTBOX", allowedCallingAETitles: ["CT1"])
        let contexts = [ProposedPresentationContext(id: 1, abstractSyntax: ct, transferSyntaxes: ["1.2.840.10008.1.2"])]
        guard case .reject(let wrongCalled, _) = policy.negotiate(request(called: "OTHER", contexts: contexts)) else { return XCTFail() }
        XCTAssertEqual(wrongCalled.reason, AssociateReject.calledAETitleNotRecognized)
        guard case .reject(let wrongCalling, _) = policy.negotiate(request(calling: "INTRUDER", contexts: contexts)) else { return XCTFail() }
        XCTAssertEqual(wrongCalling.reason, AssociateReject.callingAETitleNotRecognized)
        guard case .accept = policy.negotiate(request(contexts: contexts)) else { return XCTFail() }
    }

    func testDecodableSyntaxesFollowTheCodecRegistry() {
        let s = AssociationPolicy.decodableTransferSyntaxes
        for uid in ["1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2",
                    "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.90",
                    "1.2.840.10008.1.2.4.201"] {
            XCTAssertTrue(s.contains(uid), uid)
        }
        for uid in ["1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.110"] {
            XCTAssertFalse(s.contains(uid), uid)
        }
    }
}
