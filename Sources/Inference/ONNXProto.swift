import Foundation

// The subset of onnx.proto that Lightbox reads, as plain Swift values. Field numbers follow
// onnx/onnx.proto3. Unknown fields are skipped, as protobuf requires.

struct OpsetImport: Equatable { var domain = ""; var version: Int64 = 0 }

struct TensorShapeDim: Equatable { var value: Int64?; var param: String? }

/// ValueInfoProto with a tensor type; `elemType` 0 and `dims` nil when not given.
struct ValueInfo: Equatable {
    var name = ""
    var elemType = 0
    var dims: [TensorShapeDim]?
    var isTensor = true

    /// Static shape when every dimension is a known non-negative number.
    var staticShape: [Int]? {
        guard let dims else { return nil }
        var out: [Int] = []
        for d in dims { guard let v = d.value, v >= 0, v < (1 << 40) else { return nil }; out.append(Int(v)) }
        return out
    }
}

/// TensorProto before decoding into a `Tensor` (decoding may need the model's folder).
struct TensorProtoValue {
    var name = ""
    var dims: [Int64] = []
    var dataType = 0
    var floatData: [Float] = []
    var int32Data: [Int64] = []
    var int64Data: [Int64] = []
    var uint64Data: [Int64] = []
    var doubleData: [Double] = []
    /// Shares the model file's storage until decoded, so weights are not copied twice at load.
    var rawData: ArraySlice<UInt8>?
    var external: [String: String] = [:]
    var isExternal = false
    var hasStrings = false
}

enum AttributeValue {
    case float(Float), int(Int64), string(String), tensor(TensorProtoValue), graph(GraphProto)
    case floats([Float]), ints([Int64]), strings([String]), other(Int)
}

struct AttributeProto {
    var name = ""
    var refAttrName: String?
    var type = 0
    var f: Float = 0, i: Int64 = 0, s = "", t: TensorProtoValue?, g: GraphProto?
    var floats: [Float] = [], ints: [Int64] = [], strings: [String] = []
    var hasTensors = false

    var value: AttributeValue {
        switch type {
        case 1: return .float(f)
        case 2: return .int(i)
        case 3: return .string(s)
        case 4: return t.map { .tensor($0) } ?? .other(type)
        case 5: return g.map { .graph($0) } ?? .other(type)
        case 6: return .floats(floats)
        case 7: return .ints(ints)
        case 8: return .strings(strings)
        case 0:
            // Old writers omit `type`; infer from what is set.
            if t != nil { return .tensor(t!) }
            if !ints.isEmpty { return .ints(ints) }
            if !floats.isEmpty { return .floats(floats) }
            if !strings.isEmpty { return .strings(strings) }
            return .other(0)
        default: return .other(type)
        }
    }
}

struct NodeProto {
    var inputs: [String] = []
    var outputs: [String] = []
    var name = ""
    var opType = ""
    var domain = ""
    var attributes: [AttributeProto] = []
}

final class GraphProto {
    var nodes: [NodeProto] = []
    var name = ""
    var initializers: [TensorProtoValue] = []
    var inputs: [ValueInfo] = []
    var outputs: [ValueInfo] = []
    var valueInfo: [ValueInfo] = []
    var hasSparseInitializers = false
}

struct FunctionProto {
    var name = ""
    var domain = ""
    var inputs: [String] = []
    var outputs: [String] = []
    var attributeNames: [String] = []
    var attributeDefaults: [AttributeProto] = []
    var nodes: [NodeProto] = []
    var opsets: [OpsetImport] = []
}

struct ModelProto {
    var irVersion: Int64 = 0
    var opsets: [OpsetImport] = []
    var producerName = ""
    var graph: GraphProto?
    var functions: [FunctionProto] = []
}

// MARK: - Decoding

/// Nesting limit: graphs inside attributes inside graphs… A hostile file could otherwise
/// recurse until the stack overflows.
private let maxDepth = 64

extension ModelProto {
    init(bytes: [UInt8]) throws {
        var r = ProtobufReader(bytes)
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .varint): irVersion = try r.readInt64()
            case (2, .lengthDelimited): producerName = try r.readString()
            case (7, .lengthDelimited): var m = try r.readMessage(); graph = try GraphProto(&m, depth: 0)
            case (8, .lengthDelimited): var m = try r.readMessage(); opsets.append(try OpsetImport(&m))
            case (25, .lengthDelimited): var m = try r.readMessage(); functions.append(try FunctionProto(&m))
            default: try r.skip(wire)
            }
        }
    }
}

extension OpsetImport {
    init(_ r: inout ProtobufReader) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): domain = try r.readString()
            case (2, .varint): version = try r.readInt64()
            default: try r.skip(wire)
            }
        }
    }
}

extension GraphProto {
    convenience init(_ r: inout ProtobufReader, depth: Int) throws {
        self.init()
        guard depth < maxDepth else { throw ONNXError.malformed("graphs nested too deeply") }
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): var m = try r.readMessage(); nodes.append(try NodeProto(&m, depth: depth))
            case (2, .lengthDelimited): name = try r.readString()
            case (5, .lengthDelimited): var m = try r.readMessage(); initializers.append(try TensorProtoValue(&m))
            case (11, .lengthDelimited): var m = try r.readMessage(); inputs.append(try ValueInfo(&m))
            case (12, .lengthDelimited): var m = try r.readMessage(); outputs.append(try ValueInfo(&m))
            case (13, .lengthDelimited): var m = try r.readMessage(); valueInfo.append(try ValueInfo(&m))
            case (15, .lengthDelimited): hasSparseInitializers = true; try r.skip(wire)
            default: try r.skip(wire)
            }
        }
    }
}

