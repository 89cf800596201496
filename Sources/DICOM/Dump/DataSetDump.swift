/// A dcmdump-style listing: one line per element, `(GGGG,EEEE) VR value  # length, keyword`,
/// sequence items indented. The caller sanitises lines before they reach a terminal.
public enum DataSetDump {
    public static func lines(_ ds: DataSet, indent: Int = 0) -> [String] {
        var out: [String] = []
        append(ds, indent: indent, to: &out)
        return out
    }

    public static func lines(_ file: DICOMFile) -> [String] {
        var out = ["# Dicom-File-Format", "", "# Dicom-Meta-Information-Header",
                   "# Used TransferSyntax: \(file.transferSyntax.name)"]
        append(file.meta, indent: 0, to: &out)
        out += ["", "# Dicom-Data-Set", "# Used TransferSyntax: \(file.transferSyntax.name)"
                    + (file.transferSyntaxWasInferred ? " (inferred from the bytes)" : "")]
        append(file.dataSet, indent: 0, to: &out)
        return out
    }

    private static func append(_ ds: DataSet, indent: Int, to out: inout [String]) {
        let pad = String(repeating: "  ", count: indent)
        for e in ds.elements {
            let value = ElementValueFormatter.format(e, in: ds)
            let length = e.length == DataElement.undefinedLength ? "u/l" : String(e.length)
            let head = "\(pad)\(e.tag) \(e.vr.code) \(value)"
            let padded = head.count < 56 ? head + String(repeating: " ", count: 56 - head.count) : head
            out.append("\(padded) # \(length), \(DataDictionary.name(for: e.tag))")
            if let items = e.items {
                for (k, item) in items.enumerated() {
                    out.append("\(pad)  (FFFE,E000) na (Item #\(k + 1) with \(item.count) elements)")
                    append(item, indent: indent + 2, to: &out)
                    out.append("\(pad)  (FFFE,E00D) na (ItemDelimitationItem)")
                }
                out.append("\(pad)(FFFE,E0DD) na (SequenceDelimitationItem)")
            }
        }
    }
}
