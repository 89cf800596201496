import XCTest
@testable import Inference

/// The oneDNN (NHWC) and OpenBLAS backends on the same graphs must agree to 1e-4 relative, and
/// the oneDNN plan must really run NHWC (so a silent fallback everywhere cannot pass as parity).
final class BackendParityTests: XCTestCase {
    typealias P = ProtoWriter

    override func setUpWithError() throws {
        try XCTSkipUnless(InferenceBackend.dnnl.isAvailable, "oneDNN does not start on this machine")
    }

    func options(_ b: InferenceBackend) -> Model.LoadOptions {
        var o = Model.LoadOptions()
        o.backend = b
        o.verifyCard = false
        return o
    }

    /// Deterministic values in [-1, 1).
    func values(_ n: Int, seed: UInt64) -> [Float] {
        var s = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: s >> 11) % 2000) / 1000 - 1
        }
    }

    func weights(_ name: String, _ dims: [Int], seed: UInt64) -> [UInt8] {
        P.tensor(name, dims, values(dims.reduce(1, *), seed: seed).map { $0 * 0.5 })
    }

    /// Runs `bytes` on both backends with the given inputs and compares every output.
    @discardableResult
    func assertBackendsAgree(_ bytes: [UInt8], _ feeds: [String: Tensor], file: StaticString = #filePath, line: UInt = #line) throws -> Model {
        let a = try Model(bytes: bytes, options: options(.openblas))
        let b = try Model(bytes: bytes, options: options(.dnnl))
        XCTAssertEqual(a.backend, .openblas)
        XCTAssertEqual(b.backend, .dnnl)
        let ya = try a.runSync(feeds), yb = try b.runSync(feeds)
        XCTAssertEqual(Set(ya.keys), Set(yb.keys), file: file, line: line)
        for (k, t) in ya {
            guard let u = yb[k] else { continue }
            XCTAssertEqual(t.shape, u.shape, k, file: file, line: line)
            XCTAssertNil(NodeTestRunner.compare(u, t, rtol: 1e-4, atol: 1e-5), "output \(k)", file: file, line: line)
        }
        return b
    }

    func nhwcSteps(_ m: Model) -> [String] {
        m.graph.nodes.filter { $0.domain == NHWCLowering.domain }.map(\.opType)
    }

    func testFixturesAgreeAcrossBackends() throws {
        for name in ["resnet_mini", "resnet_bottleneck_mini", "densenet_mini", "mobilenet_mini", "unet_mini", "function_inline"] {
            let bytes = [UInt8](try Data(contentsOf: Fixtures.url(name + ".onnx")))
            let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url(name + ".input.npy"))))
            let m = try assertBackendsAgree(bytes, ["input": x])
            XCTAssertTrue(nhwcSteps(m).contains("Conv"), "\(name): no convolution ran on oneDNN")
        }
    }

    /// Conv geometry oneDNN must reproduce: stride, dilation, asymmetric pads, SAME_UPPER,
    /// groups (depthwise and grouped), 1×1, and every fused activation.
    func testConvolutionGeometriesAndActivations() throws {
        struct Case { let c: Int, m: Int, k: Int, group: Int, attrs: [[UInt8]], act: String?, actAttrs: [[UInt8]] }
        let cases: [Case] = [
            Case(c: 3, m: 8, k: 3, group: 1, attrs: [P.attrInts("pads", [1, 1, 1, 1])], act: "Relu", actAttrs: []),
            Case(c: 4, m: 6, k: 3, group: 1, attrs: [P.attrInts("strides", [2, 2]), P.attrInts("pads", [0, 1, 2, 1])], act: "LeakyRelu",
                 actAttrs: [P.attrFloat("alpha", 0.1)]),
            Case(c: 5, m: 7, k: 3, group: 1, attrs: [P.attrInts("dilations", [2, 2]), P.attrString("auto_pad", "SAME_UPPER")], act: "Sigmoid", actAttrs: []),
            Case(c: 8, m: 8, k: 3, group: 8, attrs: [P.attrInts("pads", [1, 1, 1, 1]), P.attrInt("group", 8)], act: "HardSwish", actAttrs: []),
            Case(c: 8, m: 12, k: 3, group: 4, attrs: [P.attrInts("strides", [2, 1]), P.attrInt("group", 4)], act: "HardSigmoid",
                 actAttrs: [P.attrFloat("alpha", 0.2), P.attrFloat("beta", 0.5)]),
            Case(c: 16, m: 4, k: 1, group: 1, attrs: [], act: "Tanh", actAttrs: []),
            Case(c: 2, m: 3, k: 5, group: 1, attrs: [P.attrInts("pads", [2, 2, 2, 2])], act: nil, actAttrs: []),
        ]
        for (i, t) in cases.enumerated() {
            var nodes = [P.node("Conv", ["x", "w", "b"], [t.act == nil ? "y" : "c"], attrs: t.attrs)]
            if let act = t.act { nodes.append(P.node(act, ["c"], ["y"], attrs: t.actAttrs)) }
            let bytes = P.model(nodes: nodes,
                                inits: [weights("w", [t.m, t.c / t.group, t.k, t.k], seed: UInt64(i)), weights("b", [t.m], seed: UInt64(i + 100))],
                                inputs: [P.valueInfo("x", [2, t.c, 11, 13])], outputs: [P.valueInfo("y", nil)])
            let x = try Tensor(shape: [2, t.c, 11, 13], floats: values(2 * t.c * 11 * 13, seed: UInt64(i + 7)))
            let m = try assertBackendsAgree(bytes, ["x": x])
            XCTAssertEqual(nhwcSteps(m).filter { $0 == "Conv" }.count, 1, "case \(i)")
        }
    }

    /// 3-D convolutions (deepbet, MONAI UNets) run as oneDNN primitives on their NCDHW tensors:
    /// stride, asymmetric pads, dilation, bias and a fused activation agree with the im2col path,
    /// and the node is really marked for oneDNN.
    func testThreeDimensionalConvolutionsAgree() throws {
        let cases: [(c: Int, m: Int, attrs: [[UInt8]], act: String?)] = [
            (3, 8, [P.attrInts("pads", [1, 1, 1, 1, 1, 1])], "Relu"),
            (4, 6, [P.attrInts("strides", [2, 2, 1]), P.attrInts("pads", [0, 1, 1, 1, 0, 1])], "LeakyRelu"),
            (2, 5, [P.attrInts("dilations", [2, 1, 2]), P.attrString("auto_pad", "SAME_UPPER")], nil),
        ]
        for (i, t) in cases.enumerated() {
            var nodes = [P.node("Conv", ["x", "w", "b"], [t.act == nil ? "y" : "c"], attrs: t.attrs)]
            if let act = t.act { nodes.append(P.node(act, ["c"], ["y"], attrs: [])) }
            let bytes = P.model(nodes: nodes,
                                inits: [weights("w", [t.m, t.c, 3, 3, 3], seed: UInt64(i + 40)), weights("b", [t.m], seed: UInt64(i + 140))],
                                inputs: [P.valueInfo("x", [1, t.c, 7, 9, 8])], outputs: [P.valueInfo("y", nil)])
            let x = try Tensor(shape: [1, t.c, 7, 9, 8], floats: values(t.c * 7 * 9 * 8, seed: UInt64(i + 70)))
            let m = try assertBackendsAgree(bytes, ["x": x])
            XCTAssertEqual(m.graph.nodes.filter(\.planarDNNL).count, 1, "case \(i): the 3-D Conv runs on oneDNN")
        }
    }

    /// 3-D ConvTranspose with constant weights runs on oneDNN (through its blocked layout) and must
    /// match the OpenBLAS GEMM + col2im: U-Net up-sampling (k3 s2 with output_padding, k2 s2),
    /// fewer output than input channels (oneDNN's weight dims are [out, in, …], ONNX's [in, out, …]),
    /// with and without bias and a fused activation.
    func testThreeDimensionalTransposedConvolutionsAgree() throws {
        let cases: [(c: Int, m: Int, k: Int, attrs: [[UInt8]], bias: Bool, act: String?)] = [
            (16, 8, 3, [P.attrInts("strides", [2, 2, 2]), P.attrInts("pads", [1, 1, 1, 1, 1, 1]), P.attrInts("output_padding", [1, 1, 1])], true, nil),
            (8, 2, 2, [P.attrInts("strides", [2, 2, 2])], true, "Relu"),
            (4, 6, 3, [P.attrInts("pads", [1, 1, 1, 1, 1, 1])], false, nil),
        ]
        for (i, t) in cases.enumerated() {
            let before = ConvTransposeKernel.planarPrimitivesMade
            var nodes = [P.node("ConvTranspose", t.bias ? ["x", "w", "b"] : ["x", "w"], [t.act == nil ? "y" : "c"], attrs: t.attrs)]
            if let act = t.act { nodes.append(P.node(act, ["c"], ["y"], attrs: [])) }
            var inits = [weights("w", [t.c, t.m, t.k, t.k, t.k], seed: UInt64(i + 240))]
            if t.bias { inits.append(weights("b", [t.m], seed: UInt64(i + 340))) }
            let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", [1, t.c, 5, 6, 7])], outputs: [P.valueInfo("y", nil)])
            let x = try Tensor(shape: [1, t.c, 5, 6, 7], floats: values(t.c * 5 * 6 * 7, seed: UInt64(i + 270)))
            let m = try assertBackendsAgree(bytes, ["x": x])
            XCTAssertEqual(m.graph.nodes.filter(\.planarDNNL).count, 1, "case \(i): marked for oneDNN")
            XCTAssertGreaterThan(ConvTransposeKernel.planarPrimitivesMade - before, 0, "case \(i): oneDNN accepted it")
        }
    }

    /// Layers of one image from `DNNLBandedConvolution.minimumWork` multiply-adds on run as bands of
    /// output rows that the inference threads claim. Each band has its own top and bottom padding;
    /// the geometries where that padding differs from the layer's (stride 2 with asymmetric pads,
    /// dilation, odd row counts, a fused residual Add) must give exactly the one-primitive result.
    func testBandedConvolutionsAgree() throws {
        try XCTSkipIf(DNNLBandedConvolution.minimumWork > 1 << 23, "bands are off (LIGHTBOX_DNNL_BAND_WORK set above these layers)")
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let before = DNNLBandedConvolution.madeCount
        let cases: [(attrs: [[UInt8]], h: Int, residual: Bool)] = [
            ([P.attrInts("pads", [1, 1, 1, 1])], 64, false),
            ([P.attrInts("strides", [2, 2]), P.attrInts("pads", [0, 1, 2, 1])], 67, false),
            ([P.attrInts("dilations", [2, 2]), P.attrString("auto_pad", "SAME_UPPER")], 61, false),
            ([P.attrInts("pads", [1, 1, 1, 1])], 63, true),
        ]
        for (i, t) in cases.enumerated() {
            var nodes = [P.node("Conv", ["x", "w", "b"], [t.residual ? "c" : "y"], attrs: t.attrs)]
            var inputs = [P.valueInfo("x", [1, 16, t.h, 64])]
            if t.residual {
                nodes.append(P.node("Add", ["c", "r"], ["y"]))
                inputs.append(P.valueInfo("r", [1, 16, t.h, 64]))
            }
            let bytes = P.model(nodes: nodes, inits: [weights("w", [16, 16, 3, 3], seed: UInt64(40 + i)), weights("b", [16], seed: UInt64(50 + i))],
                                inputs: inputs, outputs: [P.valueInfo("y", nil)])
            var feeds = ["x": try Tensor(shape: [1, 16, t.h, 64], floats: values(16 * t.h * 64, seed: UInt64(60 + i)))]
            if t.residual { feeds["r"] = try Tensor(shape: [1, 16, t.h, 64], floats: values(16 * t.h * 64, seed: UInt64(70 + i))) }
            try assertBackendsAgree(bytes, feeds)
        }
        XCTAssertGreaterThanOrEqual(DNNLBandedConvolution.madeCount - before, cases.count, "every case ran as bands")
    }

    /// Layers with fewer output rows than the row split wants (the 7×7 and 14×14 stages of the
    /// classifiers) run as parts of their output channels, each writing a dense buffer copied into
    /// its channels of the destination. Stride 2, a fused residual Add + Relu and a bias must give
    /// the one-primitive result; a channel count that is not a multiple of 8 is split by rows.
    func testChannelSplitConvolutionsAgree() throws {
        try XCTSkipIf(DNNLBandedConvolution.minimumWork > 1 << 20, "bands are off (LIGHTBOX_DNNL_BAND_WORK set above these layers)")
        let tuning = ["LIGHTBOX_DNNL_CHANNEL_SPLIT_ROWS", "LIGHTBOX_DNNL_CHANNEL_PART_MIN", "LIGHTBOX_DNNL_BAND_ROWS"]
        try XCTSkipIf(tuning.contains { ProcessInfo.processInfo.environment[$0] != nil }, "the split is tuned by the environment")
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let cases: [(attrs: [[UInt8]], h: Int, channels: Int, out: Int, residual: Bool, split: Bool)] = [
            ([P.attrInts("pads", [1, 1, 1, 1])], 7, 64, 7, false, true),
            ([P.attrInts("strides", [2, 2]), P.attrInts("pads", [0, 1, 1, 0])], 14, 64, 7, false, true),
            ([P.attrInts("pads", [1, 1, 1, 1])], 14, 48, 14, true, true),
            ([P.attrInts("pads", [1, 1, 1, 1])], 7, 68, 7, false, false),
        ]
        for (i, t) in cases.enumerated() {
            let before = DNNLChannelSplitConvolution.madeCount, bandsBefore = DNNLBandedConvolution.madeCount
            var nodes = [P.node("Conv", ["x", "w", "b"], [t.residual ? "c" : "y0"], attrs: t.attrs)]
            var inputs = [P.valueInfo("x", [1, 64, t.h, t.h])]
            if t.residual {
                nodes.append(P.node("Add", ["c", "r"], ["y0"]))
                inputs.append(P.valueInfo("r", [1, t.channels, t.out, t.out]))
            }
            nodes.append(P.node("Relu", ["y0"], ["y"]))
            let bytes = P.model(nodes: nodes, inits: [weights("w", [t.channels, 64, 3, 3], seed: UInt64(80 + i)),
                                                      weights("b", [t.channels], seed: UInt64(90 + i))],
                                inputs: inputs, outputs: [P.valueInfo("y", nil)])
            var feeds = ["x": try Tensor(shape: [1, 64, t.h, t.h], floats: values(64 * t.h * t.h, seed: UInt64(100 + i)))]
            if t.residual {
                let n = t.channels * t.out * t.out
                feeds["r"] = try Tensor(shape: [1, t.channels, t.out, t.out], floats: values(n, seed: UInt64(110 + i)))
            }
            let m = try assertBackendsAgree(bytes, feeds)
            let made = DNNLChannelSplitConvolution.madeCount - before
            XCTAssertTrue(t.split ? made >= 1 : made == 0, "case \(i): \(made) channel-split convolutions made")
            if !t.split { XCTAssertGreaterThan(DNNLBandedConvolution.madeCount - bandsBefore, 0, "case \(i): split by rows") }
            XCTAssertFalse(m.graph.nodes.contains { $0.opType == "Add" || $0.opType == "Relu" }, "case \(i): Add and Relu fuse into the Conv")
        }
    }

    func testBandsCoverTheOutputWithTheirOwnPadding() throws {
        // 3×3, stride 1, pad 1 on 10 rows: rows 0..<5 read input 0..<6 (pad 1 above, none below).
        let top = try XCTUnwrap(DNNLBandedConvolution.Band(rows: 0 ..< 5, stride: 1, extent: 3, padTop: 1, height: 10))
        XCTAssertEqual([top.sourceRow, top.sourceRows, top.padTop, top.padBottom], [0, 6, 1, 0])
        let bottom = try XCTUnwrap(DNNLBandedConvolution.Band(rows: 5 ..< 10, stride: 1, extent: 3, padTop: 1, height: 10))
        XCTAssertEqual([bottom.sourceRow, bottom.sourceRows, bottom.padTop, bottom.padBottom], [4, 6, 0, 1])
        // Stride 2, no pad above, 2 below (ONNX pads [0, _, 2, _]): the last band keeps the 2 rows of padding below.
        let last = try XCTUnwrap(DNNLBandedConvolution.Band(rows: 17 ..< 34, stride: 2, extent: 3, padTop: 0, height: 67))
        XCTAssertEqual([last.sourceRow, last.sourceRows, last.padTop, last.padBottom], [34, 33, 0, 2])
    }

    /// A U-Net block: Conv → MaxPool → Conv → ConvTranspose → Concat → Conv → Add → GlobalAveragePool,
    /// with a dynamic batch (primitives made per shape) and a ConvTranspose oneDNN may refuse
    /// (output_padding), which must fall back to OpenBLAS and still agree.
    func testUNetBlockWithDynamicBatchAndFallbacks() throws {
        let nodes = [
            P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Relu", ["a"], ["a1"]),
            P.node("MaxPool", ["a1"], ["p"], attrs: [P.attrInts("kernel_shape", [3, 3]), P.attrInts("strides", [2, 2]), P.attrInt("ceil_mode", 1)]),
            P.node("Conv", ["p", "w2", "b2"], ["q"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("ConvTranspose", ["q", "wt", "bt"], ["u"], attrs: [P.attrInts("strides", [2, 2]), P.attrInts("output_padding", [0, 0])]),
            // oneDNN has no output_padding: its right padding would be −1, so this one runs on OpenBLAS.
            P.node("ConvTranspose", ["q", "wt"], ["u2"], attrs: [P.attrInts("strides", [2, 2]), P.attrInts("output_padding", [1, 1])]),
            P.node("Slice", ["u", "s0", "s1", "ax"], ["us"]),
            P.node("Concat", ["a1", "us"], ["cat"], attrs: [P.attrInt("axis", 1)]),
            P.node("Conv", ["cat", "w3"], ["r"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("AveragePool", ["r"], ["avg"], attrs: [P.attrInts("kernel_shape", [3, 3]), P.attrInts("pads", [1, 1, 1, 1]),
                                                          P.attrInt("count_include_pad", 1)]),
            P.node("GlobalAveragePool", ["avg"], ["g"]),
            P.node("GlobalMaxPool", ["u2"], ["g2"]),
        ]
        let inits = [weights("w1", [6, 3, 3, 3], seed: 1), weights("w2", [8, 6, 3, 3], seed: 2), weights("b2", [8], seed: 3),
                     weights("wt", [8, 6, 2, 2], seed: 4), weights("bt", [6], seed: 5), weights("w3", [5, 12, 3, 3], seed: 6),
                     P.intTensor("s0", [0, 0]), P.intTensor("s1", [8, 10]), P.intTensor("ax", [2, 3])]
        let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", nil)],
                            outputs: [P.valueInfo("r", nil), P.valueInfo("g", nil), P.valueInfo("g2", nil)])
        for n in [1, 3, 1] {
            let x = try Tensor(shape: [n, 3, 8, 10], floats: values(n * 3 * 8 * 10, seed: UInt64(n)))
            try assertBackendsAgree(bytes, ["x": x])
        }
    }

    /// Resize on NHWC values: bilinear (half_pixel, align_corners), nearest with sizes, and one
    /// that scales the channel axis too (that one runs the NCHW kernel through layout changes),
    /// for two batch sizes, the rows split over two threads. All four must stay in the NHWC region.
    func testResizeRunsNHWC() throws {
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let nodes = [
            P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Resize", ["a", "", "up"], ["r1"], attrs: [P.attrString("mode", "linear")]),
            P.node("Resize", ["a", "", "", "sizes"], ["r2"], attrs: [P.attrString("coordinate_transformation_mode", "asymmetric"),
                                                                     P.attrString("nearest_mode", "floor")]),
            P.node("Resize", ["a", "", "odd"], ["r3"], attrs: [P.attrString("mode", "linear"),
                                                               P.attrString("coordinate_transformation_mode", "align_corners")]),
            P.node("Resize", ["a", "", "chan"], ["r4"]),
            P.node("Conv", ["r1", "w2"], ["y1"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Conv", ["r2", "w2"], ["y2"]),
            P.node("Conv", ["r3", "w2"], ["y3"]),
            P.node("Conv", ["r4", "w3"], ["y4"]),
        ]
        let inits = [weights("w1", [8, 3, 3, 3], seed: 141), weights("w2", [4, 8, 3, 3], seed: 142), weights("w3", [4, 16, 1, 1], seed: 143),
                     P.tensor("up", [4], [1, 1, 2, 2]), P.tensor("odd", [4], [1, 1, 1.5, 0.75]), P.tensor("chan", [4], [1, 2, 1, 1])]
        for n in [1, 2] {
            let sizes = P.intTensor("sizes", [Int64(n), 8, 13, 7])
            // 120 rows: the ×2 output has enough rows to be split over the two threads.
            let bytes = P.model(nodes: nodes, inits: inits + [sizes], inputs: [P.valueInfo("x", [n, 3, 120, 10])],
                                outputs: ["y1", "y2", "y3", "y4"].map { P.valueInfo($0, nil) })
            let x = try Tensor(shape: [n, 3, 120, 10], floats: values(n * 3 * 120 * 10, seed: 144 + UInt64(n)))
            let m = try assertBackendsAgree(bytes, ["x": x])
            XCTAssertEqual(nhwcSteps(m).filter { $0 == "Resize" }.count, 4, "\(nhwcSteps(m))")
            XCTAssertFalse(m.graph.nodes.contains { $0.opType == "ToNhwc" && $0.inputs[0] != "x" }, "no value should re-enter the NHWC region")
        }
    }

    /// A residual Add (+ Relu) fuses into the Conv before it (sum post-op); an explained (kept)
    /// intermediate comes back NCHW.
    func testResidualAddAndKeptValuesAreNCHW() throws {
        let nodes = [
            P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Conv", ["a", "w2"], ["b"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Add", ["a", "b"], ["s"]),
            P.node("Relu", ["s"], ["y"]),
        ]
        let bytes = P.model(nodes: nodes, inits: [weights("w1", [4, 2, 3, 3], seed: 9), weights("w2", [4, 4, 3, 3], seed: 10)],
                            inputs: [P.valueInfo("x", [1, 2, 6, 5])], outputs: [P.valueInfo("y", [1, 4, 6, 5])])
        let x = try Tensor(shape: [1, 2, 6, 5], floats: values(60, seed: 11))
        let m = try assertBackendsAgree(bytes, ["x": x])
        XCTAssertFalse(m.graph.nodes.contains { $0.opType == "Add" }, "the residual Add should fuse into the Conv")
        XCTAssertTrue(m.graph.nodes.contains { $0.opType == "Conv" && $0.inputs.count == 4 && $0.fused != nil })
        let ref = try Model(bytes: bytes, options: options(.openblas)).runKeeping(["x": x], keep: ["a"])
        let kept = try m.runKeeping(["x": x], keep: ["a" + NHWCLowering.suffix])
        let a = try XCTUnwrap(kept["a" + NHWCLowering.suffix]), r = try XCTUnwrap(ref["a"])
        XCTAssertEqual(a.shape, [1, 4, 6, 5])
        XCTAssertNil(NodeTestRunner.compare(a, r, rtol: 1e-4, atol: 1e-5))
    }

    /// MONAI / EfficientNet / DenseNet patterns: zero Pad before a Conv (folded), no-op edge Pad
    /// (dropped), InstanceNorm + LeakyReLU and BN + ReLU (NHWC), swish (fused), a squeeze-excite
    /// broadcast Mul (NHWC with the [N, C, 1, 1] operand reshaped).
    func testNormalisationPadSwishAndSqueezeExcite() throws {
        let nodes = [
            P.node("Pad", ["x", "pads"], ["xp"]),
            P.node("Conv", ["xp", "w1"], ["a"]),
            P.node("InstanceNormalization", ["a", "s1", "b1"], ["an"]),
            P.node("LeakyRelu", ["an"], ["al"], attrs: [P.attrFloat("alpha", 0.1)]),
            P.node("Pad", ["al", "zero"], ["ap"], attrs: [P.attrString("mode", "edge")]),
            P.node("Conv", ["ap", "w2", "b2"], ["c"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Sigmoid", ["c"], ["cs"]),
            P.node("Mul", ["c", "cs"], ["sw"]),
            P.node("GlobalAveragePool", ["sw"], ["se"]),
            P.node("Sigmoid", ["se"], ["ses"]),
            P.node("Mul", ["sw", "ses"], ["scaled"]),
            P.node("BatchNormalization", ["scaled", "g", "beta", "mean", "var"], ["bn"]),
            P.node("Relu", ["bn"], ["br"]),
            P.node("Conv", ["br", "w3"], ["y"]),
        ]
        let inits = [P.intTensor("pads", [0, 0, 1, 2, 0, 0, 1, 0]), P.intTensor("zero", [0, 0, 0, 0, 0, 0, 0, 0]),
                     weights("w1", [6, 3, 3, 3], seed: 21), weights("s1", [6], seed: 22), weights("b1", [6], seed: 23),
                     weights("w2", [6, 6, 3, 3], seed: 24), weights("b2", [6], seed: 25),
                     weights("g", [6], seed: 26), weights("beta", [6], seed: 27), weights("mean", [6], seed: 28),
                     P.tensor("var", [6], values(6, seed: 29).map { abs($0) + 0.5 }), weights("w3", [4, 6, 1, 1], seed: 30)]
        let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", [2, 3, 10, 9])], outputs: [P.valueInfo("y", nil)])
        let x = try Tensor(shape: [2, 3, 10, 9], floats: values(2 * 3 * 10 * 9, seed: 31))
        let m = try assertBackendsAgree(bytes, ["x": x])
        let ops = m.graph.nodes.map(\.opType)
        XCTAssertFalse(ops.contains("Pad"), "zero Pads should fold into the Conv or vanish")
        XCTAssertEqual(ops.filter { $0 == "Sigmoid" }.count, 1, "the swish Sigmoid should fuse into the Conv")
        let nhwc = nhwcSteps(m)
        XCTAssertTrue(nhwc.contains("InstanceNormalization") && nhwc.contains("BatchNormalization"), "\(nhwc)")
        XCTAssertTrue(m.graph.nodes.contains { $0.opType == "Mul" && $0.outputs[0].hasSuffix(NHWCLowering.suffix) },
                      "the squeeze-excite Mul should run NHWC")
    }

    /// DenseNet's pre-activation: BatchNormalization + ReLU on a concatenation that a later
    /// Concat reads again, and one with LeakyReLU, large enough that the pixels are split over
    /// two threads. The normalised copy must not change the concatenation the later block reads.
    func testBatchNormOnASharedConcatenationAcrossThreads() throws {
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let nodes = [
            P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Concat", ["x", "a"], ["cat"], attrs: [P.attrInt("axis", 1)]),
            P.node("BatchNormalization", ["cat", "g", "beta", "mean", "var"], ["bn"]),
            P.node("Relu", ["bn"], ["br"]),
            P.node("Conv", ["br", "w2"], ["b"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("Concat", ["cat", "b"], ["cat2"], attrs: [P.attrInt("axis", 1)]),
            P.node("BatchNormalization", ["cat2", "g2", "beta2", "mean2", "var2"], ["bn2"]),
            P.node("LeakyRelu", ["bn2"], ["y"], attrs: [P.attrFloat("alpha", 0.2)]),
        ]
        let inits = [weights("w1", [16, 16, 3, 3], seed: 121), weights("w2", [16, 32, 3, 3], seed: 122),
                     weights("g", [32], seed: 123), weights("beta", [32], seed: 124), weights("mean", [32], seed: 125),
                     P.tensor("var", [32], values(32, seed: 126).map { abs($0) + 0.5 }),
                     weights("g2", [48], seed: 127), weights("beta2", [48], seed: 128), weights("mean2", [48], seed: 129),
                     P.tensor("var2", [48], values(48, seed: 130).map { abs($0) + 0.5 })]
        let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", [1, 16, 40, 40])], outputs: [P.valueInfo("y", nil)])
        let x = try Tensor(shape: [1, 16, 40, 40], floats: values(16 * 40 * 40, seed: 131))
        let m = try assertBackendsAgree(bytes, ["x": x])
        XCTAssertEqual(nhwcSteps(m).filter { $0 == "BatchNormalization" }.count, 2, "\(nhwcSteps(m))")
        XCTAssertFalse(m.graph.nodes.contains { $0.opType == "Relu" || $0.opType == "LeakyRelu" }, "the activations fuse into the BatchNormalization")
    }

    /// InstanceNorm + LeakyReLU on planes of several 256-pixel blocks, split over two threads,
    /// with a channel count that is not a multiple of the vector width (12 = 8 + 4).
    func testInstanceNormAcrossThreadsAndBlocks() throws {
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let nodes = [
            P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])]),
            P.node("InstanceNormalization", ["a", "s1", "b1"], ["an"], attrs: [P.attrFloat("epsilon", 1e-3)]),
            P.node("LeakyRelu", ["an"], ["y"], attrs: [P.attrFloat("alpha", 0.01)]),
        ]
        let inits = [weights("w1", [12, 3, 3, 3], seed: 151), weights("s1", [12], seed: 152), weights("b1", [12], seed: 153)]
        // 128²: 64 blocks of 256 pixels, enough for the statistics and the normalisation to be
        // split into several chunks.
        let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", [2, 3, 128, 128])], outputs: [P.valueInfo("y", nil)])
        // An offset on the input makes means far from zero, where a one-pass variance loses digits first.
        let x = try Tensor(shape: [2, 3, 128, 128], floats: values(2 * 3 * 128 * 128, seed: 154).map { $0 + 3 })
        let m = try assertBackendsAgree(bytes, ["x": x])
        XCTAssertEqual(nhwcSteps(m).filter { $0 == "InstanceNormalization" }.count, 1, "\(nhwcSteps(m))")
        XCTAssertFalse(m.graph.nodes.contains { $0.opType == "LeakyRelu" }, "the activation fuses into the InstanceNormalization")
    }

    /// MaxPool and AveragePool geometries on NHWC values (`NHWCPool`): padding, ceil mode,
    /// dilation, SAME padding, asymmetric pads, and averages with and without the padding counted,
    /// on 12 channels (one 8-wide vector and a scalar tail), with the rows split over two threads.
    func testPoolGeometries() throws {
        setInferenceThreads(2)
        defer { setInferenceThreads(ProcessInfo.processInfo.activeProcessorCount) }
        let pools: [(String, [[UInt8]])] = [
            ("MaxPool", [P.attrInts("kernel_shape", [3, 3]), P.attrInts("strides", [2, 2]), P.attrInts("pads", [1, 1, 1, 1])]),
            ("MaxPool", [P.attrInts("kernel_shape", [3, 2]), P.attrInts("strides", [2, 3]), P.attrInt("ceil_mode", 1)]),
            ("MaxPool", [P.attrInts("kernel_shape", [2, 2]), P.attrInts("dilations", [2, 2]), P.attrInts("pads", [0, 1, 1, 0])]),
            ("MaxPool", [P.attrInts("kernel_shape", [3, 3]), P.attrString("auto_pad", "SAME_UPPER"), P.attrInts("strides", [2, 2])]),
            ("AveragePool", [P.attrInts("kernel_shape", [2, 2]), P.attrInts("strides", [2, 2])]),
            ("AveragePool", [P.attrInts("kernel_shape", [3, 3]), P.attrInts("pads", [1, 2, 0, 1]), P.attrInt("count_include_pad", 1)]),
            ("AveragePool", [P.attrInts("kernel_shape", [3, 3]), P.attrInts("pads", [1, 1, 1, 1]), P.attrInts("strides", [2, 2])]),
            ("AveragePool", [P.attrInts("kernel_shape", [3, 2]), P.attrInts("strides", [2, 2]), P.attrInt("ceil_mode", 1)]),
            // The last windows reach past the padding: their divisor counts only padded positions.
            ("AveragePool", [P.attrInts("kernel_shape", [3, 3]), P.attrInts("strides", [2, 2]), P.attrInts("pads", [1, 1, 1, 1]),
                             P.attrInt("ceil_mode", 1), P.attrInt("count_include_pad", 1)]),
        ]
        var nodes = [P.node("Conv", ["x", "w1"], ["a"], attrs: [P.attrInts("pads", [1, 1, 1, 1])])]
        for (i, (op, attrs)) in pools.enumerated() {
            nodes.append(P.node(op, ["a"], ["p\(i)"], attrs: attrs))
            nodes.append(P.node("Conv", ["p\(i)", "w2"], ["y\(i)"]))
        }
        let inits = [weights("w1", [12, 3, 3, 3], seed: 161), weights("w2", [4, 12, 1, 1], seed: 162)]
        // 100 × 94: ceil mode adds a row or column to every strided case (e.g. (100 − 3) / 2 = 48.5),
        // and each pool has enough output rows to be split into 3–4 chunks.
        let bytes = P.model(nodes: nodes, inits: inits, inputs: [P.valueInfo("x", [1, 3, 100, 94])],
                            outputs: pools.indices.map { P.valueInfo("y\($0)", nil) })
        let x = try Tensor(shape: [1, 3, 100, 94], floats: values(3 * 100 * 94, seed: 163))
        let m = try assertBackendsAgree(bytes, ["x": x])
        XCTAssertEqual(nhwcSteps(m).filter { $0.hasSuffix("Pool") }.count, pools.count, "\(nhwcSteps(m))")
    }

    /// One loaded model run from several threads at once (the analysis pipeline does this) gives
    /// the serial result on every thread: primitive caches are locked, scratch memory is per call.
    func testConcurrentRunsAgreeWithSerial() throws {
        let m = try Model.load(Fixtures.url("unet_mini.onnx"), options: options(.dnnl))
        let x = try NPY.read([UInt8](Data(contentsOf: Fixtures.url("unet_mini.input.npy"))))
        let name = m.inputs[0].name, out = m.outputs[0].name
        let serial = try XCTUnwrap(m.runSync([name: x])[out])
        let results = LockedResults()
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            results.set(i, (try? m.runSync([name: x]))?[out])
        }
        for i in 0..<8 { XCTAssertEqual(results.get(i)?.floats, serial.floats, "thread \(i)") }
    }

    func testOpenBLASBackendLeavesTheGraphNCHW() throws {
        let bytes = [UInt8](try Data(contentsOf: Fixtures.url("unet_mini.onnx")))
        let m = try Model(bytes: bytes, options: options(.openblas))
        XCTAssertTrue(nhwcSteps(m).isEmpty)
        XCTAssertFalse(m.plan.slotNames.contains { $0.hasSuffix(NHWCLowering.suffix) })
    }

    func testShippedModelsAgreeAcrossBackends() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? []).filter { $0.hasSuffix(".onnx") }.sorted()
        try XCTSkipIf(files.isEmpty, "no shipped models")
        for f in files {
            let bytes = [UInt8](try Data(contentsOf: models.appendingPathComponent(f)))
            let probe = try Model(bytes: bytes, options: options(.openblas))
            let dims = probe.inputs[0].shape?.map { $0 ?? 1 } ?? []
            // The 128³ 3-D network (deepbet) takes minutes in a debug build; its two backends are
            // compared with onnxruntime in release by Tests/Conformance/onnx_backend_parity.py.
            if dims.count == 5 { continue }
            let x = try Tensor(shape: dims, floats: values(dims.reduce(1, *), seed: 42).map { ($0 + 1) / 2 })
            try assertBackendsAgree(bytes, [probe.inputs[0].name: x])
        }
    }
}

final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: Tensor] = [:]
    func set(_ i: Int, _ t: Tensor?) { lock.lock(); values[i] = t; lock.unlock() }
    func get(_ i: Int) -> Tensor? { lock.lock(); defer { lock.unlock() }; return values[i] }
}

extension ProtoWriter {
    static func attrInt(_ name: String, _ v: Int) -> [UInt8] { string(1, name) + int(3, Int64(v)) + int(20, 2) }
    static func attrString(_ name: String, _ v: String) -> [UInt8] { string(1, name) + bytes(4, Array(v.utf8)) + int(20, 3) }
    /// An INT64 initializer (data type 7, `int64_data`).
    static func intTensor(_ name: String, _ values: [Int64]) -> [UInt8] {
        int(1, Int64(values.count)) + int(2, 7) + values.flatMap { int(7, $0) } + string(8, name)
    }
}