extension NodeProto {
    init(_ r: inout ProtobufReader, depth: Int) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): inputs.append(try r.readString())
            case (2, .lengthDelimited): outputs.append(try r.readString())
            case (3, .lengthDelimited): name = try r.readString()
            case (4, .lengthDelimited): opType = try r.readString()
            case (7, .lengthDelimited): domain = try r.readString()
            case (5, .lengthDelimited): var m = try r.readMessage(); attributes.append(try AttributeProto(&m, depth: depth))
            default: try r.skip(wire)
            }
        }
    }
}

extension AttributeProto {
    init(_ r: inout ProtobufReader, depth: Int) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): name = try r.readString()
            case (21, .lengthDelimited): refAttrName = try r.readString()
            case (20, .varint): type = Int(truncatingIfNeeded: try r.readInt64())
            case (2, .fixed32): f = try r.readFloat()
            case (3, .varint): i = try r.readInt64()
            case (4, .lengthDelimited): s = try r.readString()
            case (5, .lengthDelimited): var m = try r.readMessage(); t = try TensorProtoValue(&m)
            case (6, .lengthDelimited): var m = try r.readMessage(); g = try GraphProto(&m, depth: depth + 1)
            case (7, _): try r.readPackedFloats(wire, into: &floats)
            case (8, _): try r.readPackedVarints(wire, into: &ints)
            case (9, .lengthDelimited): strings.append(try r.readString())
            case (10, .lengthDelimited): hasTensors = true; try r.skip(wire)
            default: try r.skip(wire)
            }
        }
    }
}

extension ValueInfo {
    init(_ r: inout ProtobufReader) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): name = try r.readString()
            case (2, .lengthDelimited):
                var tp = try r.readMessage()
                var sawTensor = false
                while let (f2, w2) = try tp.nextField() {
                    if f2 == 1 && w2 == .lengthDelimited {
                        sawTensor = true
                        var tt = try tp.readMessage()
                        while let (f3, w3) = try tt.nextField() {
                            switch (f3, w3) {
                            case (1, .varint): elemType = Int(truncatingIfNeeded: try tt.readInt64())
                            case (2, .lengthDelimited):
                                var sh = try tt.readMessage()
                                var ds: [TensorShapeDim] = []
                                while let (f4, w4) = try sh.nextField() {
                                    if f4 == 1 && w4 == .lengthDelimited {
                                        var dm = try sh.readMessage()
                                        var d = TensorShapeDim()
                                        while let (f5, w5) = try dm.nextField() {
                                            switch (f5, w5) {
                                            case (1, .varint): d.value = try dm.readInt64()
                                            case (2, .lengthDelimited): d.param = try dm.readString()
                                            default: try dm.skip(w5)
                                            }
                                        }
                                        ds.append(d)
                                    } else { try sh.skip(w4) }
                                }
                                dims = ds
                            default: try tt.skip(w3)
                            }
                        }
                    } else { try tp.skip(w2) }
                }
                isTensor = sawTensor
            default: try r.skip(wire)
            }
        }
    }
}

extension TensorProtoValue {
    init(_ r: inout ProtobufReader) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, _): try r.readPackedVarints(wire, into: &dims)
            case (2, .varint): dataType = Int(truncatingIfNeeded: try r.readInt64())
            case (4, _): try r.readPackedFloats(wire, into: &floatData)
            case (5, _): try r.readPackedVarints(wire, into: &int32Data)
            case (6, .lengthDelimited): hasStrings = true; try r.skip(wire)
            case (7, _): try r.readPackedVarints(wire, into: &int64Data)
            case (8, .lengthDelimited): name = try r.readString()
            case (9, .lengthDelimited): rawData = try r.readSlice()
            case (10, _): try r.readPackedDoubles(wire, into: &doubleData)
            case (11, _): try r.readPackedVarints(wire, into: &uint64Data)
            case (13, .lengthDelimited):
                var m = try r.readMessage()
                var k = "", v = ""
                while let (f2, w2) = try m.nextField() {
                    switch (f2, w2) {
                    case (1, .lengthDelimited): k = try m.readString()
                    case (2, .lengthDelimited): v = try m.readString()
                    default: try m.skip(w2)
                    }
                }
                external[k] = v
            case (14, .varint): isExternal = try r.readInt64() == 1
            default: try r.skip(wire)
            }
        }
    }
}

extension FunctionProto {
    init(_ r: inout ProtobufReader) throws {
        self.init()
        while let (field, wire) = try r.nextField() {
            switch (field, wire) {
            case (1, .lengthDelimited): name = try r.readString()
            case (10, .lengthDelimited): domain = try r.readString()
            case (4, .lengthDelimited): inputs.append(try r.readString())
            case (5, .lengthDelimited): outputs.append(try r.readString())
            case (6, .lengthDelimited): attributeNames.append(try r.readString())
            case (11, .lengthDelimited): var m = try r.readMessage(); attributeDefaults.append(try AttributeProto(&m, depth: 1))
            case (7, .lengthDelimited): var m = try r.readMessage(); nodes.append(try NodeProto(&m, depth: 1))
            case (9, .lengthDelimited): var m = try r.readMessage(); opsets.append(try OpsetImport(&m))
            default: try r.skip(wire)
            }
        }
    }
}
