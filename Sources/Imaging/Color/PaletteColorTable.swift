import DICOM

/// PALETTE COLOR lookup tables (PS3.3 C.7.6.3.1.5 and C.7.9): one LUT per channel.
public struct PaletteColorTable: Sendable {
    public let red: LookupTable, green: LookupTable, blue: LookupTable

    public init(_ ds: DataSet) throws {
        func table(_ descriptor: Tag, _ data: Tag, _ segmented: Tag, _ name: String) throws -> LookupTable {
            let d = ds.doubles(descriptor)
            guard d.count == 3 else { throw DICOMError.pixelData(file: nil, reason: "\(name) Palette Color LUT Descriptor is missing") }
            let count = d[0] == 0 ? 65_536 : Int(d[0])
            let bits = Int(d[2]) == 8 ? 8 : 16
            guard let range = ds[data]?.byteRange else {
                if ds[segmented] != nil {
                    throw DICOMError.pixelData(file: nil, reason: "segmented palette colour LUTs are not supported")
                }
                throw DICOMError.pixelData(file: nil, reason: "\(name) Palette Color LUT Data is missing")
            }
            let big = ds.byteOrder == .big
            let entries: [Int] = ds.buffer.withBytes(range) { raw in
                if bits == 8 && raw.count == count { return raw.map(Int.init) }
                return (0 ..< min(count, raw.count / 2)).map {
                    Int(raw.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self).byteOrdered(big: big))
                }
            }
            guard entries.count == count else {
                throw DICOMError.pixelData(file: nil, reason: "\(name) Palette Color LUT has \(entries.count) entries; the descriptor says \(count)")
            }
            return LookupTable(firstMapped: Int(d[1]), bitsPerEntry: bits, entries: entries)
        }
        red = try table(.redPaletteColorLookupTableDescriptor, .redPaletteColorLookupTableData, .segmentedRedPaletteColorLookupTableData, "Red")
        green = try table(.greenPaletteColorLookupTableDescriptor, .greenPaletteColorLookupTableData, .segmentedGreenPaletteColorLookupTableData, "Green")
        blue = try table(.bluePaletteColorLookupTableDescriptor, .bluePaletteColorLookupTableData, .segmentedBluePaletteColorLookupTableData, "Blue")
    }

    /// Maps indices to 8-bit RGB.
    public func apply(_ indices: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: indices.count * 3)
        for (k, lut) in [red, green, blue].enumerated() {
            let scale = 255 / Float(lut.maximumOutput)
            for i in 0 ..< indices.count { out[3 * i + k] = ColorConversion.clamp(lut.lookup(indices[i]) * scale) }
        }
        return out
    }
}
