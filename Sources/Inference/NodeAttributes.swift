/// Typed access to one node's attributes, with bookkeeping: every attribute a kernel reads is
/// marked, and `finish()` rejects any attribute the kernel never asked about. That is how a
/// model using an attribute we do not implement fails at load instead of computing silently wrong.
final class NodeAttributes {
    let nodeName: String
    let opType: String
    let opset: Int
    private var byName: [String: AttributeProto] = [:]
    private var used: Set<String> = []

    init(node: IRNode, opset: Int) {
        nodeName = node.name
        opType = node.opType
        self.opset = opset
        for a in node.attributes { byName[a.name] = a }
    }

    func unsupported(_ detail: String) -> ONNXError {
        .unsupported(node: nodeName, op: opType, opset: opset, detail: detail)
    }

    func invalid(_ detail: String) -> ONNXError {
        .invalidModel("node '\(nodeName)' (\(opType)): \(detail)")
    }

    func has(_ name: String) -> Bool { used.insert(name); return byName[name] != nil }

    /// Marks attributes that are accepted and have no effect in inference.
    func ignore(_ names: String...) { for n in names { used.insert(n) } }

    func int(_ name: String, _ def: Int) throws -> Int {
        used.insert(name)
        guard let a = byName[name] else { return def }
        guard case .int(let v) = a.value else { throw invalid("attribute \(name) should be an int") }
        guard let i = Int(exactly: v), abs(i) < (1 << 40) else { throw invalid("attribute \(name) out of range") }
        return i
    }

    func float(_ name: String, _ def: Float) throws -> Float {
        used.insert(name)
        guard let a = byName[name] else { return def }
        switch a.value {
        case .float(let v): return v
        case .int(let v): return Float(v)
        default: throw invalid("attribute \(name) should be a float")
        }
    }

    func string(_ name: String, _ def: String) throws -> String {
        used.insert(name)
        guard let a = byName[name] else { return def }
        guard case .string(let v) = a.value else { throw invalid("attribute \(name) should be a string") }
        return v
    }

    func ints(_ name: String) throws -> [Int]? {
        used.insert(name)
        guard let a = byName[name] else { return nil }
        switch a.value {
        case .ints(let v):
            return try v.map { guard let i = Int(exactly: $0), abs(i) < (1 << 40) else { throw invalid("attribute \(name) out of range") }; return i }
        case .other(0): return []
        default: throw invalid("attribute \(name) should be a list of ints")
        }
    }

    func floats(_ name: String) throws -> [Float]? {
        used.insert(name)
        guard let a = byName[name] else { return nil }
        switch a.value {
        case .floats(let v): return v
        case .other(0): return []
        default: throw invalid("attribute \(name) should be a list of floats")
        }
    }

    func tensor(_ name: String) throws -> Tensor? {
        used.insert(name)
        guard let a = byName[name] else { return nil }
        guard case .tensor(let t) = a.value else { throw invalid("attribute \(name) should be a tensor") }
        if t.hasStrings { throw unsupported("string tensors are not supported") }
        do { return try t.decode(baseDirectory: nil) } catch ONNXError.unsupported(_, _, _, let d) { throw unsupported(d) }
    }

    /// Throws for any attribute present on the node that the kernel did not read.
    func finish() throws {
        for name in byName.keys.sorted() where !used.contains(name) {
            throw unsupported("attribute '\(name)' is not supported")
        }
    }
}
