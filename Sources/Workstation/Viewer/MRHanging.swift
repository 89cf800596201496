import Imaging

/// How a brain MR study opens: DWI | ADC over FLAIR | T1 in a 2×2 layout, scrolling linked by
/// patient position, so an acute infarct (bright on DWI, dark on ADC, on FLAIR or not yet) is
/// compared across the sequences at the same anatomy.
///
/// Which series is which comes from the acquisition attributes (`MRSequenceKind`, never the
/// Series Description), known once a stack is read; so every series is read at open, and the
/// viewports are placed again as each stack arrives. A series the reader puts in a viewport by hand
/// (the series keys) ends the automatic placement.
enum MRHanging {
    /// The sequences in viewport order (row by row).
    static let order: [MRSequenceKind] = [.dwi, .adc, .flair, .t1]

    /// An MR study of two or more series.
    static func applies(to study: StudyIndex.Study) -> Bool {
        study.modalities == ["MR"] && study.series.count >= 2
    }

    static func start(_ display: inout ViewerDisplay, study: StudyIndex.Study) {
        display.layout = study.series.count == 2 ? .sideBySide : .grid
        display.mrHanging = true
        display.link.scroll = true
        display.activeViewport = 0
    }

    /// Places the series whose sequence is known; the rest fill the free viewports in study order.
    /// A viewport whose stack has just become known starts at its middle slice.
    static func assign(_ display: inout ViewerDisplay, study: StudyIndex.Study, stacks: [String: ImageStack]) {
        let count = display.layout == .sideBySide ? 2 : 4
        let kinds = study.series.map { stacks[$0.seriesInstanceUID]?.sequence }
        var chosen: [Int?] = order.prefix(count).map { kind in kinds.firstIndex { $0 == kind } }
        chosen += [Int?](repeating: nil, count: max(0, count - chosen.count))
        var unused = study.series.indices.filter { !chosen.contains($0) }
        let assigned: [Int] = chosen.map { index in
            if let index { return index }
            return unused.isEmpty ? -1 : unused.removeFirst()
        }
        display.viewportSeries = assigned
        for index in assigned where study.series.indices.contains(index) {
            let uid = study.series[index].seriesInstanceUID
            if display.slices[uid] == nil, let stack = stacks[uid] { display.slices[uid] = stack.frames.count / 2 }
        }
    }
}
