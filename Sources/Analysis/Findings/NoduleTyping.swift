import Foundation

/// Lung nodule type from the attenuation inside the nodule, the way Lung-RADS defines the types:
/// solid (soft-tissue attenuation throughout), part-solid (ground glass with a solid core) and
/// ground glass (no solid component).
///
/// Rule (documented in docs/ANALYSIS_JSON.md): a voxel is solid when it is ≥ −300 HU (midway
/// between ground glass, about −550 HU, and soft tissue, about +40 HU). The solid-core fraction is
/// solid voxels / nodule voxels, the nodule being the model's component (p ≥ 0.5). Then:
/// fraction ≥ 0.5 → solid; otherwise a solid core whose equivalent-sphere diameter is ≥ 2 mm →
/// part-solid; otherwise ground glass.
public enum NoduleTyping {
    public static let solidHU: Float = -300
    public static let solidFractionForSolid = 0.5
    public static let minimumCoreMM = 2.0

    public struct Result: Sendable, Equatable {
        public var type: LungRADS.NoduleType
        public var solidFraction: Double
        /// Equivalent-sphere diameter of the solid voxels (mm).
        public var solidCoreMM: Double
    }

    /// `hu`: the attenuation of the nodule's voxels; `voxelML`: one voxel's volume in mL.
    public static func classify(hu: [Float], voxelML: Double) -> Result {
        guard !hu.isEmpty else { return Result(type: .solid, solidFraction: 0, solidCoreMM: 0) }
        let solid = hu.filter { $0 >= solidHU }.count
        let fraction = Double(solid) / Double(hu.count)
        let coreMM = sphereDiameterMM(volumeML: Double(solid) * voxelML)
        let type: LungRADS.NoduleType = fraction >= solidFractionForSolid ? .solid : coreMM >= minimumCoreMM ? .partSolid : .groundGlass
        return Result(type: type, solidFraction: fraction, solidCoreMM: coreMM)
    }

    /// Diameter (mm) of a sphere of `volumeML` millilitres.
    public static func sphereDiameterMM(volumeML: Double) -> Double {
        volumeML <= 0 ? 0 : 2 * Foundation.pow(3 * volumeML * 1000 / (4 * Double.pi), 1.0 / 3.0)
    }
}
