import Foundation

/// Runs ONNX backend test folders (`model.onnx` + `test_data_set_N/{input,output}_K.pb`, and the
/// `tolerance.json` Tools/onnx/gen_node_tests.py adds) and compares with numpy's
/// `assert_allclose` rule: |actual − expected| ≤ atol + rtol·|expected|, NaNs matching NaNs.
public enum NodeTestRunner {
    public enum Outcome: Sendable, Equatable {
        case passed
        case failed(String)
        case unsupported(String)
    }

    public static func run(caseDirectory dir: URL) -> Outcome {
        let fm = FileManager.default
        var rtol: Float = 1e-3, atol: Float = 1e-7
        if let d = fm.contents(atPath: dir.appendingPathComponent("tolerance.json").path),
           let obj = try? JSONSerialization.jsonObject(with: d) as? [String: Any] {
            if let r = obj["rtol"] as? Double { rtol = Float(r) }
            if let a = obj["atol"] as? Double { atol = Float(a) }
        }
        let model: Model
        do {
            var opts = Model.LoadOptions()
            opts.rejectNonFinite = false
            opts.verifyCard = false
            model = try Model.load(dir.appendingPathComponent("model.onnx"), options: opts)
        } catch let e as ONNXError {
            return e.isUnsupported ? .unsupported(e.description) : .failed("load: \(e.description)")
        } catch { return .failed("load: \(error)") }
        let sets = ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix("test_data_set_") }.sorted()
        if sets.isEmpty { return .failed("no test_data_set_* folders") }
        for s in sets {
            let sd = dir.appendingPathComponent(s)
            let files = (try? fm.contentsOfDirectory(atPath: sd.path)) ?? []
            if files.contains(where: { $0.hasSuffix(".unsupported") }) { return .unsupported("non-tensor inputs or outputs") }
            var feeds: [String: Tensor] = [:]
            var expected: [(Int, Tensor)] = []
            do {
                for f in files.sorted() where f.hasSuffix(".pb") {
                    guard let data = fm.contents(atPath: sd.appendingPathComponent(f).path) else { return .failed("cannot read \(f)") }
                    let idx = Int(f.split(separator: "_").last!.dropLast(3)) ?? 0
                    let (_, t) = try decodeTensorProto([UInt8](data))
                    if f.hasPrefix("input_") {
                        guard idx < model.inputs.count else { return .failed("extra input file \(f)") }
                        feeds[model.inputs[idx].name] = t
                    } else { expected.append((idx, t)) }
                }
            } catch let e as ONNXError {
                return e.isUnsupported ? .unsupported(e.description) : .failed("test data: \(e.description)")
            } catch { return .failed("test data: \(error)") }
            let out: [String: Tensor]
            do { out = try model.runSync(feeds) }
            catch let e as ONNXError { return e.isUnsupported ? .unsupported(e.description) : .failed("\(s): \(e.description)") }
            catch { return .failed("\(s): \(error)") }
            for (idx, want) in expected {
                guard idx < model.outputs.count, let got = out[model.outputs[idx].name] else { return .failed("\(s): output #\(idx) missing") }
                if let msg = compare(got, want, rtol: rtol, atol: atol) { return .failed("\(s) output '\(model.outputs[idx].name)': \(msg)") }
            }
        }
        return .passed
    }

    /// nil when `got` matches `want` within tolerance, else a description of the first mismatch.
    public static func compare(_ got: Tensor, _ want: Tensor, rtol: Float, atol: Float) -> String? {
        guard got.shape == want.shape else { return "shape \(got.shape), expected \(want.shape)" }
        if want.isFloat {
            guard got.isFloat else { return "type \(got.dataType), expected FLOAT" }
            for i in 0..<want.count {
                let a = got.floats[i], e = want.floats[i]
                if a.isNaN && e.isNaN { continue }
                if a == e { continue }
                if !(abs(a - e) <= atol + rtol * abs(e)) { return "element \(i): \(a), expected \(e) (rtol \(rtol), atol \(atol))" }
            }
            return nil
        }
        guard !got.isFloat else { return "type FLOAT, expected \(want.dataType)" }
        for i in 0..<want.count where got.ints[i] != want.ints[i] {
            return "element \(i): \(got.ints[i]), expected \(want.ints[i])"
        }
        return nil
    }
}
