import Imaging

/// The viewer's mammography hanging: Imaging's `MammographyHanging` (layout and mirroring rule)
/// applied to the workstation's frames.
enum HangingProtocol {
    typealias Side = MammographyHanging.Side
    typealias View = MammographyHanging.View
    static let mammography = MammographyHanging.views

    /// Whether `frame` must be flipped so its chest wall faces the centre (grey frames only).
    static func needsMirror(_ frame: StackFrame, side: Side) -> Bool {
        MammographyHanging.needsMirror(values: frame.values, width: frame.width, height: frame.height,
                                       monochrome1: frame.monochrome1, side: side)
    }
}
