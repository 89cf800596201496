import Analysis
import DICOM
import Foundation

/// Builds the content tree of a TID 1500 Measurement Report from reviewed findings:
///
///     CONTAINER Imaging Measurement Report (TID 1500)
///       HAS CONCEPT MOD  Language of Content Item and Descendants = en-US      (TID 1204)
///       HAS OBS CONTEXT  Observer Type = Person, Person Observer Name = reader  (TID 1001/1002)
///       HAS OBS CONTEXT  Observer Type = Device, Device Observer UID/Name/Model (TID 1004), once per AI model
///       HAS CONCEPT MOD  Procedure reported
///       CONTAINS Image Library → Image Library Group → IMAGE per referenced image (TID 1600)
///       CONTAINS Imaging Measurements
///         CONTAINS Measurement Group, one per finding (TID 1410 / 1501):
///           Tracking Identifier (the finding key), Tracking Unique Identifier,
///           Finding (type code), Finding Site (+ Laterality),
///           Algorithm Name / Version / Parameters ("sha256:…") for AI findings (TID 4019),
///           Image Region SCOORD (closed POLYLINE box) or Center SCOORD POINT on projection images,
///             or Image Region SCOORD3D (POLYGON / POINT, patient mm) on cross-sections,
///           Source of Measurement IMAGE (the image the finding was read on),
///           NUM Diameter (mm), Volume (ml), Probability (1),
///           TEXT Finding label, Risk level,
///           with a prior: Time Point Context (TID 1502) and the change (SRCodes+PriorComparison),
///           CODE Reader decision (accepted / rejected / corrected / added by reader)
///             HAS PROPERTIES Comment (reason), time of decision, what the AI proposed when corrected.
///       CONTAINS Qualitative Evaluations (TID 1500 row 12), when the reader wrote a report:
///         TEXT Findings (DCM 121070), TEXT Impression (DCM 121073): the report's text as saved.
///
/// Image coordinates: findings use pixel indices (integer = pixel centre); SCOORD uses the pixel
/// corner as origin (PS3.3 C.18.6.1.1), so points are written shifted by +0.5 and read back by −0.5.
public struct MeasurementReportBuilder: Sendable {
    public var reader: String
    public var findings: [ReviewedFinding]
    /// Referenced images by SOP Instance UID.
    public var images: [String: SRSourceImage]
    /// Tracking UIDs by finding key; made here when not given, so a re-export can keep them.
    public var trackingUIDs: [String: String] = [:]
    /// The study reported on: with it, an AI finding's Tracking UID is its lesion's (`TrackingUID`),
    /// shared with the prior's report when the finding was matched to a prior nodule.
    public var studyUID: String?
    /// The reader's report in force (findings and impression text), carried as TEXT items.
    public var report: ReportText?

    public init(reader: String, findings: [ReviewedFinding], images: [String: SRSourceImage]) {
        self.reader = reader; self.findings = findings; self.images = images
    }

    /// The models behind the AI findings, each once, in order of first appearance.
    var models: [ModelIdentity] {
        var seen: [ModelIdentity] = []
        for m in findings.compactMap(\.model) where !seen.contains(m) { seen.append(m) }
        return seen
    }

    /// A stable UID for a model (its Device Observer UID): `2.25.` + the first 128 bits of its sha256,
    /// so every report from the same model file names the same device.
    static func deviceUID(_ m: ModelIdentity) -> String {
        let hex = m.sha256.lowercased()
        if hex.count >= 32, hex.allSatisfy(\.isHexDigit) {
            var bytes: [UInt8] = []
            var i = hex.startIndex
            while bytes.count < 16 {
                let j = hex.index(i, offsetBy: 2)
                bytes.append(UInt8(hex[i ..< j], radix: 16) ?? 0)
                i = j
            }
            return "2.25." + UIDGenerator.decimal(bigEndian: bytes)
        }
        return UIDGenerator.make()
    }

