import Foundation

/// A rigid transform of patient space, `p' = R · p + t` (R a rotation, mm). Built from three angles
/// in degrees about x, y and z, applied in that order (R = Rz · Ry · Rx).
public struct RigidTransform: Sendable, Equatable {
    /// Row-major 3×3.
    public var rotation: [Double]
    public var translation: [Double]

    public static let identity = RigidTransform(rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: [0, 0, 0])

    public init(rotation: [Double], translation: [Double]) {
        self.rotation = rotation; self.translation = translation
    }

    /// From angles (degrees, about x, y, z) and a translation.
    public init(anglesDeg a: [Double], translation: [Double]) {
        let (x, y, z) = (a[0] * .pi / 180, a[1] * .pi / 180, a[2] * .pi / 180)
        let (cx, sx, cy, sy, cz, sz) = (cos(x), sin(x), cos(y), sin(y), cos(z), sin(z))
        // Rz · Ry · Rx
        rotation = [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx,
                    sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx,
                    -sy, cy * sx, cy * cx]
        self.translation = translation
    }

    /// From a 4×4 (or 3×4) row-major homogeneous matrix.
    public init(matrix m: [[Double]]) {
        rotation = [m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]]
        translation = [m[0][3], m[1][3], m[2][3]]
    }

    /// A rotation by `anglesDeg` about `center`, then a shift by `shift`: p' = R (p − c) + c + shift.
    public init(anglesDeg: [Double], about center: [Double], shift: [Double]) {
        let r = RigidTransform(anglesDeg: anglesDeg, translation: [0, 0, 0])
        let rc = r.apply(center)
        self.init(rotation: r.rotation, translation: (0 ..< 3).map { center[$0] - rc[$0] + shift[$0] })
    }

    @inline(__always)
    public func apply(_ p: [Double]) -> [Double] {
        let r = rotation
        return [r[0] * p[0] + r[1] * p[1] + r[2] * p[2] + translation[0],
                r[3] * p[0] + r[4] * p[1] + r[5] * p[2] + translation[1],
                r[6] * p[0] + r[7] * p[1] + r[8] * p[2] + translation[2]]
    }

    public var inverse: RigidTransform {
        let r = rotation
        let rt = [r[0], r[3], r[6], r[1], r[4], r[7], r[2], r[5], r[8]]
        let t = translation
        return RigidTransform(rotation: rt, translation: [-(rt[0] * t[0] + rt[1] * t[1] + rt[2] * t[2]),
                                                          -(rt[3] * t[0] + rt[4] * t[1] + rt[5] * t[2]),
                                                          -(rt[6] * t[0] + rt[7] * t[1] + rt[8] * t[2])])
    }

    /// Angles (degrees) about x, y, z with R = Rz · Ry · Rx.
    public var rotationDeg: [Double] {
        let r = rotation
        let y = asin(max(-1, min(1, -r[6])))
        let x = atan2(r[7], r[8]), z = atan2(r[3], r[0])
        return [x, y, z].map { $0 * 180 / .pi }
    }

    /// 4×4 row-major.
    public var homogeneous: [[Double]] {
        [[rotation[0], rotation[1], rotation[2], translation[0]],
         [rotation[3], rotation[4], rotation[5], translation[1]],
         [rotation[6], rotation[7], rotation[8], translation[2]],
         [0, 0, 0, 1]]
    }
}
