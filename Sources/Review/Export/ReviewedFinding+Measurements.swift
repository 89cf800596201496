import Analysis

extension ReviewedFinding {
    /// The findings with what the AI's analysis measured and the review store does not keep: long
    /// and short axis, volume, Lung-RADS / BI-RADS category, Brock probability and a haemorrhage's
    /// ABC/2 volume, for each AI finding whose key is a finding id of `analysis`. Values the review
    /// already has (a volume, a category) stay. O(findings + analysis findings).
    public static func withMeasurements(_ findings: [ReviewedFinding], from analysis: AnalysisDocument?) -> [ReviewedFinding] {
        guard let analysis else { return findings }
        let byID = Dictionary(analysis.findings.compactMap { f in f.id.map { ($0, f) } }, uniquingKeysWith: { a, _ in a })
        return findings.map { r in
            guard r.origin == .ai, let a = byID[r.key] else { return r }
            var r = r
            // 2-D findings carry the longest diameter in `longAxisMM`; volume findings in `diameterMM`.
            r.longAxisMM = a.longAxisMM ?? (a.sliceRange != nil ? a.diameterMM : nil)
            r.shortAxisMM = a.shortDiameterMM
            if r.volumeML == nil { r.volumeML = a.volumeML }
            if r.category == nil { r.category = a.category }
            r.malignancyProbability = a.malignancyProbability
            r.volumeABC2ML = a.volumeABC2ML
            return r
        }
    }
}
