import Foundation
import XCTest
@testable import Inference

/// The vectorised exp behind Sigmoid and swish stays within a few ulp of libm everywhere it is
/// used, including the clamped ends, and the copies behind NHWC Concat copy exactly.
final class VectorMathTests: XCTestCase {
    func testExpMatchesLibmAcrossTheFloatRange() {
        var worst: Float = 0
        var x: Float = -87
        while x < 88 {
            let ours = VectorMath.exp(x), libm = Foundation.exp(x)
            worst = max(worst, abs(ours - libm) / libm)
            x += 0.0137
        }
        XCTAssertLessThan(worst, 1e-6)
        XCTAssertEqual(VectorMath.exp(-1000), Foundation.exp(Float(-87.3365)), accuracy: 1e-40)
        XCTAssertTrue(VectorMath.exp(1000).isFinite)
    }

    func testSigmoidAndSwishBuffersMatchTheScalarDefinitions() {
        for threads in [1, 2] {
            ParallelChunks.threads = threads
            let input = (0 ..< 100_003).map { Float($0 % 2001 - 1000) / 37 }
            var s = input, w = input
            s.withUnsafeMutableBufferPointer { VectorMath.sigmoid($0) }
            w.withUnsafeMutableBufferPointer { VectorMath.swish($0) }
            for (i, v) in input.enumerated() {
                XCTAssertEqual(s[i], 1 / (1 + Foundation.exp(-v)), accuracy: 1e-6 * max(1, abs(s[i])))
                XCTAssertEqual(w[i], v / (1 + Foundation.exp(-v)), accuracy: 1e-5 * max(1, abs(w[i])))
            }
        }
        ParallelChunks.threads = 1
    }

    func testConcatCopiesEveryChannelCountExactly() throws {
        for threads in [1, 2] {
            ParallelChunks.threads = threads
            for (c1, c2) in [(1, 3), (16, 16), (5, 37), (32, 64)] {
                let pixels = 4099
                let a = try Tensor(shape: [1, pixels, 1, c1], floats: (0 ..< pixels * c1).map { Float($0) })
                let b = try Tensor(shape: [1, pixels, 1, c2], floats: (0 ..< pixels * c2).map { -Float($0) })
                let y = try XCTUnwrap(try NHWCKernels.concatChannels([a, b]).first)
                XCTAssertEqual(y.shape, [1, pixels, 1, c1 + c2])
                for p in stride(from: 0, to: pixels, by: 97) {
                    XCTAssertEqual(Array(y.floats[p * (c1 + c2) ..< p * (c1 + c2) + c1]), Array(a.floats[p * c1 ..< (p + 1) * c1]))
                    XCTAssertEqual(Array(y.floats[p * (c1 + c2) + c1 ..< (p + 1) * (c1 + c2)]), Array(b.floats[p * c2 ..< (p + 1) * c2]))
                }
            }
        }
        ParallelChunks.threads = 1
    }
}
