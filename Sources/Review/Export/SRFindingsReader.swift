import Analysis
import DICOM
import Foundation

/// Reads the findings of a TID 1500 Measurement Report, ours or another tool's, back into
/// `ReviewedFinding`s: one per Measurement Group (125007, DCM) anywhere in the tree.
///
/// What is taken from each group:
/// - key: Tracking Identifier, else Tracking Unique Identifier, else `sr-<n>`;
/// - label: our Finding label text, else the Finding code's meaning, else the tracking identifier;
/// - geometry: the first SCOORD in the group or under its measurements (INFERRED FROM): POINT and
///   CIRCLE give a centre (a circle also a box), POLYLINE / POLYGON / ELLIPSE / MULTIPOINT a box
///   around their points; SCOORD3D is projected onto the referenced image's plane (`planes`), or the
///   nearest plane in its frame of reference when it names no image;
/// - probability (Probability, Probability of cancer, Certainty of Finding in %), diameter (Diameter
///   or Long Axis, mm or cm), volume (ml, cm3 or mm3);
/// - model: Algorithm Name / Version / Parameters (`sha256:…`) of the group, else the one device observer;
/// - decision: our Reader decision code; groups from other tools count as accepted.
public enum SRFindingsReader {
    public enum ReadError: Error, CustomStringConvertible {
        case notSR(String)
        public var description: String {
            switch self { case .notSR(let why): "not a structured report: \(why)" }
        }
    }

    /// Reads `file`'s findings. `planes` maps SOP Instance UIDs of the study's images to their planes
    /// (needed only for SCOORD3D).
    public static func read(_ file: DICOMFile, planes: [String: ImagePlane] = [:]) throws -> [ReviewedFinding] {
        let ds = file.dataSet
        let cls = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        guard MeasurementReportDocument.srClassUIDs.contains(cls) else { throw ReadError.notSR("SOP class \(cls)") }
        guard ds.string(Tag(0x0040, 0xA040)) == "CONTAINER" else { throw ReadError.notSR("root is not a CONTAINER") }
        let root = SRParsedItem(ds)
        // SOP instance → series, from the evidence lists.
        let seriesOf = SREvidence.seriesBySOP(ds)
        let person = root.child(SRCodes.personObserverName)?.text ?? ""
        let deviceNames = root.children(SRCodes.deviceObserverName).compactMap(\.text)
        let groups = ([root] + root.descendants).filter { $0.valueType == "CONTAINER" && ($0.concept?.matches(SRCodes.measurementGroup) ?? false) }
        return groups.enumerated().map { i, g in
            finding(g, index: i, reader: person, soleDevice: deviceNames.count == 1 ? deviceNames[0] : nil,
                    seriesOf: seriesOf, planes: planes)
        }
    }

