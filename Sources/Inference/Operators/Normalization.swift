/// BatchNormalization (inference, and training mode with running statistics) and
/// InstanceNormalization.
func batchNormKernel(attrs: NodeAttributes) throws -> Kernel {
    let eps = try attrs.float("epsilon", 1e-5)
    let momentum = try attrs.float("momentum", 0.9)
    let training = try attrs.int("training_mode", 0) != 0
    if attrs.opset < 9, attrs.has("spatial"), try attrs.int("spatial", 1) != 1 { throw attrs.unsupported("spatial=0") }
    attrs.ignore("is_test", "consumed_inputs")
    return ClosureKernel { inputs in
        var x = try inputs.take(0)
        let scale = try inputs.required(1).floatValues, bias = try inputs.required(2).floatValues
        var mean = try inputs.required(3).floatValues, variance = try inputs.required(4).floatValues
        guard x.isFloat, x.rank >= 2 else { throw ONNXError.badInput("BatchNormalization needs float N×C×… input") }
        let n = x.shape[0], c = x.shape[1], plane = x.shape[2...].reduce(1, *)
        guard scale.count == c, bias.count == c, mean.count == c, variance.count == c else {
            throw ONNXError.badInput("BatchNormalization parameters do not have \(c) channels")
        }
        var outputs: [Tensor] = []
        var runMean = mean, runVar = variance
        if training {
            // Batch statistics (population variance), then running averages.
            for ch in 0..<c {
                var s: Double = 0, ss: Double = 0
                for b in 0..<n { let base = (b * c + ch) * plane; for i in 0..<plane { let v = Double(x.floats[base + i]); s += v; ss += v * v } }
                let cnt = Double(n * plane)
                let m = s / cnt
                let v = ss / cnt - m * m
                runMean[ch] = mean[ch] * momentum + Float(m) * (1 - momentum)
                runVar[ch] = variance[ch] * momentum + Float(v) * (1 - momentum)
                mean[ch] = Float(m); variance[ch] = Float(v)
            }
        }
        var y = [Float]()
        swap(&y, &x.floats) // moves the storage: in place when this node was its last reader
        y.withUnsafeMutableBufferPointer { py in
            for b in 0..<n {
                for ch in 0..<c {
                    let k = scale[ch] / (variance[ch] + eps).squareRoot()
                    let off = bias[ch] - mean[ch] * k
                    let base = (b * c + ch) * plane
                    for i in 0..<plane { py[base + i] = py[base + i] * k + off }
                }
            }
        }
        outputs.append(Tensor(validShape: x.shape, floats: y))
        if training {
            outputs.append(Tensor(validShape: [c], floats: runMean))
            outputs.append(Tensor(validShape: [c], floats: runVar))
        }
        return outputs
    }
}

func instanceNormKernel(attrs: NodeAttributes) throws -> Kernel {
    let eps = try attrs.float("epsilon", 1e-5)
    return ClosureKernel { inputs in
        var x = try inputs.take(0)
        let scale = try inputs.required(1).floatValues, bias = try inputs.required(2).floatValues
        guard x.isFloat, x.rank >= 3 else { throw ONNXError.badInput("InstanceNormalization needs float N×C×spatial input") }
        let n = x.shape[0], c = x.shape[1], plane = x.shape[2...].reduce(1, *)
        guard scale.count == c, bias.count == c else { throw ONNXError.badInput("InstanceNormalization parameters do not have \(c) channels") }
        var y = [Float]()
        swap(&y, &x.floats)
        y.withUnsafeMutableBufferPointer { py in
            for b in 0..<n {
                for ch in 0..<c {
                    let base = (b * c + ch) * plane
                    // One pass: per-chunk float sums (vectorisable) accumulated in double.
                    var s: Double = 0, ss: Double = 0
                    var i = 0
                    while i < plane {
                        let end = Swift.min(i + 256, plane)
                        var fs: Float = 0, fss: Float = 0
                        for j in i..<end { let v = py[base + j]; fs += v; fss += v * v }
                        s += Double(fs); ss += Double(fss)
                        i = end
                    }
                    let m = s / Double(plane)
                    let variance = Swift.max(ss / Double(plane) - m * m, 0)
                    let inv = Float(1 / (variance + Double(eps)).squareRoot())
                    let k = scale[ch] * inv, off = bias[ch] - Float(m) * k
                    for i in 0..<plane { py[base + i] = py[base + i] * k + off }
                }
            }
        }
        return [Tensor(validShape: x.shape, floats: y)]
    }
}