    public func contentTree(modality: String) -> SRContentItem {
        var root: [SRContentItem] = [
            SRContentItem("HAS CONCEPT MOD", SRCodes.language, .code(SRCodes.english)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.observerType, .code(SRCodes.person)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.personObserverName, .pname(reader.isEmpty ? "reader" : reader)),
        ]
        for m in models {
            root.append(SRContentItem("HAS OBS CONTEXT", SRCodes.observerType, .code(SRCodes.device)))
            root.append(SRContentItem("HAS OBS CONTEXT", SRCodes.deviceObserverUID, .uidref(Self.deviceUID(m))))
            root.append(SRContentItem("HAS OBS CONTEXT", SRCodes.deviceObserverName, .text(m.id)))
            root.append(SRContentItem("HAS OBS CONTEXT", SRCodes.deviceObserverModelName,
                                      .text(m.version.isEmpty ? m.id : "\(m.id) \(m.version)")))
        }
        root.append(SRContentItem("HAS CONCEPT MOD", SRCodes.procedureReported, .code(SRCodes.procedure(modality: modality))))
        let library = referencedImages.map { SRContentItem("CONTAINS", nil, .image(sopClass: $0.sopClassUID, sopInstance: $0.sopInstanceUID)) }
        root.append(SRContentItem("CONTAINS", SRCodes.imageLibrary, .container, children: library.isEmpty ? [] : [
            SRContentItem("CONTAINS", SRCodes.imageLibraryGroup, .container, children: library),
        ]))
        root.append(SRContentItem("CONTAINS", SRCodes.imagingMeasurements, .container, children: findings.map(group)))
        if let report, !report.isEmpty {
            var texts: [SRContentItem] = []
            if !report.findings.isEmpty { texts.append(SRContentItem("CONTAINS", SRCodes.reportFindings, .text(report.findings))) }
            if !report.impression.isEmpty { texts.append(SRContentItem("CONTAINS", SRCodes.impression, .text(report.impression))) }
            root.append(SRContentItem("CONTAINS", SRCodes.qualitativeEvaluations, .container, children: texts))
        }
        return SRContentItem("", SRCodes.imagingMeasurementReport, .container, children: root)
    }

    /// The images findings are on, in order of first use.
    var referencedImages: [SRSourceImage] {
        var seen = Set<String>()
        return findings.compactMap { f in
            guard let img = images[f.sopUID], seen.insert(f.sopUID).inserted else { return nil }
            return img
        }
    }

    func group(_ f: ReviewedFinding) -> SRContentItem {
        var items: [SRContentItem] = [
            SRContentItem("HAS OBS CONTEXT", SRCodes.trackingIdentifier, .text(f.key)),
            SRContentItem("HAS OBS CONTEXT", SRCodes.trackingUID, .uidref(trackingUID(f))),
        ] + timePointContext(f) + [
            SRContentItem("CONTAINS", SRCodes.finding, .code(SRCodes.findingType(label: f.label))),
        ]
        let image = images[f.sopUID]
        if let site = SRCodes.findingSite(modality: image?.modality ?? "", bodyPart: image?.bodyPart ?? "", label: f.label) {
            let side = SRCodes.laterality(image?.laterality ?? "").map { [SRContentItem("HAS CONCEPT MOD", SRCodes.laterality, .code($0))] } ?? []
            items.append(SRContentItem("HAS CONCEPT MOD", SRCodes.findingSite, .code(site), children: side))
        }
        if let m = f.model {
            items.append(SRContentItem("HAS CONCEPT MOD", SRCodes.algorithmName, .text(m.id)))
            items.append(SRContentItem("HAS CONCEPT MOD", SRCodes.algorithmVersion, .text(m.version.isEmpty ? "unknown" : m.version)))
            if !m.sha256.isEmpty { items.append(SRContentItem("HAS CONCEPT MOD", SRCodes.algorithmParameters, .text("sha256:" + m.sha256))) }
        }
        if let image, let region = region(f, on: image) { items.append(region) }
        if let image {
            items.append(SRContentItem("CONTAINS", SRCodes.sourceOfMeasurement,
                                       .image(sopClass: image.sopClassUID, sopInstance: image.sopInstanceUID)))
        }
        if let d = f.diameterMM, d.isFinite { items.append(SRContentItem("CONTAINS", SRCodes.diameter, .num(d, unit: SRCodes.millimeter))) }
        if let d = f.longAxisMM, d.isFinite { items.append(SRContentItem("CONTAINS", SRCodes.longAxis, .num(d, unit: SRCodes.millimeter))) }
        if let d = f.shortAxisMM, d.isFinite { items.append(SRContentItem("CONTAINS", SRCodes.shortAxis, .num(d, unit: SRCodes.millimeter))) }
        if let v = f.volumeML, v.isFinite { items.append(SRContentItem("CONTAINS", SRCodes.volume, .num(v, unit: SRCodes.milliliter))) }
        if let v = f.volumeABC2ML, v.isFinite {
            items.append(SRContentItem("CONTAINS", SRCodes.volumeOfEllipsoid, .num(v, unit: SRCodes.milliliter),
                                       children: [SRContentItem("HAS CONCEPT MOD", SRCodes.measurementMethod, .code(SRCodes.abcOver2))]))
        }
        if let p = f.probability, p.isFinite { items.append(SRContentItem("CONTAINS", SRCodes.probability, .num(p, unit: SRCodes.noUnits))) }
        if let p = f.malignancyProbability, p.isFinite {
            items.append(SRContentItem("CONTAINS", SRCodes.probabilityOfCancer, .num(p, unit: SRCodes.noUnits),
                                       children: [SRContentItem("HAS CONCEPT MOD", SRCodes.algorithmName, .text(SRCodes.brockModel))]))
        }
        let biRADS = image?.modality == "MG" || (image == nil && !f.label.lowercased().contains("nodule"))
        if let c = f.category, let code = SRCodes.category(c, biRADS: biRADS) {
            items.append(SRContentItem("CONTAINS", SRCodes.assessmentCategory, .code(code)))
        }
        if !f.label.isEmpty { items.append(SRContentItem("CONTAINS", SRCodes.findingLabel, .text(f.label))) }
        if let r = f.risk { items.append(SRContentItem("CONTAINS", SRCodes.riskLevel, .text(r.rawValue))) }
        if let t = f.territory, !t.isEmpty { items.append(SRContentItem("CONTAINS", SRCodes.vascularTerritory, .text(t))) }
        if let m = f.dwiFlairMismatch { items.append(SRContentItem("CONTAINS", SRCodes.dwiFlairMismatch, .code(m ? SRCodes.yes : SRCodes.no))) }
        if let r = f.flairRelativeSignal, r.isFinite {
            items.append(SRContentItem("CONTAINS", SRCodes.flairRelativeSignal, .num(r, unit: SRCodes.noUnits)))
        }
        items += comparison(f)
        var why: [SRContentItem] = []
        if let r = f.reason, !r.isEmpty { why.append(SRContentItem("HAS PROPERTIES", SRCodes.comment, .text(r))) }
        if let at = Self.dicomDateTime(f.decidedAt) { why.append(SRContentItem("HAS PROPERTIES", SRCodes.decisionTime, .datetime(at))) }
        if let l = f.proposedLabel { why.append(SRContentItem("HAS PROPERTIES", SRCodes.proposedLabel, .text(l))) }
        if let r = f.proposedRisk { why.append(SRContentItem("HAS PROPERTIES", SRCodes.proposedRisk, .text(r.rawValue))) }
        if let d = f.proposedDiameterMM, d.isFinite {
            why.append(SRContentItem("HAS PROPERTIES", SRCodes.proposedDiameter, .num(d, unit: SRCodes.millimeter)))
        }
        items.append(SRContentItem("CONTAINS", SRCodes.readerDecision, .code(SRCodes.decision(f.outcome)), children: why))
        return SRContentItem("CONTAINS", SRCodes.measurementGroup, .container, children: items)
    }

