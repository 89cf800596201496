import Foundation
import Imaging

/// Findings from a probability volume registered to a CT `Volume` (same grid): connected components
/// above a threshold, measured in millimetres and placed in patient coordinates.
public struct VolumeFindingExtractor: Sendable {
    public enum Kind: Sendable { case lungNodule, haemorrhage }

    public var kind: Kind
    public var threshold: Float
    /// Components smaller than this (mL) are discarded as noise.
    public var minimumVolumeML: Double
    public var model: Finding.ModelReference
    public var ood: Bool
    /// For the Brock model; nil means the patient data do not allow it.
    public var patient: BrockModel.Patient?

    public init(kind: Kind, threshold: Float, minimumVolumeML: Double = 0.005, model: Finding.ModelReference,
                ood: Bool = false, patient: BrockModel.Patient? = nil) {
        self.kind = kind; self.threshold = threshold; self.minimumVolumeML = minimumVolumeML
        self.model = model; self.ood = ood; self.patient = patient
    }

    public func findings(volume: Volume, probabilities: [Float]) -> [Finding] {
        precondition(probabilities.count == volume.voxels.count, "heatmap is not on the volume's grid")
        let sp = volume.spacing
        let voxelML = sp.column * sp.row * sp.slice / 1000
        let comps = ComponentLabeler.components(probabilities, columns: volume.columns, rows: volume.rows,
                                                slices: volume.slices, threshold: threshold,
                                                minimumVoxels: max(1, Int((minimumVolumeML / voxelML).rounded(.up))))
        let plane = volume.columns * volume.rows
        return comps.map { c in
            // The slice with the largest cross-section is where the finding is "seen best".
            var bySlice: [Int: [(x: Int, y: Int)]] = [:]
            for v in c.voxels { bySlice[v / plane, default: []].append((v % volume.columns, (v % plane) / volume.columns)) }
            let (bestZ, bestPoints) = bySlice.max { $0.value.count < $1.value.count || ($0.value.count == $1.value.count && $0.key > $1.key) }!
            let (long, short) = InPlaneDiameters.measure(bestPoints, columnSpacing: sp.column, rowSpacing: sp.row)
            let cx = Double(bestPoints.reduce(0) { $0 + $1.x }) / Double(bestPoints.count)
            let cy = Double(bestPoints.reduce(0) { $0 + $1.y }) / Double(bestPoints.count)
            let xs = bestPoints.map(\.x), ys = bestPoints.map(\.y)
            let volumeML = Double(c.voxels.count) * voxelML
            var f = Finding(label: kind == .lungNodule ? "nodule" : "haemorrhage", probability: Double(c.maxProbability),
                            risk: .intermediate, centerMM: volume.patientPosition(column: cx, row: cy, slice: Double(bestZ)),
                            diameterMM: long, sopInstanceUID: volume.sopInstanceUIDs[bestZ], centerPX: [cx, cy],
                            bboxPX: [xs.min()!, ys.min()!, xs.max()! - xs.min()! + 1, ys.max()! - ys.min()! + 1],
                            ood: ood, model: model)
            f.shortDiameterMM = short
            f.volumeML = volumeML
            f.sliceRange = [c.bounds.z.lowerBound, c.bounds.z.upperBound]
            switch kind {
            case .lungNodule:
                let meanHU = c.voxels.reduce(0.0) { $0 + Double(volume.voxels[$1]) } / Double(c.voxels.count)
                let solidVoxels = c.voxels.filter { volume.voxels[$0] > -300 }.count
                let type: LungRADS.NoduleType = meanHU < -500 && solidVoxels * 10 < c.voxels.count ? .groundGlass
                    : solidVoxels * 10 < c.voxels.count * 8 ? .partSolid : .solid
                // Solid component size: the diameter of a sphere of the solid voxels' volume.
                let solidMM = 2 * cbrt(3 * Double(solidVoxels) * voxelML * 1000 / (4 * Double.pi))
                let category = LungRADS.category(type: type, meanDiameterMM: (long + short) / 2, solidComponentMM: solidMM)
                f.label = type == .solid ? "solid nodule" : type == .partSolid ? "part-solid nodule" : "ground-glass nodule"
                f.category = category.rawValue
                f.risk = category.risk
                if let patient {
                    // Upper lobe is approximated by the upper half of the scanned lung range (documented).
                    let upper = Double(bestZ) >= Double(volume.slices) / 2
                    f.malignancyProbability = BrockModel.probability(
                        patient: patient,
                        nodule: .init(diameterMM: long, type: type, upperLobe: upper, spiculated: false, count: comps.count))
                }
            case .haemorrhage:
                var areas = [Double](repeating: 0, count: volume.slices)
                for (z, pts) in bySlice { areas[z] = Double(pts.count) * sp.column * sp.row }
                f.volumeABC2ML = HaemorrhageVolume.abcOver2(a: long, b: short, sliceAreas: areas, sliceThicknessMM: sp.slice)
                f.risk = volumeML >= 30 ? .critical : .high
            }
            return f
        }
    }
}

private func cbrt(_ x: Double) -> Double { x <= 0 ? 0 : pow(x, 1.0 / 3.0) }
