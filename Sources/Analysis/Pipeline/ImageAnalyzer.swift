import Foundation
import Inference
import Parallel

/// Runs a 2-D heatmap model (mammography view, chest radiograph) on one image exactly as its card
/// prescribes: MONOCHROME1 inverted (when the card says so), area-averaged to the model's input
/// size (torch `adaptive_avg_pool2d` semantics, as in training), then percentile-normalised over
/// the whole image, and, if the card gives them, mean/std applied. A card with a
/// `contralateral_channel` (mammography) takes a second channel: the same view of the other
/// breast, prepared the same way and mirrored to line up (`ContralateralPairing`), or the view
/// itself when there is no such image.
public struct ImageAnalyzer {
    public let model: Model
    public let card: ModelCard
    public let details: CardDetails
    /// The output kept as `Output.features` (the content detector's features), if any.
    public let featureOutput: String?

    public init(model: Model, card: ModelCard, details: CardDetails, featureOutput: String? = nil) {
        self.model = model; self.card = card; self.details = details; self.featureOutput = featureOutput
    }

    /// The model's outputs for one image: the heatmap on the model grid and the image-level score.
    public struct Output: Sendable {
        public var heatmap: ModelGridHeatmap
        /// The card's `scores` output (e.g. probability of malignancy in the view), when it has one.
        public var score: Double?
        /// The `featureOutput` values, when one was asked for and the model has it.
        public var features: [Float]? = nil
        /// The model's normalised input for the image itself (channel 0), on the model grid.
        public var input: [Float] = []
    }

    /// The model input (1 × 1 × h × w) for `image`.
    public func input(for image: ProjectionImage) throws -> [Float] {
        try Self.input(for: image, card: card, details: details)
    }

    static func input(for image: ProjectionImage, card: ModelCard, details: CardDetails) throws -> [Float] {
        let size = card.preprocessing.resampleSize
        guard size.count == 2, size[0] > 0, size[1] > 0 else { throw VolumeAnalyzer.Problem.card("resample_size must be [rows, columns]") }
        let (h, w) = (size[0], size[1])
        guard h <= 4096, w <= 4096 else { throw VolumeAnalyzer.Problem.card("resample_size is too large") }
        var values = image.values
        if image.photometricInterpretation == "MONOCHROME1" && details.invertMonochrome1 {
            let top = Float((1 << min(max(image.bitsStored, 1), 24)) - 1)
            values = values.map { top - $0 }
        }
        let resized = details.areaResample
            ? ImageResampling.areaAverage(values, width: image.columns, height: image.rows, toWidth: w, toHeight: h)
            : ImageResampling.bilinear(values, width: image.columns, height: image.rows, toWidth: w, toHeight: h)
        var x: [Float]
        if let p = card.preprocessing.percentileNormalization, p.count == 2 {
            x = ImageResampling.percentileNormalised(resized, low: p[0], high: p[1])
        } else {
            throw VolumeAnalyzer.Problem.card("a 2-D model needs percentile_normalization")
        }
        let mean = card.preprocessing.mean?.first ?? 0, std = card.preprocessing.std?.first ?? 1
        if mean != 0 || std != 1 { x = x.map { ($0 - mean) / (std == 0 ? 1 : std) } }
        return x
    }

    /// `input(for:)` of each image, on all cores. A mammogram's input is also its partner's second
    /// channel, so a series' inputs are made once each, before the model runs (serially, each
    /// made twice, they were a third of a four-view analysis). An image whose input cannot be made
    /// is left out; `run` then makes it itself and reports why.
    public func inputs(for images: [Int: ProjectionImage]) -> [Int: [Float]] {
        let keyed = Array(images)
        var made = [[Float]?](repeating: nil, count: keyed.count)
        made.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf  // each index written by one iteration
            let (card, details) = (card, details)
            Parallel.perform(iterations: keyed.count) { k in buf[k] = try? Self.input(for: keyed[k].value, card: card, details: details) }
        }
        var out: [Int: [Float]] = [:]
        for (k, (i, _)) in keyed.enumerated() { out[i] = made[k] }
        return out
    }

    /// The model input (1 × channels × h × w) for `image`, with `contralateral` as the second
    /// channel when the card asks for one (nil: the view repeats). `prepared` holds `input(for:)`
    /// of either image when already made (`inputs(for:)`).
    public func input(for image: ProjectionImage, contralateral: ProjectionImage?,
                      prepared: (own: [Float]?, contralateral: [Float]?) = (nil, nil)) throws -> [Float] {
        let channels = card.preprocessing.channels ?? 1
        let x = try prepared.own ?? input(for: image)
        switch (channels, details.contralateralChannel) {
        case (1, false):
            return x
        case (2, true):
            guard let other = contralateral else { return x + x }
            let y = try prepared.contralateral ?? input(for: other)
            let width = card.preprocessing.resampleSize[1]
            return x + (ContralateralPairing.needsMirror(image, partner: other) ? ContralateralPairing.mirrored(y, width: width) : y)
        default:
            throw VolumeAnalyzer.Problem.card("a 2-D model takes one channel, or two with a contralateral_channel; the card says \(channels)"
                                              + (details.contralateralChannel ? " with a contralateral channel" : ""))
        }
    }

    /// Runs the model on `image` (and, for a card with a contralateral channel, the same view of
    /// the other breast when the series has one).
    public func run(_ image: ProjectionImage, contralateral: ProjectionImage? = nil,
                    prepared: (own: [Float]?, contralateral: [Float]?) = (nil, nil), isCancelled: () -> Bool = { false }) throws -> Output {
        guard let heatName = card.outputs.heatmap else { throw VolumeAnalyzer.Problem.card("no heatmap output declared") }
        guard let inputName = model.inputs.first?.name else { throw VolumeAnalyzer.Problem.card("the model has no input") }
        let size = card.preprocessing.resampleSize
        let x = try input(for: image, contralateral: contralateral, prepared: prepared)
        let channels = x.count / max(size[0] * size[1], 1)
        let result = try model.runSync([inputName: Tensor(shape: [1, channels, size[0], size[1]], floats: x)], isCancelled: isCancelled)
        guard let heat = result[heatName], heat.floats.count == size[0] * size[1] else {
            throw VolumeAnalyzer.Problem.card("output '\(heatName)' is missing or not \(size[0])×\(size[1])")
        }
        let score = card.outputs.scores.flatMap { result[$0]?.floats.first }.map(Double.init)
        return Output(heatmap: ModelGridHeatmap(sopInstanceUID: image.sopInstanceUID, width: size[1], height: size[0],
                                                values: heat.floats, sourceColumns: image.columns, sourceRows: image.rows),
                      score: score, features: featureOutput.flatMap { result[$0]?.floats },
                      input: Array(x.prefix(size[0] * size[1])))
    }
}
