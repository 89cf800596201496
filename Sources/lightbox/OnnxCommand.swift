import ArgumentParser
import Foundation
import Inference

/// `lightbox onnx …`: run, test, benchmark and describe ONNX models with the Inference module.
struct OnnxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "Run, test, benchmark and describe ONNX models.",
        subcommands: [OnnxRun.self, OnnxTest.self, OnnxBench.self, OnnxInfo.self])
}

struct OnnxRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run a model on .npy inputs and write .npy outputs.")
    @Argument(help: "The .onnx file.") var model: String
    @Option(name: .customLong("input"), help: "NAME=FILE.npy (repeatable).") var inputs: [String] = []
    @Option(help: "Folder for OUTPUT_NAME.npy files.") var out: String
    @Option(help: "Inference threads (OpenBLAS and oneDNN).") var threads: Int = 2
    @Option(help: "Kernels: openblas or dnnl (default: LIGHTBOX_BACKEND, else dnnl where oneDNN runs).") var backend: InferenceBackend?

    func run() async throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        setInferenceThreads(threads)
        if let backend { InferenceBackend.select(backend) }
        let m = try Model.load(URL(fileURLWithPath: model))
        var feeds: [String: Tensor] = [:]
        for spec in inputs {
            guard let eq = spec.firstIndex(of: "=") else { throw ValidationError("--input expects NAME=FILE.npy, got \(spec)") }
            let name = String(spec[..<eq]), path = String(spec[spec.index(after: eq)...])
            guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
            feeds[name] = try NPY.read([UInt8](data))
        }
        let result = try await m.run(feeds)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for o in m.outputs {
            guard let t = result[o.name] else { continue }
            let safe = o.name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" }
            let path = (out as NSString).appendingPathComponent(String(safe) + ".npy")
            guard FileManager.default.createFile(atPath: path, contents: Data(NPY.write(t))) else { throw ValidationError("cannot write \(path)") }
            print("\(o.name) \(t.shape) -> \(path)")
        }
    }
}

struct OnnxTest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test",
        abstract: "Run ONNX backend test folders (model.onnx + test_data_set_N) and print pass/fail/unsupported counts.")
    @Argument(help: "Test case folders, or folders containing them.") var dirs: [String]
    @Flag(help: "Print each case's outcome.") var verbose = false
    @Option(help: "Write a JSON report of every case here.") var report: String?
    @Option(help: "Kernels: openblas or dnnl (default: LIGHTBOX_BACKEND, else dnnl where oneDNN runs).") var backend: InferenceBackend?

    func run() async throws {
        setInferenceThreads(1)
        if let backend { InferenceBackend.select(backend) }
        let fm = FileManager.default
        var cases: [URL] = []
        for d in dirs {
            let u = URL(fileURLWithPath: d)
            if fm.fileExists(atPath: u.appendingPathComponent("model.onnx").path) { cases.append(u); continue }
            for sub in ((try? fm.contentsOfDirectory(atPath: d)) ?? []).sorted() {
                let s = u.appendingPathComponent(sub)
                if fm.fileExists(atPath: s.appendingPathComponent("model.onnx").path) { cases.append(s) }
            }
        }
        var passed = 0, failed = 0, unsupported = 0
        var entries: [[String: String]] = []
        for c in cases {
            let outcome = NodeTestRunner.run(caseDirectory: c)
            let name = c.lastPathComponent
            switch outcome {
            case .passed: passed += 1; if verbose { print("PASS \(name)") }; entries.append(["case": name, "result": "passed"])
            case .failed(let m): failed += 1; print("FAIL \(name): \(m)"); entries.append(["case": name, "result": "failed", "detail": m])
            case .unsupported(let m): unsupported += 1; if verbose { print("UNSUPPORTED \(name): \(m)") }
                entries.append(["case": name, "result": "unsupported", "detail": m])
            }
        }
        if let report {
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys])
            _ = fm.createFile(atPath: report, contents: data)
        }
        print("\(passed) passed, \(failed) failed, \(unsupported) unsupported")
        if failed > 0 { throw ExitCode(1) }
    }
}

