import DICOM

/// Reads a Key Object Selection document (ours or another tool's): the title, the Key Object
/// Description, the person observer, and each IMAGE item at the top of the tree with its frames and
/// presentation state. The series of each image comes from the evidence list. Nothing read from the
/// file is trusted: a missing UID skips the item, a malformed frame number is ignored.
public enum KeyObjectSelectionReader {
    public enum ReadError: Error, CustomStringConvertible {
        case notKOS(String)
        public var description: String {
            switch self { case .notKOS(let why): "not a key object selection: \(why)" }
        }
    }

    public static func read(_ file: DICOMFile) throws -> KeyObjectSelection {
        let ds = file.dataSet
        let cls = ds.string(.sopClassUID) ?? file.meta.string(.mediaStorageSOPClassUID) ?? ""
        guard cls == KeyObjectSelectionDocument.sopClassUID else { throw ReadError.notKOS("SOP class \(cls)") }
        guard ds.string(Tag(0x0040, 0xA040)) == "CONTAINER" else { throw ReadError.notKOS("root is not a CONTAINER") }
        let root = SRParsedItem(ds, depthLimit: 8)
        // SOP instance → series, from the evidence lists.
        let seriesOf = SREvidence.seriesBySOP(ds)
        var entries: [KeyObjectSelection.Entry] = []
        for item in ds.sequence(Tag(0x0040, 0xA730)) where item.string(Tag(0x0040, 0xA040)) == "IMAGE" {
            for ref in item.sequence(Tag(0x0008, 0x1199)) {
                guard let sop = ref.string(Tag(0x0008, 0x1155)) else { continue }
                let cls = ref.string(Tag(0x0008, 0x1150)) ?? ""
                let frames = Self.frames(ref)
                let ps = ref.sequence(Tag(0x0008, 0x1199)).first.flatMap { p -> SOPReference? in
                    guard let inst = p.string(Tag(0x0008, 0x1155)) else { return nil }
                    return SOPReference(sopClassUID: p.string(Tag(0x0008, 0x1150)) ?? "", sopInstanceUID: inst,
                                        seriesInstanceUID: seriesOf[inst] ?? "")
                }
                for frame in frames.isEmpty ? [nil] : frames.map(Optional.some) {
                    entries.append(.init(image: SOPReference(sopClassUID: cls, sopInstanceUID: sop, seriesInstanceUID: seriesOf[sop] ?? "",
                                                             frame: frame), presentationState: ps))
                }
            }
        }
        return KeyObjectSelection(sopInstanceUID: ds.string(.sopInstanceUID) ?? "", studyInstanceUID: ds.string(.studyInstanceUID) ?? "",
                                  title: root.concept, note: root.child(KeyObjectCodes.keyObjectDescription)?.text ?? "",
                                  observer: root.child(SRCodes.personObserverName)?.text ?? "", entries: entries)
    }

    /// Referenced Frame Numbers of a reference: positive integers only, at most 65,536 of them.
    static func frames(_ ref: DataSet) -> [Int] {
        ref.doubles(Tag(0x0008, 0x1160)).prefix(65_536).compactMap { d in
            d.isFinite && d >= 1 && d <= Double(Int32.max) && d.rounded() == d ? Int(d) : nil
        }
    }
}
