import XCTest
@testable import Inference

/// The 3-D forms of the operators deepbet's LinkNet3d uses (Models/deepbet-bbox-v1.onnx), each run
/// as a one-node graph with the attributes found in that model, against a direct loop written here
/// from the ONNX operator definitions (no shared code with the kernels).
final class Volumetric3DOperatorTests: XCTestCase {
    typealias P = ProtoWriter

    /// Deterministic values in [-1, 1).
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0 ..< n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int((s >> 33) % 2000) - 1000) / 1000
        }
    }

    func run(_ op: String, x: Tensor, inits: [(String, [Int], [Float])] = [], attrs: [[UInt8]]) throws -> Tensor {
        let names = ["x"] + inits.map(\.0)
        let bytes = P.model(nodes: [P.node(op, names, ["y"], attrs: attrs)],
                            inits: inits.map { P.tensor($0.0, $0.1, $0.2) },
                            inputs: [P.valueInfo("x", x.shape)], outputs: [P.valueInfo("y", nil)])
        return try XCTUnwrap(try Model(bytes: bytes).runSync(["x": x])["y"])
    }

    func assertClose(_ a: Tensor, _ shape: [Int], _ b: [Float], tolerance: Float = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.shape, shape, file: file, line: line)
        guard a.floats.count == b.count else { return XCTFail("\(a.floats.count) values, expected \(b.count)", file: file, line: line) }
        let worst = zip(a.floats, b).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, tolerance, file: file, line: line)
    }

    /// Conv: y[co, o] = b[co] + Σ x[ci, o·s − p + k] · w[co, ci, k], per spatial axis.
    func conv(_ x: [Float], _ c: Int, _ size: [Int], _ w: [Float], _ co: Int, _ k: Int, stride: Int, pad: Int, bias: [Float]) -> ([Float], [Int]) {
        let out = size.map { ($0 + 2 * pad - k) / stride + 1 }
        var y = [Float](repeating: 0, count: co * out.reduce(1, *))
        for o in 0 ..< co {
            for d in 0 ..< out[0] { for h in 0 ..< out[1] { for ww in 0 ..< out[2] {
                var acc = bias[o]
                for i in 0 ..< c { for a in 0 ..< k { for b in 0 ..< k { for e in 0 ..< k {
                    let (zd, zh, zw) = (d * stride - pad + a, h * stride - pad + b, ww * stride - pad + e)
                    guard zd >= 0, zh >= 0, zw >= 0, zd < size[0], zh < size[1], zw < size[2] else { continue }
                    acc += x[((i * size[0] + zd) * size[1] + zh) * size[2] + zw] * w[(((o * c + i) * k + a) * k + b) * k + e]
                } } } }
                y[((o * out[0] + d) * out[1] + h) * out[2] + ww] = acc
            } } }
        }
        return (y, [1, co] + out)
    }

    func testConv3DStridedPaddedAndPointwise() throws {
        for (k, s, p, ci, co) in [(7, 2, 3, 1, 3), (3, 1, 1, 2, 3), (3, 2, 1, 2, 4), (1, 2, 0, 3, 2)] {
            let size = [7, 8, 9]
            let x = Self.values(ci * size.reduce(1, *), seed: UInt64(k * 10 + s))
            let w = Self.values(co * ci * k * k * k, seed: UInt64(k + 100 * ci))
            let b = Self.values(co, seed: 7)
            let (want, shape) = conv(x, ci, size, w, co, k, stride: s, pad: p, bias: b)
            let y = try run("Conv", x: Tensor(shape: [1, ci] + size, floats: x),
                            inits: [("w", [co, ci, k, k, k], w), ("b", [co], b)],
                            attrs: [P.attrInts("kernel_shape", [k, k, k]), P.attrInts("strides", [s, s, s]), P.attrInts("pads", [Int](repeating: p, count: 6))])
            assertClose(y, shape, want, tolerance: 1e-4)
        }
    }

    /// ConvTranspose: every input voxel i adds x[ci, i] · w[ci, co, k] to output o = i·s − p + k;
    /// output size (n − 1)·s − 2p + k + output_padding.
    func testConvTranspose3DWithOutputPadding() throws {
        for (k, s, p, op) in [(3, 2, 1, 1), (2, 2, 0, 0), (3, 1, 1, 0)] {
            let (ci, co, size) = (3, 2, [3, 4, 5])
            let x = Self.values(ci * size.reduce(1, *), seed: UInt64(31 + k))
            let w = Self.values(ci * co * k * k * k, seed: UInt64(41 + s))
            let b = Self.values(co, seed: 9)
            let out = size.map { ($0 - 1) * s - 2 * p + k + op }
            var want = [Float](repeating: 0, count: co * out.reduce(1, *))
            for o in 0 ..< co { for v in 0 ..< out.reduce(1, *) { want[o * out.reduce(1, *) + v] = b[o] } }
            for i in 0 ..< ci { for d in 0 ..< size[0] { for h in 0 ..< size[1] { for ww in 0 ..< size[2] {
                let xv = x[((i * size[0] + d) * size[1] + h) * size[2] + ww]
                for o in 0 ..< co { for a in 0 ..< k { for bb in 0 ..< k { for e in 0 ..< k {
                    let (zd, zh, zw) = (d * s - p + a, h * s - p + bb, ww * s - p + e)
                    guard zd >= 0, zh >= 0, zw >= 0, zd < out[0], zh < out[1], zw < out[2] else { continue }
                    want[((o * out[0] + zd) * out[1] + zh) * out[2] + zw] += xv * w[(((i * co + o) * k + a) * k + bb) * k + e]
                } } } }
            } } } }
            let y = try run("ConvTranspose", x: Tensor(shape: [1, ci] + size, floats: x),
                            inits: [("w", [ci, co, k, k, k], w), ("b", [co], b)],
                            attrs: [P.attrInts("kernel_shape", [k, k, k]), P.attrInts("strides", [s, s, s]),
                                    P.attrInts("pads", [Int](repeating: p, count: 6)), P.attrInts("output_padding", [op, op, op])])
            assertClose(y, [1, co] + out, want, tolerance: 1e-4)
        }
    }

    func testMaxPool3DStridedPadded() throws {
        let (c, size) = (2, [5, 6, 7])
        let x = Self.values(c * size.reduce(1, *), seed: 3)
        let out = size.map { ($0 + 2 - 3) / 2 + 1 }
        var want: [Float] = []
        for i in 0 ..< c { for d in 0 ..< out[0] { for h in 0 ..< out[1] { for w in 0 ..< out[2] {
            var m = -Float.infinity
            for a in 0 ..< 3 { for b in 0 ..< 3 { for e in 0 ..< 3 {
                let (zd, zh, zw) = (d * 2 - 1 + a, h * 2 - 1 + b, w * 2 - 1 + e)
                guard zd >= 0, zh >= 0, zw >= 0, zd < size[0], zh < size[1], zw < size[2] else { continue }
                m = max(m, x[((i * size[0] + zd) * size[1] + zh) * size[2] + zw])
            } } }
            want.append(m)
        } } } }
        let y = try run("MaxPool", x: Tensor(shape: [1, c] + size, floats: x),
                        attrs: [P.attrInts("kernel_shape", [3, 3, 3]), P.attrInts("strides", [2, 2, 2]), P.attrInts("pads", [1, 1, 1, 1, 1, 1])])
        assertClose(y, [1, c] + out, want, tolerance: 0)
    }

    /// InstanceNormalization over a 5-D tensor: per (n, c), (x − mean) / √(biased variance + ε) · scale + bias.
    func testInstanceNormalization3D() throws {
        let (n, c, plane) = (2, 3, 4 * 5 * 6)
        let x = Self.values(n * c * plane, seed: 11).map { $0 * 50 + 20 }  // an offset mean, as real activations have
        let scale = Self.values(c, seed: 12), bias = Self.values(c, seed: 13)
        var want = [Float](repeating: 0, count: x.count)
        for b in 0 ..< n { for ch in 0 ..< c {
            let base = (b * c + ch) * plane
            let v = x[base ..< base + plane].map(Double.init)
            let mean = v.reduce(0, +) / Double(plane)
            let variance = v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(plane)
            for i in 0 ..< plane {
                want[base + i] = Float((v[i] - mean) / (variance + 1e-5).squareRoot()) * scale[ch] + bias[ch]
            }
        } }
        let y = try run("InstanceNormalization", x: Tensor(shape: [n, c, 4, 5, 6], floats: x),
                        inits: [("scale", [c], scale), ("bias", [c], bias)], attrs: [P.attrFloat("epsilon", 1e-5)])
        assertClose(y, [n, c, 4, 5, 6], want, tolerance: 1e-5)
    }

    func testSoftmaxOverChannelsOf5D() throws {
        let x = Self.values(2 * 3 * 4 * 5, seed: 21).map { $0 * 8 }
        var want = x
        for v in 0 ..< 60 {
            let (a, b) = (x[v], x[60 + v])
            let m = max(a, b)
            let (ea, eb) = (exp(Double(a - m)), exp(Double(b - m)))
            want[v] = Float(ea / (ea + eb)); want[60 + v] = Float(eb / (ea + eb))
        }
        let y = try run("Softmax", x: Tensor(shape: [1, 2, 3, 4, 5], floats: x), attrs: [P.int(20, 2) + P.string(1, "axis") + P.int(3, 1)])
        assertClose(y, [1, 2, 3, 4, 5], want, tolerance: 1e-6)
    }
}