struct OnnxBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Median latency of a model on zero inputs.")
    @Argument(help: "The .onnx file.") var model: String
    @Option(help: "Timed runs.") var runs: Int = 10
    @Option(help: "Warm-up runs.") var warmup: Int = 2
    @Option(help: "Inference threads (OpenBLAS and oneDNN).") var threads: Int = 2
    @Option(help: "Kernels: openblas or dnnl (default: LIGHTBOX_BACKEND, else dnnl where oneDNN runs).") var backend: InferenceBackend?
    @Option(help: "Shape for dynamic inputs, e.g. 1x3x224x224.") var shape: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "After warm-up, run once per line read from stdin and print that run's milliseconds (for benchmarks that alternate runtimes run by run); on EOF print peak RSS in KiB.")
    var interleave = false
    @Flag(help: "Print the time per operator type (milliseconds per run) instead of the latency.")
    var profile = false

    func run() async throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        setInferenceThreads(threads)
        if let backend { InferenceBackend.select(backend) }
        let t0 = Date()
        let m = try Model.load(URL(fileURLWithPath: model))
        let loadTime = Date().timeIntervalSince(t0)
        var feeds: [String: Tensor] = [:]
        for i in m.inputs {
            var dims = i.shape?.map { $0 ?? 1 } ?? []
            if let shape { dims = shape.split(separator: "x").compactMap { Int($0) } }
            var t = Tensor(zeros: dims)
            for k in t.floats.indices { t.floats[k] = Float((k * 7919) % 255) / 255 }
            feeds[i.name] = i.elementType == "FLOAT" ? t : try Tensor(shape: dims, ints: [Int64](repeating: 0, count: t.count), type: .int64)
        }
        for _ in 0..<warmup { _ = try m.runSync(feeds) }
        if profile {
            let rows = try m.profile(feeds, runs: max(1, runs))
            let sum = rows.reduce(0) { $0 + $1.ms }
            func pad(_ s: String) -> String { s.count >= 28 ? s : s + String(repeating: " ", count: 28 - s.count) }
            for r in rows { print(pad(r.op) + String(format: "%9.3f ms  %5.1f %%", r.ms, sum > 0 ? 100 * r.ms / sum : 0)) }
            print(pad("total") + String(format: "%9.3f ms (", sum) + m.backend.rawValue + ")")
            return
        }
        if interleave {
            print("ready"); fflush(nil)   // all streams: Swift 6 forbids touching the C global `stdout`
            while readLine() != nil {
                let s = DispatchTime.now().uptimeNanoseconds
                _ = try m.runSync(feeds)
                print(String(format: "%.3f", Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)); fflush(nil)   // all streams: Swift 6 forbids touching the C global `stdout`
            }
            print("peak_rss_kib \(peakRSSKiB())")
            return
        }
        var times: [Double] = []
        for _ in 0..<max(1, runs) {
            let s = DispatchTime.now().uptimeNanoseconds
            _ = try m.runSync(feeds)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - s) / 1e6)
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        let peak = peakRSSKiB()
        if json {
            print("{\"model\": \"\(model)\", \"median_ms\": \(String(format: "%.3f", median)), \"min_ms\": \(String(format: "%.3f", times[0])), \"runs\": \(times.count), \"threads\": \(threads), \"backend\": \"\(m.backend.rawValue)\", \"load_s\": \(String(format: "%.3f", loadTime)), \"peak_rss_kib\": \(peak)}")
        } else {
            print(String(format: "%@: median %.2f ms, min %.2f ms over %d runs (%d threads, %@); load %.2f s; peak RSS %d MiB",
                         model, median, times[0], times.count, threads, m.backend.rawValue, loadTime, peak / 1024))
        }
    }
}

extension InferenceBackend: ExpressibleByArgument {}

/// Peak resident set size of this process (VmHWM), in KiB; 0 where unavailable.
func peakRSSKiB() -> Int {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in s.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "0") ?? 0
    }
    return 0
}

struct OnnxInfo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info",
        abstract: "Inputs, outputs, operators, opset, parameter count and FLOPs of a model.")
    @Argument(help: "The .onnx file.") var model: String

    func run() async throws {
        BLASTuning.reexecWithTunedKernelsIfNeeded()
        var opts = Model.LoadOptions()
        opts.verifyCard = false
        let m = try Model.load(URL(fileURLWithPath: model), options: opts)
        func dims(_ s: [Int?]?) -> String { s.map { "[" + $0.map { $0.map(String.init) ?? "?" }.joined(separator: ", ") + "]" } ?? "(unknown)" }
        print("model: \(model)")
        print("blas kernels: \(BLASTuning.coreName)")
        print("backend: \(m.backend.rawValue)")
        print("ir_version: \(m.irVersion)  opset: \(m.opset)  producer: \(m.producer.isEmpty ? "-" : m.producer)")
        for i in m.inputs { print("input  \(i.name): \(i.elementType) \(dims(i.shape))") }
        for o in m.outputs { print("output \(o.name): \(o.elementType) \(dims(o.shape))") }
        print("operators: " + m.operatorCounts.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))
        print("nodes: \(m.operatorCounts.values.reduce(0, +)) (\(m.compiledNodeCount) after folding and fusion)")
        print("parameters: \(m.parameterCount)")
        if let f = m.flops { print("FLOPs: \(f) (" + String(format: "%.3f", Double(f) / 1e9) + " GFLOPs)") } else { print("FLOPs: unknown (dynamic input shapes)") }
        if let p = m.peakActivationBytes { print(String(format: "peak activations: %.1f MiB", Double(p) / 1048576)) }
        if let c = m.card { print("card: \(c.id) \(c.version) (\(c.task.rawValue))\(c.notForClinicalUse ? " — NOT FOR CLINICAL USE" : "")") }
    }
}
