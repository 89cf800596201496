import Foundation

/// Resize (opset 10+) and Upsample: nearest and (multi)linear interpolation with the ONNX
/// coordinate transformation modes. Cubic mode and antialiasing are rejected at load.
final class ResizeKernel: Kernel {
    let mode: String
    let coordMode: String
    let nearestMode: String
    let extrapolation: Float
    let keepAspect: String
    let axesAttr: [Int]?
    let isUpsample: Bool
    let upsampleScales: [Float]?
    let opset: Int

    init(attrs: NodeAttributes, upsample: Bool) throws {
        isUpsample = upsample
        opset = attrs.opset
        mode = try attrs.string("mode", "nearest")
        guard mode == "nearest" || mode == "linear" || mode == "bilinear" else { throw attrs.unsupported("mode '\(mode)'") }
        if upsample || attrs.opset < 11 {
            coordMode = "asymmetric"; nearestMode = "floor"
            upsampleScales = upsample && attrs.opset < 9 ? try attrs.floats("scales") : nil
            extrapolation = 0; keepAspect = "stretch"; axesAttr = nil
            return
        }
        upsampleScales = nil
        coordMode = try attrs.string("coordinate_transformation_mode", "half_pixel")
        guard ["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_crop_and_resize"].contains(coordMode) else {
            throw attrs.unsupported("coordinate_transformation_mode '\(coordMode)'")
        }
        nearestMode = try attrs.string("nearest_mode", "round_prefer_floor")
        guard ["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"].contains(nearestMode) else { throw attrs.unsupported("nearest_mode '\(nearestMode)'") }
        extrapolation = try attrs.float("extrapolation_value", 0)
        keepAspect = try attrs.string("keep_aspect_ratio_policy", "stretch")
        guard ["stretch", "not_larger", "not_smaller"].contains(keepAspect) else { throw attrs.unsupported("keep_aspect_ratio_policy '\(keepAspect)'") }
        axesAttr = try attrs.ints("axes")
        if try attrs.int("antialias", 0) != 0 { throw attrs.unsupported("antialias=1") }
        if try attrs.int("exclude_outside", 0) != 0 { throw attrs.unsupported("exclude_outside=1") }
        attrs.ignore("cubic_coeff_a")
    }

    /// Output shape and, per dimension, the source index and weight of each tap.
    struct Plan {
        var inShape: [Int]
        var outShape: [Int]
        /// Per dimension, flattened: output coordinate · `tapCount[d]` + tap.
        var taps: [[(index: Int, weight: Float)]]
        var tapCount: [Int]
        /// Per dimension and output coordinate: outside the crop box (`tf_crop_and_resize`).
        var outside: [[Bool]]

        /// Only the last two of four dimensions change, and every output lies inside the input.
        var isSpatialOnly: Bool {
            outShape.count == 4 && outShape[0] == inShape[0] && outShape[1] == inShape[1] && tapCount[0] == 1 && tapCount[1] == 1
                && !outside.contains(where: { $0.contains(true) })
                && taps[0].enumerated().allSatisfy({ $0.element.index == $0.offset })
                && taps[1].enumerated().allSatisfy({ $0.element.index == $0.offset })
        }
    }

    /// An output length from a scale in the model or an input. NaN, ±∞, a negative value or one
    /// past 2³¹ would trap in `Int(_:)` or make no sense as a size.
    private static func length(_ v: Float) throws -> Int {
        guard v.isFinite, v >= 0, v < Float(1 << 31) else { throw ONNXError.badInput("Resize output length \(v) is not a valid size") }
        return Int(v)
    }

