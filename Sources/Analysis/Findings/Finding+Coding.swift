import Foundation

/// The JSON rules of a finding in `analysis.json` (docs/ANALYSIS_JSON.md). Lightbox writes every
/// field; a document from another writer (a PACS-side AI, a hand-made teaching file) needs only
/// `label`, `probability` and `risk`. Everything else has a stated default, and nothing read from
/// the file can trap later: non-finite numbers become absent, a box needs four finite numbers with
/// a non-negative size, a centre two finite numbers (else the box's centre).
extension Finding {
    /// Where a document's file-level `model` goes, so its findings without their own inherit it.
    public static let documentModelKey = CodingUserInfoKey(rawValue: "lightbox.analysis-document.model")!

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        label = try c.decode(String.self, forKey: .label)
        let p = try c.decode(Double.self, forKey: .probability)
        guard p.isFinite, (0 ... 1).contains(p) else {
            throw DecodingError.dataCorruptedError(forKey: .probability, in: c, debugDescription: "probability \(p) is not within 0…1")
        }
        probability = p
        let riskName = try c.decode(String.self, forKey: .risk)
        guard let r = RiskLevel(rawValue: riskName.lowercased()) else {
            throw DecodingError.dataCorruptedError(forKey: .risk, in: c, debugDescription: "unknown risk level \(riskName)")
        }
        risk = r
        id = Self.text(c, .id)
        category = Self.text(c, .category)
        suspicionScore = try? c.decodeIfPresent(Int.self, forKey: .suspicionScore)
        malignancyProbability = Self.finite(c, .malignancyProbability)
        centerMM = Self.finiteArray(c, .centerMM) ?? []
        diameterMM = Self.finite(c, .diameterMM).flatMap { $0 >= 0 ? $0 : nil }
        shortDiameterMM = Self.finite(c, .shortDiameterMM)
        longAxisMM = Self.finite(c, .longAxisMM)
        volumeML = Self.finite(c, .volumeML)
        volumeABC2ML = Self.finite(c, .volumeABC2ML)
        sopInstanceUID = (try? c.decodeIfPresent(String.self, forKey: .sopInstanceUID)) ?? ""
        seriesInstanceUID = try? c.decodeIfPresent(String.self, forKey: .seriesInstanceUID)
        let box = Self.finiteArray(c, .bboxPX) ?? []
        bboxPX = box.count == 4 && box[2] >= 0 && box[3] >= 0 && box.allSatisfy({ abs($0) < 1e9 }) ? box.map { Int($0.rounded()) } : []
        if let center = Self.finiteArray(c, .centerPX), center.count == 2 {
            centerPX = center
        } else if bboxPX.count == 4 {
            centerPX = [Double(bboxPX[0]) + Double(bboxPX[2]) / 2, Double(bboxPX[1]) + Double(bboxPX[3]) / 2]
        } else {
            centerPX = []
        }
        sliceRange = try? c.decodeIfPresent([Int].self, forKey: .sliceRange)
        contourPX = (try? c.decodeIfPresent([[Double]].self, forKey: .contourPX)).flatMap { points in
            points.allSatisfy { $0.count == 2 && $0.allSatisfy(\.isFinite) } ? points : nil
        }
        laterality = try? c.decodeIfPresent(String.self, forKey: .laterality)
        view = try? c.decodeIfPresent(String.self, forKey: .view)
        solidFraction = Self.finite(c, .solidFraction)
        frameNumber = (try? c.decodeIfPresent(Int.self, forKey: .frameNumber)).flatMap { $0.flatMap { $0 >= 1 ? $0 : nil } }
        territory = Self.text(c, .territory)
        flairRelativeSignal = Self.finite(c, .flairRelativeSignal)
        dwiFlairMismatch = try? c.decodeIfPresent(Bool.self, forKey: .dwiFlairMismatch)
        prior = try? c.decodeIfPresent(PriorComparison.self, forKey: .prior)
        ood = (try? c.decodeIfPresent(Bool.self, forKey: .ood)) ?? false
        if let own = try? c.decodeIfPresent(ModelIdentity.self, forKey: .model) {
            model = own
        } else if let inherited = decoder.userInfo[Self.documentModelKey] as? ModelIdentity {
            model = inherited
        } else {
            model = ModelIdentity(id: "unknown-model", version: "", sha256: "")
        }
    }

    /// Every field; a size the image cannot give (no pixel spacing) is `null` with `size_unknown`
    /// saying why, never left out and never 0.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(id, forKey: .id)
        try c.encode(label, forKey: .label)
        try c.encode(probability, forKey: .probability)
        try c.encode(risk, forKey: .risk)
        try c.encodeIfPresent(category, forKey: .category)
        try c.encodeIfPresent(suspicionScore, forKey: .suspicionScore)
        try c.encodeIfPresent(malignancyProbability, forKey: .malignancyProbability)
        try c.encode(centerMM, forKey: .centerMM)
        if let diameterMM {
            try c.encode(diameterMM, forKey: .diameterMM)
        } else {
            try c.encodeNil(forKey: .diameterMM)
            try c.encode("no pixel spacing", forKey: .sizeUnknown)
        }
        try c.encodeIfPresent(shortDiameterMM, forKey: .shortDiameterMM)
        try c.encodeIfPresent(longAxisMM, forKey: .longAxisMM)
        try c.encodeIfPresent(volumeML, forKey: .volumeML)
        try c.encodeIfPresent(volumeABC2ML, forKey: .volumeABC2ML)
        try c.encode(sopInstanceUID, forKey: .sopInstanceUID)
        try c.encodeIfPresent(seriesInstanceUID, forKey: .seriesInstanceUID)
        try c.encode(centerPX, forKey: .centerPX)
        try c.encode(bboxPX, forKey: .bboxPX)
        try c.encodeIfPresent(sliceRange, forKey: .sliceRange)
        try c.encodeIfPresent(contourPX, forKey: .contourPX)
        try c.encodeIfPresent(laterality, forKey: .laterality)
        try c.encodeIfPresent(view, forKey: .view)
        try c.encodeIfPresent(solidFraction, forKey: .solidFraction)
        try c.encodeIfPresent(frameNumber, forKey: .frameNumber)
        try c.encodeIfPresent(territory, forKey: .territory)
        try c.encodeIfPresent(flairRelativeSignal, forKey: .flairRelativeSignal)
        try c.encodeIfPresent(dwiFlairMismatch, forKey: .dwiFlairMismatch)
        try c.encodeIfPresent(prior, forKey: .prior)
        try c.encode(ood, forKey: .ood)
        try c.encode(model, forKey: .model)
    }

    /// A string, or a number written where a string was meant (`"id": 3`, `"category": 4`).
    private static func text(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
        if let s = try? c.decodeIfPresent(String.self, forKey: key) { return s }
        if let i = try? c.decodeIfPresent(Int.self, forKey: key) { return String(i) }
        return nil
    }

    private static func finite(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> Double? {
        (try? c.decodeIfPresent(Double.self, forKey: key)).flatMap { $0?.isFinite == true ? $0 : nil }
    }

    private static func finiteArray(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> [Double]? {
        (try? c.decodeIfPresent([Double].self, forKey: key)).flatMap { $0?.allSatisfy(\.isFinite) == true ? $0 : nil }
    }
}
