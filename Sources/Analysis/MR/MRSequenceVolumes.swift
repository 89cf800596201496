import Foundation
import Imaging

/// The stacks of an MR study as volumes, one per sequence kind: what a multi-sequence model (the
/// stroke model reads DWI b1000, ADC and FLAIR together) needs from a study.
///
/// Every MR series with pixel data is decoded (`SeriesLoader.frames`), split into stacks
/// (`FrameStacks`: a DWI series holding b = 0 and b = 1000 becomes two stacks) and each stack's
/// sequence identified from its acquisition attributes (`MRSequenceKind`, never the description).
/// When a study holds several stacks of one kind, the one with the most slices wins (a repeat
/// acquisition or a localiser is the smaller one).
public struct MRSequenceVolumes: Sendable {
    /// One stack as a volume in stored modality values, ordered along its normal.
    public struct Stack: Sendable {
        public var kind: MRSequenceKind
        public var seriesInstanceUID: String
        public var volume: Volume
        /// Each slice's 1-based frame number within its SOP instance (for Enhanced objects, whose
        /// frames share one SOP Instance UID); nil for classic single-frame images.
        public var frameNumbers: [Int]?
    }

    public var stacks: [MRSequenceKind: Stack]

    /// Why a study cannot be read as the sequences a model needs.
    public enum Problem: Error, CustomStringConvertible, Equatable {
        case missing([MRSequenceKind])
        case unusable(MRSequenceKind, String)
        public var description: String {
            switch self {
            case let .missing(kinds): "the study has no \(kinds.map(\.displayName).joined(separator: ", ")) series"
            case let .unusable(kind, why): "the \(kind.displayName) stack cannot be read as a volume: \(why)"
            }
        }
    }

    /// The stacks of every MR series in `seriesList` (a study's series) whose kind is in `kinds`.
    public static func load(_ seriesList: [StudyIndex.Series], kinds: Set<MRSequenceKind>) -> (volumes: MRSequenceVolumes, warnings: [String]) {
        var best: [MRSequenceKind: Stack] = [:]
        var warnings: [String] = []
        for series in seriesList where series.first.modality.uppercased() == "MR" && series.first.hasPixelData {
            let loaded = SeriesLoader.frames(of: series.instances)
            warnings += loaded.failures.map { "skipped unreadable image \($0)" }
            var attributes = loaded.frames.map(\.attributes)
            for i in attributes.indices { attributes[i].index = i }
            for stack in FrameStacks.split(attributes) where stack.frames.count >= 3 {
                guard let first = stack.frames.first else { continue }
                let kind = MRSequenceKind.identify(attributes[first])
                guard kinds.contains(kind), (best[kind]?.volume.slices ?? 0) < stack.frames.count else { continue }
                do {
                    best[kind] = try volume(of: stack.frames.map { loaded.frames[$0] }, kind: kind, series: series.seriesInstanceUID)
                } catch {
                    warnings.append(Problem.unusable(kind, "\(error)").description)
                }
            }
        }
        return (MRSequenceVolumes(stacks: best), warnings)
    }

    /// The stacks `kinds` asks for, or which are missing.
    public func require(_ kinds: [MRSequenceKind]) throws -> [Stack] {
        let missing = kinds.filter { stacks[$0] == nil }
        guard missing.isEmpty else { throw Problem.missing(missing) }
        return kinds.compactMap { stacks[$0] }
    }

    /// A volume from frames of one stack, already in reading order (`FrameStacks` sorts along the
    /// normal). Frames must share a size and an orientation; spacing between slices is the median
    /// step of their positions.
    static func volume(of frames: [SeriesLoader.LoadedFrame], kind: MRSequenceKind, series: String) throws -> Stack {
        guard let first = frames.first?.frame else { throw SeriesLoader.Problem.noImages }
        guard frames.allSatisfy({ $0.frame.width == first.width && $0.frame.height == first.height && !$0.frame.isColor }) else {
            throw SeriesLoader.Problem.mixedSizes
        }
        let o = first.orientation
        let row = Array(o[0 ..< 3]), column = Array(o[3 ..< 6])
        let normal = [row[1] * column[2] - row[2] * column[1], row[2] * column[0] - row[0] * column[2],
                      row[0] * column[1] - row[1] * column[0]]
        let positions = frames.map { f -> Double in
            let p = f.frame.position
            return p.count == 3 ? normal[0] * p[0] + normal[1] * p[1] + normal[2] * p[2] : .nan
        }
        guard positions.allSatisfy(\.isFinite), let step = SeriesLoader.medianStep(positions) else {
            throw VolumeProblem(description: "its frames have no usable Image Position (Patient)")
        }
        let (total, overflow) = (first.width * first.height).multipliedReportingOverflow(by: frames.count)
        guard !overflow, total <= 1 << 28 else { throw SeriesLoader.Problem.tooLarge(columns: first.width, rows: first.height, slices: frames.count) }
        var voxels = [Float]()
        voxels.reserveCapacity(total)
        for f in frames { voxels += f.frame.values }
        let geometry = first.geometry
        let volume = try Volume(columns: first.width, rows: first.height, slices: frames.count, voxels: voxels,
                                spacing: (column: geometry.columnSpacingMM ?? 1, row: geometry.rowSpacingMM ?? 1, slice: step),
                                origin: first.position, rowDirection: row, columnDirection: column, sliceDirection: normal,
                                sopInstanceUIDs: frames.map(\.frame.sopUID))
        let multiFrame = Set(frames.map(\.frame.sopUID)).count < frames.count
        return Stack(kind: kind, seriesInstanceUID: series, volume: volume,
                     frameNumbers: multiFrame ? frames.map { $0.frame.frameIndex + 1 } : nil)
    }

    struct VolumeProblem: Error, CustomStringConvertible { let description: String }
}

extension MRSequenceKind {
    /// How a reader names the sequence ("DWI b1000", "ADC", "FLAIR").
    public var displayName: String {
        switch self {
        case .dwi: "DWI (high b-value)"
        case .dwiB0: "DWI b0"
        default: rawValue
        }
    }
}
