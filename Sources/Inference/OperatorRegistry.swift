/// Maps ONNX operator names (default domain) to kernel constructors.
enum OperatorRegistry {
    /// Every operator this runtime implements, for `lightbox onnx info` and error messages.
    static let supported: Set<String> = [
        "Conv", "ConvTranspose", "BatchNormalization", "InstanceNormalization", "Relu", "LeakyRelu", "PRelu",
        "Sigmoid", "Tanh", "Clip", "HardSigmoid", "HardSwish", "Softmax", "LogSoftmax", "MaxPool", "AveragePool",
        "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Exp",
        "Log", "Erf", "Neg", "Abs", "Concat", "Split", "Slice", "Gather", "Reshape", "Flatten", "Transpose",
        "Squeeze", "Unsqueeze", "Shape", "Constant", "ConstantOfShape", "Identity", "Dropout", "Pad", "Resize",
        "Upsample", "ReduceMean", "ReduceMax", "ReduceSum", "Cast", "Where", "Equal", "Greater", "Less", "ArgMax",
        "Expand", "Tile", "Range", "Elu", "Selu", "Celu", "Softplus", "Softsign", "Mish", "Gelu", "Reciprocal",
        "Floor", "Ceil", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceSumSquare", "ReduceLogSum",
        "ReduceLogSumExp", "ArgMin", "Max", "Min", "Sum", "Mean", "GreaterOrEqual", "LessOrEqual",
    ]

