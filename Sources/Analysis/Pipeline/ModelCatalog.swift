import Foundation
import Imaging
import Inference

/// The models installed in a folder (Models/ by default), and which of them fit a series.
///
/// A model fits when its card's intended modality and body part match the series. An input outside
/// the card's validated pixel-spacing range still fits, but is marked out of distribution.
public struct ModelCatalog: Sendable {
    public struct Entry: Sendable {
        public let card: ModelCard
        public let url: URL
        /// The card's sha256 matches the .onnx file.
        public let verified: Bool
    }

    public let entries: [Entry]

    public init(folder: URL) throws {
        entries = try ModelCard.list(in: folder).map { Entry(card: $0.card, url: $0.model, verified: $0.verified) }
    }

    /// Entries whose intended use matches `series`, with whether the series is out of distribution.
    public func applicable(to series: StudyIndex.Series) -> [(entry: Entry, ood: [String])] {
        let h = series.first
        return entries.compactMap { e in
            let use = e.card.intendedUse
            guard use.modality.uppercased() == h.modality.uppercased(),
                  use.bodyPart.uppercased() == h.bodyPart.uppercased() || h.bodyPart.isEmpty else { return nil }
            var ood: [String] = []
            if let range = use.pixelSpacingRange, range.count == 2, let spacing = h.pixelSpacing.first,
               !(range[0] ... range[1]).contains(spacing) {
                ood.append("pixel spacing \(spacing) mm is outside the validated \(range[0])–\(range[1]) mm")
            }
            if let pi = use.photometricInterpretation, h.modality == "CT", pi != "MONOCHROME2" {
                ood.append("photometric interpretation differs from the validated \(pi)")
            }
            if h.bodyPart.isEmpty { ood.append("Body Part Examined is missing; assumed \(use.bodyPart)") }
            return (e, ood)
        }
    }
}
