import Foundation

/// Largest element count a single tensor may declare (2^28, 1 GiB of float32): bigger is treated as corrupt
/// rather than attempted, so an absurd dims field cannot exhaust memory.
let maxTensorElements = 1 << 28

/// Checked product of dimensions; throws on negative dims or overflow.
func checkedElementCount(_ dims: [Int64], what: String) throws -> Int {
    var n = 1
    for d in dims {
        guard d >= 0, d <= Int64(maxTensorElements) else { throw ONNXError.malformed("\(what): dimension \(d) out of range") }
        let (p, o) = n.multipliedReportingOverflow(by: Int(d))
        guard !o, p <= maxTensorElements else { throw ONNXError.malformed("\(what): element count overflows") }
        n = p
    }
    return n
}

extension TensorProtoValue {
    /// Decodes the stored values into a `Tensor`.
    /// - Parameter baseDirectory: folder of the .onnx file, for external data.
    func decode(baseDirectory: URL?) throws -> Tensor {
        let what = "tensor '\(name)'"
        let count = try checkedElementCount(dims, what: what)
        let shape = dims.map { Int($0) }
        guard let type = DataType(rawValue: dataType), type.isSupported else {
            throw ONNXError.unsupported(node: name, op: "initializer", opset: 0,
                                        detail: "data type \(DataType.name(ofCode: dataType)) is not supported")
        }
        var raw = rawData
        if isExternal {
            raw = ArraySlice(try readExternal(baseDirectory: baseDirectory, byteCount: count * type.byteWidth))
        }
        if let raw {
            guard raw.count == count * type.byteWidth else {
                throw ONNXError.malformed("\(what): raw_data has \(raw.count) bytes, expected \(count * type.byteWidth)")
            }
            return try raw.withUnsafeBytes { buf throws -> Tensor in
                if type == .float {
                    var out = [Float](repeating: 0, count: count)
                    out.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: buf[0..<(count * 4)])) }
                    return try Tensor(shape: shape, floats: out)
                }
                var out = [Int64](repeating: 0, count: count)
                for i in 0..<count {
                    let o = i * type.byteWidth
                    switch type {
                    case .uint8, .bool: out[i] = type.wrap(Int64(buf[o]))
                    case .int8: out[i] = Int64(Int8(bitPattern: buf[o]))
                    case .uint16: out[i] = Int64(buf.loadUnaligned(fromByteOffset: o, as: UInt16.self).littleEndian)
                    case .int16: out[i] = Int64(buf.loadUnaligned(fromByteOffset: o, as: Int16.self).littleEndian)
                    case .int32: out[i] = Int64(buf.loadUnaligned(fromByteOffset: o, as: Int32.self).littleEndian)
                    case .uint32: out[i] = Int64(buf.loadUnaligned(fromByteOffset: o, as: UInt32.self).littleEndian)
                    default: out[i] = buf.loadUnaligned(fromByteOffset: o, as: Int64.self).littleEndian
                    }
                }
                return try Tensor(shape: shape, ints: out, type: type)
            }
        }
        // Typed fields.
        if type == .float {
            guard floatData.count == count else {
                throw ONNXError.malformed("\(what): float_data has \(floatData.count) values, expected \(count)")
            }
            return try Tensor(shape: shape, floats: floatData)
        }
        let source: [Int64]
        switch type {
        case .int64: source = int64Data
        case .uint32, .uint64: source = uint64Data
        default: source = int32Data
        }
        guard source.count == count else {
            throw ONNXError.malformed("\(what): typed data has \(source.count) values, expected \(count)")
        }
        return try Tensor(shape: shape, ints: source.map { type.wrap($0) }, type: type)
    }

    private func readExternal(baseDirectory: URL?, byteCount: Int) throws -> [UInt8] {
        guard let location = external["location"], !location.isEmpty else {
            throw ONNXError.malformed("tensor '\(name)': external data without a location")
        }
        guard let base = baseDirectory else {
            throw ONNXError.invalidModel("tensor '\(name)' uses external data but the model was not loaded from a file")
        }
        guard !location.hasPrefix("/"), !location.split(separator: "/").contains("..") else {
            throw ONNXError.invalidModel("tensor '\(name)': external data path '\(location)' leaves the model's folder")
        }
        let offset = Int(external["offset"] ?? "0") ?? -1
        let length = external["length"].flatMap { Int($0) } ?? byteCount
        guard offset >= 0, length == byteCount else {
            throw ONNXError.malformed("tensor '\(name)': external data offset/length invalid")
        }
        let url = base.appendingPathComponent(location)
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw ONNXError.invalidModel("tensor '\(name)': cannot open external data file \(url.path)")
        }
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        let data = try handle.read(upToCount: length) ?? Data()
        guard data.count == length else {
            throw ONNXError.malformed("tensor '\(name)': external data file too short")
        }
        return [UInt8](data)
    }
}

/// Parses a serialized TensorProto (the `input_0.pb` files of ONNX test folders).
public func decodeTensorProto(_ bytes: [UInt8]) throws -> (name: String, tensor: Tensor) {
    var r = ProtobufReader(bytes)
    let tp = try TensorProtoValue(&r)
    if tp.hasStrings { throw ONNXError.unsupported(node: tp.name, op: "tensor", opset: 0, detail: "string tensors are not supported") }
    return (tp.name, try tp.decode(baseDirectory: nil))
}
