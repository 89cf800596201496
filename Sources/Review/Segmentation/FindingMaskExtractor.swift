import Analysis

/// The AI's mask of each finding, on its source images' pixel grid, from the model-grid heatmaps of
/// an `AnalysisDocument` (brought onto the source pixels by `ModelGridHeatmap.onSourceGrid()`, the
/// same bilinear map the overlay shows):
///
/// - a volume finding (CT, MR: it has a slice range) is the 26-connected component of source voxels
///   with p ≥ 0.5 (the cards' measurement level, what its size and volume were measured on) that
///   holds the strongest voxel of its box on its best slice, across the slices of its series in
///   position order;
/// - a 2-D finding (mammography, radiographs) is the 8-connected region, inside its box, of pixels
///   at or above half the strongest value in the box, that holds that strongest pixel.
///
/// A finding whose image has no heatmap (a model without maps, a reader's mark, an Enhanced
/// multi-frame image) gets no mask. Cost: one source-grid map per image the masks reach (each
/// computed once), and a flood fill over the mask's pixels.
public enum FindingMaskExtractor {
    /// The level a volume finding's component is taken at.
    public static let volumeThreshold: Float = 0.5

    public static func masks(_ document: AnalysisDocument, images: [String: SegmentationSourceImage]) -> [FindingMask] {
        var maps: [String: ModelGridHeatmap] = [:]
        for h in document.heatmaps where h.frameNumber == nil && maps[h.sopInstanceUID] == nil { maps[h.sopInstanceUID] = h }
        var grids = SourceGrids(maps: maps, images: images)
        // Slices of each series that have a map, in position order.
        var stacks: [String: [String]] = [:]
        for (sop, img) in images where maps[sop] != nil { stacks[img.seriesInstanceUID, default: []].append(sop) }
        for (series, sops) in stacks {
            stacks[series] = sops.sorted { a, b in
                let pa = images[a]!.normalPosition ?? Double(images[a]!.instanceNumber)
                let pb = images[b]!.normalPosition ?? Double(images[b]!.instanceNumber)
                return pa != pb ? pa < pb : a < b
            }
        }
        var out: [FindingMask] = []
        for (n, f) in document.findings.enumerated() {
            guard let image = images[f.sopInstanceUID], maps[f.sopInstanceUID] != nil, f.frameNumber == nil,
                  f.bboxPX.count == 4 else { continue }
            let planes: [FindingMask.Plane]
            if f.sliceRange != nil {
                planes = volumeMask(f, image: image, stack: stacks[image.seriesInstanceUID] ?? [], grids: &grids)
            } else {
                planes = imageMask(f, image: image, grids: &grids)
            }
            guard !planes.isEmpty else { continue }
            var mask = FindingMask(findingKey: f.id ?? "\(f.sopInstanceUID):\(n)", label: f.label, probability: f.probability,
                                   model: f.model, planes: planes)
            if let id = f.id, let study = document.studyInstanceUID, !study.isEmpty {
                mask.trackingUID = TrackingUID.of(findingKey: "\(f.model.id):\(id)", studyInstanceUID: study, prior: f.prior)
            }
            out.append(mask)
        }
        return out
    }

    /// The strongest pixel inside the finding's box (clamped to the image) and its value.
    static func seed(_ f: Finding, values: [Float], image: SegmentationSourceImage) -> (index: Int, value: Float)? {
        let b = f.bboxPX
        let x0 = max(0, b[0]), y0 = max(0, b[1])
        let x1 = min(image.columns, b[0] + max(1, b[2])), y1 = min(image.rows, b[1] + max(1, b[3]))
        var best: (Int, Float)?
        for y in y0 ..< max(y0, y1) { for x in x0 ..< max(x0, x1) {
            let i = y * image.columns + x
            if best == nil || values[i] > best!.1 { best = (i, values[i]) }
        } }
        return best
    }

    static func imageMask(_ f: Finding, image: SegmentationSourceImage, grids: inout SourceGrids) -> [FindingMask.Plane] {
        guard let values = grids.values(f.sopInstanceUID), let (start, peak) = seed(f, values: values, image: image),
              peak > 0 else { return [] }
        let floor = peak / 2
        let b = f.bboxPX
        let x0 = max(0, b[0]), y0 = max(0, b[1])
        let x1 = min(image.columns, b[0] + max(1, b[2])), y1 = min(image.rows, b[1] + max(1, b[3]))
        var pixels = [UInt8](repeating: 0, count: image.rows * image.columns)
        pixels[start] = 1
        var stack = [start]
        while let i = stack.popLast() {
            let x = i % image.columns, y = i / image.columns
            for dy in -1 ... 1 { for dx in -1 ... 1 where dx != 0 || dy != 0 {
                let nx = x + dx, ny = y + dy
                guard nx >= x0, ny >= y0, nx < x1, ny < y1 else { continue }
                let n = ny * image.columns + nx
                if pixels[n] == 0 && values[n] >= floor { pixels[n] = 1; stack.append(n) }
            } }
        }
        return [.init(sopInstanceUID: f.sopInstanceUID, pixels: pixels, probabilities: zip(pixels, values).map { $0 == 0 ? 0 : $1 })]
    }

    static func volumeMask(_ f: Finding, image: SegmentationSourceImage, stack sops: [String],
                           grids: inout SourceGrids) -> [FindingMask.Plane] {
        guard let z0 = sops.firstIndex(of: f.sopInstanceUID), let values = grids.values(f.sopInstanceUID),
              let (start, peak) = seed(f, values: values, image: image), peak >= volumeThreshold else { return [] }
        let plane = image.rows * image.columns
        // Only slices on the same grid as the finding's take part.
        var masks: [Int: [UInt8]] = [z0: [UInt8](repeating: 0, count: plane)]
        masks[z0]![start] = 1
        var work = [(z0, start)]
        while let (z, i) = work.popLast() {
            let x = i % image.columns, y = i / image.columns
            for dz in -1 ... 1 {
                let nz = z + dz
                guard nz >= 0, nz < sops.count, let v = grids.values(sops[nz]), v.count == plane else { continue }
                if masks[nz] == nil { masks[nz] = [UInt8](repeating: 0, count: plane) }
                for dy in -1 ... 1 { for dx in -1 ... 1 where dx != 0 || dy != 0 || dz != 0 {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, ny >= 0, nx < image.columns, ny < image.rows else { continue }
                    let n = ny * image.columns + nx
                    if masks[nz]![n] == 0 && v[n] >= volumeThreshold { masks[nz]![n] = 1; work.append((nz, n)) }
                } }
            }
        }
        return masks.keys.sorted().compactMap { z -> FindingMask.Plane? in
            let pixels = masks[z]!
            let p = FindingMask.Plane(sopInstanceUID: sops[z], pixels: pixels,
                                      probabilities: grids.values(sops[z]).map { v in zip(pixels, v).map { $0 == 0 ? 0 : $1 } })
            return p.count > 0 ? p : nil
        }
    }

    /// Source-grid maps, each computed once, kept only for images whose grid matches the map's
    /// declared source size.
    struct SourceGrids {
        var maps: [String: ModelGridHeatmap]
        var images: [String: SegmentationSourceImage]
        var cache: [String: [Float]] = [:]

        mutating func values(_ sop: String) -> [Float]? {
            if let v = cache[sop] { return v }
            guard let h = maps[sop], let img = images[sop], h.sourceColumns == img.columns, h.sourceRows == img.rows else { return nil }
            let v = h.onSourceGrid()
            cache[sop] = v
            return v
        }
    }
}
