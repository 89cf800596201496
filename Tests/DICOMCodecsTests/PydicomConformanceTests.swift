import XCTest
import DICOMCodecs

/// Decodes every fixture frame and compares it with pydicom 3 + pylibjpeg's stored values:
/// bit-exact (FNV-1a hash, and sample by sample where the raw values are committed) for lossless
/// codecs and for JPEG 2000 / JPEG-LS (deterministic decoders), within the case's stated tolerance
/// (max abs difference) for the lossy JPEG DCT syntaxes — pydicom decodes JPEG with Thomas Richter's
/// libjpeg, whose IDCT differs — and, for 8-bit JPEG, bit-exact with the system libjpeg-turbo.
final class PydicomConformanceTests: XCTestCase {
    func testRLELosslessMatchesPydicom() throws { try check(prefix: "rle_", minimumCases: 7) }
    func testJPEGLosslessMatchesPydicom() throws { try check(prefix: "jll_", minimumCases: 12) }
    func testJPEGLSMatchesPydicom() throws { try check(prefix: "jls_", minimumCases: 6) }
    func testJPEG2000MatchesPydicom() throws { try check(prefix: "j2k_", minimumCases: 7) }
    func testJPEGBaselineMatchesPydicomWithinTolerance() throws { try check(prefix: "jpeg_", minimumCases: 10) }

    /// Opt-in: every compressed file of the corpus (frame 0), written outside the repository by
    /// `Tools/codecs/make_fixtures.py --survey DIR`; run with CODECS_SURVEY_DIR=DIR.
    func testWholeCorpusSurvey() throws {
        guard let path = ProcessInfo.processInfo.environment["CODECS_SURVEY_DIR"] else {
            throw XCTSkip("set CODECS_SURVEY_DIR to a directory made by make_fixtures.py --survey")
        }
        try check(prefix: "survey_", minimumCases: 1, directory: URL(fileURLWithPath: path))
    }

    private func check(prefix: String, minimumCases: Int, directory: URL = CodecFixture.directory) throws {
        let cases = try CodecFixture.all(in: directory).filter { $0.name.hasPrefix(prefix) }
        XCTAssertGreaterThanOrEqual(cases.count, minimumCases, "fixtures missing for \(prefix)")
        var libjpegTurboChecks = 0
        defer {
            if prefix == "jpeg_" { XCTAssertGreaterThanOrEqual(libjpegTurboChecks, 9, "libjpeg-turbo hashes missing") }
        }
        for fixture in cases {
            guard let decoder = CodecRegistry.decoder(forTransferSyntax: fixture.transferSyntax) else {
                XCTFail("\(fixture.name): no decoder for \(fixture.transferSyntax)")
                continue
            }
            for frame in fixture.frames {
                let label = "\(fixture.name) (\(fixture.source)) frame \(frame.index)"
                let input = try CodecFixture.bytes(frame.compressed, in: directory)
                let decoded: DecodedFrame
                do {
                    decoded = try decoder.decode(input, descriptor: fixture.frameDescriptor)
                } catch {
                    XCTFail("\(label): \(error)")
                    continue
                }
                XCTAssertEqual(decoded.bytesPerSample, fixture.descriptor.bitsAllocated / 8, label)
                XCTAssertEqual(decoded.photometricInterpretation, fixture.expectedPhotometricInterpretation, label)
                XCTAssertEqual(decoded.samples.count, frame.expectedLength, label)
                guard decoded.samples.count == frame.expectedLength else { continue }
                if fixture.tolerance == 0 && frame.expectedFNV1a64 != "not-computed" {
                    XCTAssertEqual(fnv1a64(decoded.samples), frame.expectedFNV1a64, "\(label): not bit-exact")
                }
                if let turbo = frame.libjpegTurboFNV1a64 {
                    XCTAssertEqual(fnv1a64(decoded.samples), turbo, "\(label): not bit-exact with libjpeg-turbo")
                    libjpegTurboChecks += 1
                }
                if let expectedName = frame.expected {
                    let expected = try CodecFixture.bytes(expectedName, in: directory)
                    let width = decoded.bytesPerSample
                    let signed = fixture.descriptor.pixelRepresentation == 1
                    var maxDifference: Int64 = 0
                    var firstMismatch: Int?
                    for i in 0..<(expected.count / width) {
                        let a = sampleValue(decoded.samples, i, width: width, signed: signed)
                        let b = sampleValue(expected, i, width: width, signed: signed)
                        let difference = abs(a - b)
                        if difference > maxDifference { maxDifference = difference }
                        if difference > Int64(fixture.tolerance), firstMismatch == nil { firstMismatch = i }
                    }
                    XCTAssertLessThanOrEqual(maxDifference, Int64(fixture.tolerance),
                                             "\(label): max abs difference \(maxDifference), first beyond tolerance at sample \(firstMismatch ?? -1)")
                    if ProcessInfo.processInfo.environment["CODECS_REPORT"] != nil {
                        print("\(label): max abs difference \(maxDifference) (tolerance \(fixture.tolerance))")
                    }
                }
            }
        }
    }
}
