import Foundation

extension Model {
    /// Time per operator type over `runs` runs (milliseconds per run), slowest first. Layout
    /// changes show as `ToNhwc`/`ToNchw`, oneDNN-run nodes as `nhwc.<op>`. Profiling runs keep
    /// every value alive until the step is observed, so in-place reuse is off: the total is a
    /// little above `runSync`'s.
    public func profile(_ feeds: [String: Tensor], runs: Int = 5) throws -> [(op: String, ms: Double)] {
        try validate(feeds)
        var nhwc = Set<String>()
        for n in graph.nodes where n.domain == NHWCLowering.domain { nhwc.insert(n.name) }
        var total: [String: Double] = [:]
        for _ in 0..<Swift.max(1, runs) {
            var last = DispatchTime.now().uptimeNanoseconds
            _ = try plan.execute(feeds, observe: { step, _, _ in
                let now = DispatchTime.now().uptimeNanoseconds
                let key = nhwc.contains(step.name) && !step.opType.hasPrefix("To") ? "nhwc." + step.opType : step.opType
                total[key, default: 0] += Double(now - last) / 1e6
                last = DispatchTime.now().uptimeNanoseconds
            })
        }
        return total.map { ($0.key, $0.value / Double(Swift.max(1, runs))) }.sorted { $0.ms > $1.ms }
    }
}
