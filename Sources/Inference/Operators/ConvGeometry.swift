/// Output sizes and padding for convolution-like windows (Conv, ConvTranspose, pooling),
/// per the ONNX `auto_pad`, `pads`, `strides`, `dilations` rules.
struct WindowGeometry {
    var kernel: [Int]
    var strides: [Int]
    var dilations: [Int]
    var padsBegin: [Int]
    var padsEnd: [Int]
    var autoPad: String

    init(attrs: NodeAttributes, kernel: [Int]) throws {
        let nd = kernel.count
        self.kernel = kernel
        strides = try attrs.ints("strides") ?? [Int](repeating: 1, count: nd)
        dilations = try attrs.ints("dilations") ?? [Int](repeating: 1, count: nd)
        let pads = try attrs.ints("pads") ?? [Int](repeating: 0, count: 2 * nd)
        autoPad = try attrs.string("auto_pad", "NOTSET")
        guard strides.count == nd, dilations.count == nd, pads.count == 2 * nd else {
            throw attrs.invalid("strides/dilations/pads do not match the kernel rank \(nd)")
        }
        guard strides.allSatisfy({ $0 > 0 }), dilations.allSatisfy({ $0 > 0 }), pads.allSatisfy({ $0 >= 0 }),
              kernel.allSatisfy({ $0 > 0 }) else { throw attrs.invalid("non-positive stride, dilation or kernel, or negative pad") }
        guard ["NOTSET", "SAME_UPPER", "SAME_LOWER", "VALID"].contains(autoPad) else {
            throw attrs.unsupported("auto_pad '\(autoPad)'")
        }
        padsBegin = Array(pads[0..<nd])
        padsEnd = Array(pads[nd...])
    }

    /// Output spatial sizes for an input; fills in SAME/VALID padding.
    mutating func outputSize(input: [Int], ceilMode: Bool = false) throws -> [Int] {
        var out: [Int] = []
        for d in 0..<kernel.count {
            let ek = (kernel[d] - 1) * dilations[d] + 1
            let inD = input[d]
            switch autoPad {
            case "SAME_UPPER", "SAME_LOWER":
                let o = (inD + strides[d] - 1) / strides[d]
                let total = Swift.max(0, (o - 1) * strides[d] + ek - inD)
                if autoPad == "SAME_UPPER" { padsBegin[d] = total / 2; padsEnd[d] = total - total / 2 }
                else { padsEnd[d] = total / 2; padsBegin[d] = total - total / 2 }
                out.append(o)
            case "VALID":
                padsBegin[d] = 0; padsEnd[d] = 0
                let span = inD - ek
                guard span >= 0 else { throw ONNXError.badInput("input size \(inD) smaller than kernel extent \(ek)") }
                out.append(ceilMode ? (span + strides[d] - 1) / strides[d] + 1 : span / strides[d] + 1)
            default:
                let span = inD + padsBegin[d] + padsEnd[d] - ek
                guard span >= 0 else { throw ONNXError.badInput("input size \(inD) (padded) smaller than kernel extent \(ek)") }
                var o = (ceilMode ? (span + strides[d] - 1) / strides[d] : span / strides[d]) + 1
                // A window must start inside the input or its begin padding.
                if ceilMode && (o - 1) * strides[d] >= inD + padsBegin[d] { o -= 1 }
                out.append(o)
            }
        }
        return out
    }
}
