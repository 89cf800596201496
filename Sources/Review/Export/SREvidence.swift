import DICOM

/// The evidence lists an SR or KOS document carries (Current Requested Procedure Evidence and
/// Pertinent Other Evidence): which series each referenced instance belongs to.
enum SREvidence {
    static func seriesBySOP(_ ds: DataSet) -> [String: String] {
        var seriesOf: [String: String] = [:]
        for tag in [Tag(0x0040, 0xA375), Tag(0x0040, 0xA385)] {
            for study in ds.sequence(tag) {
                for series in study.sequence(Tag(0x0008, 0x1115)) {
                    let s = series.string(.seriesInstanceUID) ?? ""
                    for ref in series.sequence(Tag(0x0008, 0x1199)) {
                        if let sop = ref.string(Tag(0x0008, 0x1155)) { seriesOf[sop] = s }
                    }
                }
            }
        }
        return seriesOf
    }
}