    /// The plan for an input of `shape` (NCHW order) with the scales, sizes and roi in `inputs`.
    func plan(inputShape shape: [Int], _ inputs: inout [Tensor?]) throws -> Plan {
        let r = shape.count
        var scales = [Float](repeating: 1, count: r)
        var outShape = shape
        let axes = try (axesAttr ?? Array(0..<r)).map { try normalizeAxis($0, rank: r) }
        var roi: [Float]? = nil
        if isUpsample || opset < 11 {
            let s = try upsampleScales ?? inputs.required(1).floatValues
            guard s.count == r else { throw ONNXError.badInput("scales has \(s.count) values for rank \(r)") }
            scales = s
            for d in 0..<r { outShape[d] = try Self.length((Float(shape[d]) * s[d]).rounded(.down)) }
        } else {
            if let roiT = inputs.optional(1), roiT.count > 0 { roi = roiT.floatValues }
            if let sz = inputs.optional(3), sz.count > 0 {
                let sizes = sz.int64Values.map { Int(clamping: $0) }
                guard sizes.count == axes.count else { throw ONNXError.badInput("sizes has \(sizes.count) values for \(axes.count) axes") }
                if keepAspect == "stretch" {
                    for (i, a) in axes.enumerated() { outShape[a] = sizes[i]; scales[a] = Float(sizes[i]) / Float(shape[a]) }
                } else {
                    let ratios = axes.enumerated().map { Float(sizes[$0.offset]) / Float(shape[$0.element]) }
                    let s = keepAspect == "not_larger" ? ratios.min()! : ratios.max()!
                    for a in axes { scales[a] = s; outShape[a] = try Self.length((s * Float(shape[a])).rounded(.toNearestOrEven)) }
                }
            } else if let sc = inputs.optional(2), sc.count > 0 {
                let s = sc.floatValues
                guard s.count == axes.count else { throw ONNXError.badInput("scales has \(s.count) values for \(axes.count) axes") }
                for (i, a) in axes.enumerated() { scales[a] = s[i]; outShape[a] = try Self.length((Float(shape[a]) * s[i]).rounded(.down)) }
            } else { throw ONNXError.badInput("Resize needs scales or sizes") }
            if let rv = roi, rv.count == 2 * axes.count, axes.count != r {
                var full = [Float](repeating: 0, count: r) + [Float](repeating: 1, count: r)
                for (i, a) in axes.enumerated() { full[a] = rv[i]; full[a + r] = rv[i + axes.count] }
                roi = full
            }
        }
        _ = try checkedCount(outShape)
        for d in 0..<r where shape[d] == 0 && outShape[d] > 0 {
            throw ONNXError.badInput("Resize cannot fill \(outShape[d]) values from an empty axis \(d)")
        }
        if let roi, !roi.allSatisfy(\.isFinite) { throw ONNXError.badInput("Resize roi has a value that is not finite") }
        var taps: [[(index: Int, weight: Float)]] = []
        var tapCount: [Int] = []
        var outside: [[Bool]] = []
        let linear = mode != "nearest"
        for d in 0..<r {
            let inLen = shape[d], outLen = outShape[d], s = scales[d]
            var dimTaps: [(index: Int, weight: Float)] = []
            var dimOutside = [Bool](repeating: false, count: outLen)
            let k = (linear && (inLen != outLen || coordMode == "tf_crop_and_resize" || coordMode == "align_corners")) ? 2 : 1
            for o in 0..<outLen {
                var xo: Float
                let xf = Float(o)
                switch coordMode {
                case "half_pixel": xo = (xf + 0.5) / s - 0.5
                case "pytorch_half_pixel": xo = outLen > 1 ? (xf + 0.5) / s - 0.5 : 0
                case "align_corners":
                    // The reference uses the unrounded resized length (in · scale).
                    let resized = Float(inLen) * s
                    xo = outLen == 1 || resized == 1 ? 0 : xf * Float(inLen - 1) / (resized - 1)
                case "half_pixel_symmetric":
                    let adj = Float(outLen) / (s * Float(inLen))
                    let center = Float(inLen) / 2
                    xo = center * (1 - adj) + (xf + 0.5) / s - 0.5
                case "tf_crop_and_resize":
                    let start = roi?[d] ?? 0, end = roi?[d + r] ?? 1
                    xo = outLen > 1 ? start * Float(inLen - 1) + xf * (end - start) * Float(inLen - 1) / Float(outLen - 1)
                        : 0.5 * (start + end) * Float(inLen - 1)
                    if xo < 0 || xo > Float(inLen - 1) { dimOutside[o] = true }
                default: xo = xf / s
                }
                if k == 1 && !linear || (!linear) {
                    var i: Int
                    switch nearestMode {
                    case "floor": i = Int(xo.rounded(.down))
                    case "ceil": i = Int(xo.rounded(.up))
                    case "round_prefer_ceil": i = Int((xo).rounded(.toNearestOrAwayFromZero)); if xo == xo.rounded(.down) + 0.5 { i = Int(xo.rounded(.up)) }
                    default: i = xo == xo.rounded(.down) + 0.5 ? Int(xo.rounded(.down)) : Int(xo.rounded(.toNearestOrAwayFromZero))
                    }
                    i = Swift.min(Swift.max(i, 0), inLen - 1)
                    dimTaps.append((i, 1))
                } else if k == 1 {
                    dimTaps.append((Swift.min(o, inLen - 1), 1))
                } else {
                    let xc = Swift.min(Swift.max(xo, 0), Float(inLen - 1))
                    let i0 = Int(xc.rounded(.down)), i1 = Swift.min(i0 + 1, inLen - 1)
                    let w = xc - Float(i0)
                    dimTaps.append((i0, 1 - w)); dimTaps.append((i1, w))
                }
            }
            taps.append(dimTaps); tapCount.append(linear ? k : 1); outside.append(dimOutside)
        }
        return Plan(inShape: shape, outShape: outShape, taps: taps, tapCount: tapCount, outside: outside)
    }

