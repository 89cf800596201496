import Foundation
import Imaging
import TerminalGraphics
@_spi(Benchmarks) import Workstation

/// Measures the worklist at archive scale without a terminal: the first paint of N studies
/// (`studiesLoaded` → `view`), and each reader action that re-orders or narrows the list (sort,
/// filter, search) as update → view on the same state. `lightbox open --benchmark-worklist N`
/// prints it; the aims are a first paint ≤ 1 s and every action ≤ 50 ms at 20,000 studies.
public enum WorklistBenchmark {
    public struct Result: Sendable {
        public var studies: Int
        public var firstPaintMS: Double
        /// Action name → milliseconds for update + view, in the order run.
        public var actions: [(name: String, ms: Double)]
    }

    /// `count` one-instance CT studies with distinct patients, dates and accession numbers.
    public static func studies(_ count: Int) -> [StudyIndex.Study] {
        let headers: [InstanceHeader] = (0 ..< count).compactMap { k in
            let json: [String: Any] = [
                "path": "/nonexistent/\(k).dcm", "sopClassUID": "1.2.840.10008.5.1.4.1.1.2", "sopInstanceUID": "2.25.\(k).1.1",
                "studyInstanceUID": "2.25.\(k)", "seriesInstanceUID": "2.25.\(k).1",
                "patientName": "Patient\(k % 7919)^Given\(k % 13)", "patientID": "PID\(k)",
                "patientBirthDate": "19600101", "patientSex": k % 2 == 0 ? "F" : "M",
                "studyDate": String(format: "2026%02d%02d", 1 + k % 12, 1 + k % 28), "studyTime": "120000",
                "studyDescription": "CT CHEST", "accessionNumber": "ACC\(k)", "seriesDescription": "AXIAL",
                "seriesNumber": 1, "modality": "CT", "bodyPart": "CHEST", "viewPosition": "", "laterality": "",
                "instanceNumber": 1, "imagePosition": [0, 0, 0], "imageOrientation": [1, 0, 0, 0, 1, 0],
                "pixelSpacing": [0.7, 0.7], "rows": 512, "columns": 512, "frames": 1,
                "transferSyntaxUID": "1.2.840.10008.1.2.1", "hasPixelData": true,
            ]
            guard let data = try? JSONSerialization.data(withJSONObject: json) else { return nil }
            return try? JSONDecoder().decode(InstanceHeader.self, from: data)
        }
        return StudyIndex.group(headers)
    }

    public static func run(studies: [StudyIndex.Study], columns: Int = 160, rows: Int = 48) -> Result {
        func ms(_ body: () -> Void) -> Double {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        }
        var state = AppState(columns: columns, rows: rows, reader: "bench")
        let first = ms { _ = update(&state, .studiesLoaded(studies)); _ = view(state) }
        var actions: [(String, Double)] = []
        func step(_ name: String, _ keys: [Key]) {
            actions.append((name, ms { for k in keys { _ = update(&state, .key(k)) }; _ = view(state) }))
        }
        step("move down", [.down])
        for _ in WorklistSort.allCases { step("sort", [.char("s")]) }
        for _ in WorklistFilter.allCases { step("filter", [.char("f")]) }
        step("open search", [.char("/")])
        for c in "patient12" { step("search: type", [.char(c)]) }
        step("search: apply", [.enter])
        step("clear search", [.escape])
        return Result(studies: studies.count, firstPaintMS: first, actions: actions)
    }

    /// Every key step's update + view in ms, over `rounds` passes of the same actions as `run`
    /// (after a first paint that is not counted): what a reader feels while something else, such
    /// as the AI queue, works beside the loop. `pause` (s) between steps is typing speed.
    public static func keyLatencies(studies: [StudyIndex.Study], rounds: Int, pause: Double = 0.02,
                                    columns: Int = 160, rows: Int = 48) -> [Double] {
        var state = AppState(columns: columns, rows: rows, reader: "bench")
        _ = update(&state, .studiesLoaded(studies))
        _ = view(state)
        var out: [Double] = []
        var keys: [Key] = [.down]
        keys += [Key](repeating: .char("s"), count: WorklistSort.allCases.count)
        keys += [Key](repeating: .char("f"), count: WorklistFilter.allCases.count)
        keys.append(.char("/"))
        for c in "patient12" { keys.append(.char(c)) }
        keys += [.enter, .escape, .up]
        for _ in 0 ..< rounds {
            for key in keys {
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = update(&state, .key(key))
                _ = view(state)
                out.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                Thread.sleep(forTimeInterval: pause)
            }
        }
        return out
    }
}