    /// Builds the kernel for a node, validating its attributes. Throws `.unsupported` naming the
    /// node, operator and opset for anything we lack.
    static func makeKernel(_ node: IRNode, opset: Int) throws -> Kernel {
        let a = NodeAttributes(node: node, opset: opset)
        guard node.domain.isEmpty || node.domain == "ai.onnx" else {
            throw ONNXError.unsupported(node: node.name, op: "\(node.domain).\(node.opType)", opset: opset,
                                        detail: "operator domain '\(node.domain)' is not supported")
        }
        let k: Kernel
        switch node.opType {
        case "Conv": k = try ConvKernel(attrs: a)
        case "ConvTranspose": k = try ConvTransposeKernel(attrs: a)
        case "BatchNormalization":
            if node.outputs.filter({ !$0.isEmpty }).count > 1, try a.int("training_mode", 0) == 0, opset >= 14 {
                throw a.invalid("extra outputs require training_mode=1")
            }
            if opset < 14 && node.outputs.filter({ !$0.isEmpty }).count > 1 { throw a.unsupported("training outputs of BatchNormalization before opset 14") }
            k = try batchNormKernel(attrs: a)
        case "InstanceNormalization": k = try instanceNormKernel(attrs: a)
        case "Relu": k = unaryKernel(.relu, attrs: a)
        case "LeakyRelu": k = unaryKernel(.leakyRelu(try a.float("alpha", 0.01)), attrs: a)
        case "Sigmoid": k = unaryKernel(.sigmoid, attrs: a)
        case "Tanh": k = unaryKernel(.tanh, attrs: a)
        case "HardSigmoid": k = unaryKernel(.hardSigmoid(try a.float("alpha", 0.2), try a.float("beta", 0.5)), attrs: a)
        case "HardSwish": k = unaryKernel(.hardSwish, attrs: a)
        case "Sqrt": k = unaryKernel(.sqrt, attrs: a)
        case "Exp": k = unaryKernel(.exp, attrs: a)
        case "Log": k = unaryKernel(.log, attrs: a)
        case "Erf": k = unaryKernel(.erf, attrs: a)
        case "Elu": k = unaryKernel(.elu(try a.float("alpha", 1)), attrs: a)
        case "Selu": k = unaryKernel(.selu(try a.float("alpha", 1.67326319217681884765625), try a.float("gamma", 1.05070102214813232421875)), attrs: a)
        case "Celu": k = unaryKernel(.celu(try a.float("alpha", 1)), attrs: a)
        case "Softplus": k = unaryKernel(.softplus, attrs: a)
        case "Softsign": k = unaryKernel(.softsign, attrs: a)
        case "Mish": k = unaryKernel(.mish, attrs: a)
        case "Gelu":
            let approx = try a.string("approximate", "none")
            guard approx == "none" || approx == "tanh" else { throw a.unsupported("approximate '\(approx)'") }
            k = unaryKernel(.gelu(tanhApproximation: approx == "tanh"), attrs: a)
        case "Reciprocal": k = unaryKernel(.reciprocal, attrs: a)
        case "Floor": k = unaryKernel(.floor, attrs: a)
        case "Ceil": k = unaryKernel(.ceil, attrs: a)
        case "Neg": k = unaryKernel(.neg, attrs: a)
        case "Abs": k = unaryKernel(.abs, attrs: a)
        case "Clip": k = try clipKernel(attrs: a)
        case "PRelu", "Add", "Sub", "Mul", "Div", "Pow", "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual":
            guard let op = BinaryOp(rawValue: node.opType) else { throw a.unsupported("binary operator") }
            k = try binaryKernel(op, attrs: a)
        case "Max", "Min", "Sum", "Mean": k = variadicKernel(node.opType)
        case "Where": k = whereKernel()
        case "Softmax": k = try softmaxKernel(log: false, attrs: a)
        case "LogSoftmax": k = try softmaxKernel(log: true, attrs: a)
        case "MaxPool":
            if node.outputs.count > 1 && !node.outputs[1].isEmpty { throw a.unsupported("the Indices output of MaxPool") }
            k = try PoolKernel(isMax: true, attrs: a)
        case "AveragePool": k = try PoolKernel(isMax: false, attrs: a)
        case "GlobalAveragePool": k = globalPoolKernel(isMax: false)
        case "GlobalMaxPool": k = globalPoolKernel(isMax: true)
        case "Gemm": k = try GemmKernel(attrs: a)
        case "MatMul": k = matmulKernel()
        case "Concat": k = try concatKernel(attrs: a)
        case "Split": k = try splitKernel(attrs: a, outputCount: node.outputs.count)
        case "Slice": k = try sliceKernel(attrs: a)
        case "Gather": k = try gatherKernel(attrs: a)
        case "Reshape": k = try reshapeKernel(attrs: a)
        case "Flatten": k = try flattenKernel(attrs: a)
        case "Transpose": k = try transposeKernel(attrs: a)
        case "Squeeze": k = try squeezeKernel(attrs: a, unsqueeze: false)
        case "Unsqueeze": k = try squeezeKernel(attrs: a, unsqueeze: true)
        case "Shape": k = try shapeKernel(attrs: a)
        case "Constant": k = try constantKernel(attrs: a)
        case "ConstantOfShape": k = try constantOfShapeKernel(attrs: a)
        case "Identity": k = identityKernel()
        case "Dropout": k = try dropoutKernel(attrs: a, outputCount: node.outputs.count)
        case "Pad": k = try padKernel(attrs: a)
        case "Resize": k = try ResizeKernel(attrs: a, upsample: false)
        case "Upsample": k = try ResizeKernel(attrs: a, upsample: true)
        case "ReduceMean": k = try reduceKernel(.mean, attrs: a)
        case "ReduceMax": k = try reduceKernel(.max, attrs: a)
        case "ReduceSum": k = try reduceKernel(.sum, attrs: a)
        case "ReduceMin": k = try reduceKernel(.min, attrs: a)
        case "ReduceProd": k = try reduceKernel(.prod, attrs: a)
        case "ReduceL1": k = try reduceKernel(.l1, attrs: a)
        case "ReduceL2": k = try reduceKernel(.l2, attrs: a)
        case "ReduceSumSquare": k = try reduceKernel(.sumSquare, attrs: a)
        case "ReduceLogSum": k = try reduceKernel(.logSum, attrs: a)
        case "ReduceLogSumExp": k = try reduceKernel(.logSumExp, attrs: a)
        case "ArgMin": k = try argMaxKernel(attrs: a, smallest: true)
        case "Cast": k = try castKernel(attrs: a)
        case "ArgMax": k = try argMaxKernel(attrs: a)
        case "Expand": k = expandKernel()
        case "Tile": k = tileKernel()
        case "Range": k = rangeKernel()
        default:
            throw ONNXError.unsupported(node: node.name, op: node.opType, opset: opset, detail: "operator is not implemented")
        }
        try a.finish()
        return k
    }
}
