import Foundation
import Imaging
import Inference

/// The models installed in a folder (Models/ by default), and which of them fit a series.
///
/// A model fits when its card's intended modality and body part match the series (DX and CR are one
/// modality here: both are projection radiographs). An input outside the card's validated range
/// (pixel spacing, photometric interpretation, view) still fits, but is marked out of distribution.
public struct ModelCatalog: Sendable {
    public struct Entry: Sendable {
        public let card: ModelCard
        public let url: URL
        /// The card's sha256 matches the .onnx file (hashed on first use: `ModelFileCheck`).
        public var verified: Bool { fileCheck.matches }
        private let fileCheck: ModelFileCheck
        /// The card's content detector, calibration and operating point (`ModelTrust`).
        public var trust: ModelTrust { sections.value.trust }
        /// The card's preprocessing switches and candidate rule.
        public var details: CardDetails { sections.value.details }
        /// Why the card could not be read (its trust sections or its candidate rule); such a model
        /// does not run, and its runs say why.
        public var cardProblem: String? { sections.value.problem }
        /// The card's post-processing rules beyond the candidate rule.
        public var postProcessing: CardPostProcessing { sections.value.postProcessing }
        /// A stroke model's volume and DWI–FLAIR rules (card `stroke`); such a model reads several
        /// series of a study at once (`StrokeStudyAnalysis`), not one series.
        public var stroke: StrokeRule? { sections.value.stroke }
        private let sections: CardSections

        /// `trust`, `details` and `postProcessing` default to what the card file at `card.path` says,
        /// read when one of them is first asked for. `verified` nil: the model file is hashed when
        /// first asked.
        public init(card: ModelCard, url: URL, verified: Bool?, trust: ModelTrust? = nil, details: CardDetails? = nil,
                    postProcessing: CardPostProcessing? = nil) {
            self.card = card; self.url = url
            fileCheck = verified.map { ModelFileCheck(known: $0) } ?? ModelFileCheck(card: card, url: url)
            sections = CardSections(card: card, trust: trust, details: details, postProcessing: postProcessing)
        }

        /// Reads several sequences of a study together (the card names them) rather than one series.
        public var isMultiSequence: Bool { stroke != nil }

        /// Slice-wise CT model (HU window) rather than a 2-D projection-image model.
        public var isVolumetric: Bool { card.preprocessing.windowHu != nil }
        public var reference: ModelIdentity { .init(id: card.id, version: card.version, sha256: card.sha256) }
    }

    public enum Problem: Error, CustomStringConvertible {
        case unverified(String)
        public var description: String {
            switch self {
            case let .unverified(file): "the sha256 of \(file) does not match its model card; the model was not run"
            }
        }
    }

    public let entries: [Entry]

    /// The brain-mask model (an MR segmentation card with a "brain" label, such as deepbet), which
    /// the stroke analysis uses to keep infarcts inside the brain; nil when none is installed. It
    /// may fail its sha256 check (`verified`): the stroke analysis then says it was not run.
    public var brainMask: Entry? {
        entries.first { $0.card.task == .segmentation && $0.card.intendedUse.modality.uppercased() == "MR"
                        && ($0.card.outputs.labels ?? []).contains("brain") }
    }

    public init(folder: URL) throws {
        entries = try ModelCard.cards(in: folder).map { Entry(card: $0.card, url: $0.model, verified: nil) }
    }

    public init(entries: [Entry]) { self.entries = entries }

    static func sameModality(_ a: String, _ b: String) -> Bool {
        let radiograph: Set = ["DX", "CR"]
        let (a, b) = (a.uppercased(), b.uppercased())
        return a == b || (radiograph.contains(a) && radiograph.contains(b))
    }

    /// Entries whose intended use matches `series`, with whether the series is out of distribution.
    /// Multi-sequence models are planned per study (`studyLevel(for:)`), and only cards whose task
    /// is a heatmap produce findings. A card with `runs_in_analysis: false` (a helper model such as
    /// a brain mask; see `ModelCard.runsInAnalysis`) never matches.
    public func applicable(to series: StudyIndex.Series) -> [(entry: Entry, ood: [String])] {
        // Headers first: whether a model is multi-sequence is in the card's sections, read only
        // for the models that fit.
        fits(series, entries.filter { $0.card.task == .heatmap }).filter { !$0.entry.isMultiSequence }
    }

    /// Multi-sequence models whose intended use matches at least one series of `study`, with the
    /// series they match.
    public func studyLevel(for study: StudyIndex.Study) -> [(entry: Entry, series: [StudyIndex.Series])] {
        entries.filter { $0.card.task == .heatmap }.compactMap { e in
            let matching = study.series.filter { $0.first.hasPixelData && !fits($0, [e]).isEmpty }
            return matching.isEmpty || !e.isMultiSequence ? nil : (e, matching)
        }
    }

    /// Header checks of `series` against each of `candidates`' cards.
    func fits(_ series: StudyIndex.Series, _ candidates: [Entry]) -> [(entry: Entry, ood: [String])] {
        let h = series.first
        return candidates.compactMap { e in
            guard e.card.runsInAnalysis != false else { return nil }
            let use = e.card.intendedUse
            guard Self.sameModality(use.modality, h.modality),
                  use.bodyPart.uppercased() == h.bodyPart.uppercased() || h.bodyPart.isEmpty else { return nil }
            var ood: [String] = []
            if let range = use.pixelSpacingRange, range.count == 2 {
                // A series without a usable spacing cannot be shown to fit: its volume would be
                // built at an assumed 1 mm, and every size in mm would be made up.
                if let spacing = PixelGeometry(pixelSpacing: h.pixelSpacing).rowSpacingMM {
                    if !(range[0] ... range[1]).contains(spacing) {
                        ood.append("pixel spacing \(spacing) mm is outside the validated \(range[0])–\(range[1]) mm")
                    }
                } else if h.frames == 1 {
                    // (A multi-frame object keeps its spacing in the functional groups, read with its frames.)
                    ood.append("\(PixelGeometry.missingSpacingText) (validated \(range[0])–\(range[1]) mm): sizes in mm cannot be given")
                }
            }
            if let pi = use.photometricInterpretation, h.modality == "CT", pi != "MONOCHROME2" {
                ood.append("photometric interpretation differs from the validated \(pi)")
            }
            if h.bodyPart.isEmpty { ood.append("Body Part Examined is missing; assumed \(use.bodyPart)") }
            if !e.isVolumetric, !e.isMultiSequence, let views = use.views, !views.isEmpty {
                let unknown = Set(series.instances.map { Self.view($0) }).filter { !views.contains($0) }.sorted()
                if !unknown.isEmpty {
                    ood.append("view \(unknown.map { $0.isEmpty ? "(none)" : $0 }.joined(separator: ", ")) is not among the validated \(views.joined(separator: ", "))")
                }
            }
            return (e, ood)
        }
    }

    /// View Position without laterality ("LCC" → "CC").
    static func view(_ h: InstanceHeader) -> String {
        var v = h.viewPosition.uppercased()
        if v.count > 2, let c = v.first, c == "L" || c == "R" { v.removeFirst() }
        return v
    }
}