    static func finding(_ g: SRParsedItem, index: Int, reader: String, soleDevice: String?,
                        seriesOf: [String: String], planes: [String: ImagePlane]) -> ReviewedFinding {
        let key = g.child(SRCodes.trackingIdentifier)?.text ?? g.child(SRCodes.trackingUID)?.text ?? "sr-\(index + 1)"
        let findingCode = g.child(SRCodes.finding)?.code
        let label = g.child(SRCodes.findingLabel)?.text ?? findingCode?.meaning ?? key
        var f = ReviewedFinding(ReviewFinding(key: key, origin: .ai, label: label), outcome: .accepted, reader: reader)
        f.risk = g.child(SRCodes.riskLevel)?.text.flatMap(Self.riskLevel)

        let nums = g.children.filter { $0.valueType == "NUM" }
        // Probability of cancer is the finding's probability in other tools' reports; beside our
        // Probability it is the Brock model's malignancy probability.
        let hasProbability = nums.contains { $0.concept?.matches(SRCodes.probability) == true }
        for n in nums {
            guard let c = n.concept, let v = n.number else { continue }
            let unit = n.unit?.value ?? ""
            let mm = unit == "cm" ? v * 10 : unit == "um" ? v / 1000 : v
            if c.matches(SRCodes.probabilityOfCancer), hasProbability {
                f.malignancyProbability = unit == "%" ? v / 100 : v
            } else if c.matches(SRCodes.probability) || c.matches(SRCodes.probabilityOfCancer) {
                f.probability = unit == "%" ? v / 100 : v
            } else if c.matches(SRCodes.certaintyOfFinding), f.probability == nil {
                f.probability = unit == "%" ? v / 100 : v
            } else if c.matches(SRCodes.longAxis) {
                f.longAxisMM = mm
                if f.diameterMM == nil, !nums.contains(where: { $0.concept?.matches(SRCodes.diameter) == true }) { f.diameterMM = mm }
            } else if c.matches(SRCodes.shortAxis) {
                f.shortAxisMM = mm
            } else if c.matches(SRCodes.diameter) {
                f.diameterMM = mm
            } else if c.matches(SRCodes.volumeOfEllipsoid) {
                f.volumeABC2ML = unit == "mm3" ? v / 1000 : unit == "l" ? v * 1000 : v
            } else if c.matches(SRCodes.volume) {
                f.volumeML = unit == "mm3" ? v / 1000 : unit == "l" ? v * 1000 : v
            } else if c.matches(SRCodes.flairRelativeSignal) {
                f.flairRelativeSignal = v
            }
        }
        f.territory = g.child(SRCodes.vascularTerritory)?.text
        f.prior = priorComparison(g)
        f.category = g.child(SRCodes.assessmentCategory)?.code.flatMap(SRCodes.categoryValue)
        if let m = g.child(SRCodes.dwiFlairMismatch)?.code {
            f.dwiFlairMismatch = m.matches(SRCodes.yes) ? true : m.matches(SRCodes.no) ? false : nil
        }

        if let name = g.child(SRCodes.algorithmName)?.text {
            let params = g.child(SRCodes.algorithmParameters)?.text ?? ""
            f.model = ModelIdentity(id: name, version: g.child(SRCodes.algorithmVersion)?.text ?? "",
                                    sha256: params.hasPrefix("sha256:") ? String(params.dropFirst(7)) : "")
        } else if let d = soleDevice {
            f.model = ModelIdentity(id: d, version: "", sha256: "")
        }

        // Geometry: the group's own coordinates first, then those measurements were inferred from.
        let candidates = g.children + nums.flatMap(\.descendants)
        let sourceImage = g.child(SRCodes.sourceOfMeasurement)?.referencedSOP
        if let s = candidates.first(where: { $0.valueType == "SCOORD" }) {
            let sop = s.children.first { $0.valueType == "IMAGE" }?.referencedSOP ?? sourceImage ?? ""
            place(&f, points: pairs(s.graphicData).map { ($0.0 - 0.5, $0.1 - 0.5) }, type: s.graphicType ?? "", sop: sop)
        } else if let s = candidates.first(where: { $0.valueType == "SCOORD3D" }) {
            let triples = stride(from: 0, to: s.graphicData.count - s.graphicData.count % 3, by: 3).map { Array(s.graphicData[$0 ..< $0 + 3]) }
            var target = sourceImage.flatMap { sop in planes[sop].map { (sop, $0) } }
            if target == nil, let first = triples.first {
                target = planes.filter { s.frameOfReference == nil || $0.value.frameOfReferenceUID.isEmpty
                                         || $0.value.frameOfReferenceUID == s.frameOfReference }
                    .min { $0.value.image(first).distance < $1.value.image(first).distance }
                    .map { ($0.key, $0.value) }
            }
            if let (sop, plane) = target {
                place(&f, points: triples.map { let p = plane.image($0); return (p.x, p.y) }, type: s.graphicType ?? "", sop: sop)
            }
        } else if let sourceImage {
            f.sopUID = sourceImage
        }
        f.seriesUID = seriesOf[f.sopUID] ?? ""

        if let d = g.child(SRCodes.readerDecision) {
            let code = d.code
            f.outcome = ReviewedFinding.Outcome.allCases.first { code?.matches(SRCodes.decision($0)) ?? false } ?? .accepted
            f.reason = d.child(SRCodes.comment)?.text
            f.decidedAt = d.child(SRCodes.decisionTime)?.text.flatMap(DICOMDate.iso(fromDICOM:)) ?? ""
            f.proposedLabel = d.child(SRCodes.proposedLabel)?.text
            f.proposedRisk = d.child(SRCodes.proposedRisk)?.text.flatMap(Self.riskLevel)
            f.proposedDiameterMM = d.child(SRCodes.proposedDiameter)?.number
        }
        if f.outcome == .addedByReader { f.origin = .reader; f.model = nil }
        return f
    }

    /// A risk level as another writer may spell it ("High", " critical "); nil for one outside
    /// the four levels, which is left out rather than guessed.
    static func riskLevel(_ text: String) -> RiskLevel? {
        RiskLevel(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func pairs(_ v: [Double]) -> [(Double, Double)] {
        stride(from: 0, to: v.count - v.count % 2, by: 2).map { (v[$0], v[$0 + 1]) }
    }

    /// Sets the centre and box of `f` from points of a graphic of `type`.
    static func place(_ f: inout ReviewedFinding, points: [(Double, Double)], type: String, sop: String) {
        guard let first = points.first else { return }
        f.sopUID = sop
        switch type {
        case "POINT":
            f.centerX = first.0; f.centerY = first.1
        case "CIRCLE" where points.count >= 2:
            let r = ((points[1].0 - first.0) * (points[1].0 - first.0) + (points[1].1 - first.1) * (points[1].1 - first.1)).squareRoot()
            f.centerX = first.0; f.centerY = first.1; f.width = 2 * r; f.height = 2 * r
        default:
            let xs = points.map(\.0), ys = points.map(\.1)
            let (x0, x1, y0, y1) = (xs.min() ?? 0, xs.max() ?? 0, ys.min() ?? 0, ys.max() ?? 0)
            f.centerX = (x0 + x1) / 2; f.centerY = (y0 + y1) / 2
            f.width = x1 - x0; f.height = y1 - y0
        }
    }
}