    func run(_ inputs: inout [Tensor?]) throws -> [Tensor] {
        let x = try inputs.required(0)
        let r = x.rank
        let plan = try plan(inputShape: x.shape, &inputs)
        let outShape = plan.outShape, tapCount = plan.tapCount, outside = plan.outside
        let outCount = try checkedCount(outShape)
        let st = strides(of: x.shape)
        // Source offsets (index · stride) per dimension.
        let taps = (0..<r).map { d in plan.taps[d].map { ($0.index * st[d], $0.weight) } }
        let src = x.floatValues
        var out = [Float](repeating: 0, count: outCount)
        if plan.isSpatialOnly {
            // Spatial-only resize of an N×C×H×W tensor: separable loops over each plane.
            let planes = x.shape[0] * x.shape[1], inPlane = x.shape[2] * x.shape[3]
            let oH = outShape[2], oW = outShape[3], ky = tapCount[2], kx = tapCount[3]
            let ty = taps[2], tx = taps[3]
            src.withUnsafeBufferPointer { ps in
                out.withUnsafeMutableBufferPointer { po in
                    for p in 0..<planes {
                        let s = ps.baseAddress! + p * inPlane
                        let o = po.baseAddress! + p * oH * oW
                        for oy in 0..<oH {
                            let row = o + oy * oW
                            for ox in 0..<oW {
                                var acc: Float = 0
                                for a in 0..<ky {
                                    let (offY, wY) = ty[oy * ky + a]
                                    for b in 0..<kx {
                                        let (offX, wX) = tx[ox * kx + b]
                                        acc += wY * wX * s[offY + offX]
                                    }
                                }
                                row[ox] = acc
                            }
                        }
                    }
                }
            }
            if !x.isFloat { return [Tensor(validShape: outShape, ints: out.map { Int64($0.rounded()) }, type: x.dataType)] }
            return [Tensor(validShape: outShape, floats: out)]
        }
        forEachIndex(outShape) { i, idx in
            var combos = 1
            for d in 0..<r { combos *= tapCount[d]; if outside[d][idx[d]] { out[i] = extrapolation; return } }
            var acc: Float = 0
            for c in 0..<combos {
                var rem = c, off = 0
                var w: Float = 1
                for d in stride(from: r - 1, through: 0, by: -1) {
                    let k = tapCount[d]
                    let t = taps[d][idx[d] * k + rem % k]
                    rem /= k
                    off += t.0; w *= t.1
                }
                acc += w * src[off]
            }
            out[i] = acc
        }
        if !x.isFloat { return [Tensor(validShape: outShape, ints: out.map { Int64($0.rounded()) }, type: x.dataType)] }
        return [Tensor(validShape: outShape, floats: out)]
    }
}