    /// The finding's outline: a box as a closed polygon, a point as a point; in patient space when the
    /// image has a plane (cross-sections), else in image pixels with a reference to the image.
    func region(_ f: ReviewedFinding, on image: SRSourceImage) -> SRContentItem? {
        guard let cx = f.centerX, let cy = f.centerY, cx.isFinite, cy.isFinite else { return nil }
        let corners: [(Double, Double)] = f.isRegion
            ? [(cx - f.width / 2, cy - f.height / 2), (cx + f.width / 2, cy - f.height / 2),
               (cx + f.width / 2, cy + f.height / 2), (cx - f.width / 2, cy + f.height / 2)]
            : [(cx, cy)]
        // Closed shapes repeat their first point: POLYLINE (C.18.6.1.2) and POLYGON (C.18.9.1.2) alike.
        let ring = f.isRegion ? corners + [corners[0]] : corners
        if let plane = image.plane {
            let points = ring.flatMap { plane.patient(x: $0.0, y: $0.1) }
            return SRContentItem("CONTAINS", SRCodes.imageRegion,
                                 .scoord3D(graphicType: f.isRegion ? "POLYGON" : "POINT", points: points,
                                           frameOfReference: plane.frameOfReferenceUID))
        }
        let points = ring.flatMap { [Float($0.0 + 0.5), Float($0.1 + 0.5)] }
        let source = SRContentItem("SELECTED FROM", nil, .image(sopClass: image.sopClassUID, sopInstance: image.sopInstanceUID))
        return SRContentItem("CONTAINS", f.isRegion ? SRCodes.imageRegion : SRCodes.center,
                             .scoord(graphicType: f.isRegion ? "POLYLINE" : "POINT", points: points), children: [source])
    }

    /// ISO 8601 (`2026-11-28T00:12:34.567Z`) → DICOM DT in UTC (`20261128001234.567`); nil if unparseable.
    static func dicomDateTime(_ iso: String) -> String? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        guard let date = f.date(from: iso) ?? plain.date(from: iso) else { return nil }
        return DICOMDate.dateTime(date)
    }
}
