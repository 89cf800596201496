// libFuzzer entry point for the ONNX protobuf reader and model loader.
// Built by Tools/onnx/fuzz/run-onnx-fuzzer.sh together with the Inference sources as one module.
// Every input must either load or throw an ONNXError — never trap, hang or overflow the stack.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var options = Model.LoadOptions()
    options.verifyCard = false
    if let model = try? Model(bytes: bytes, options: options) {
        // Loaded: a run on zero inputs must also fail cleanly if shapes are bad.
        var feeds: [String: Tensor] = [:]
        for i in model.inputs {
            guard let dims = i.shape, dims.allSatisfy({ ($0 ?? 1) <= 64 }), dims.count <= 6 else { return 0 }
            let shape = dims.map { $0 ?? 1 }
            feeds[i.name] = i.elementType == "FLOAT" ? Tensor(zeros: shape) : Tensor(shape: shape, ints: [Int64](repeating: 0, count: shape.reduce(1, *)))
        }
        _ = try? model.runSync(feeds)
    }
    _ = try? decodeTensorProto(bytes)
    return 0
}
