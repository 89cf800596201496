/// Parses the element stream of a data set (PS3.5 §7) from a byte buffer into `DataSet` values.
///
/// Every length read from the bytes is checked against the end of the enclosing value before it is
/// used, in `Int` arithmetic that cannot overflow (lengths are at most 2³²−1 and offsets fit in `Int`),
/// so malformed input always ends in a thrown `DICOMError.malformed` naming the offset, never a trap.
struct DataSetParser {
    let buffer: DICOMBuffer
    let raw: UnsafeRawBufferPointer
    let bigEndian: Bool
    let stopBeforePixelData: Bool

    /// Deeper nesting than this is refused: no real IOD nests sequences more than a dozen levels, and
    /// recursion must not exhaust a thread's stack on hostile input.
    static let maxDepth = 64

    /// Stops a top-level parse at the first element whose group differs (used for the file meta group).
    var onlyGroup: UInt16? = nil

    /// Keep the top-level elements read before an error instead of throwing (see `DICOMFile.ReadOptions`).
    /// The error is recorded in `diagnostics`.
    var lenient = false
    let diagnostics = ParseDiagnostics()

    init(buffer: DICOMBuffer, raw: UnsafeRawBufferPointer, bigEndian: Bool, stopBeforePixelData: Bool) {
        self.buffer = buffer; self.raw = raw; self.bigEndian = bigEndian
        self.stopBeforePixelData = stopBeforePixelData
    }

    @inline(__always) private func u16(_ at: Int) -> UInt16 { raw.loadUInt16(big: bigEndian, at: at) }
    @inline(__always) private func u32(_ at: Int) -> UInt32 { raw.loadUInt32(big: bigEndian, at: at) }

    private func fail(_ offset: Int, _ reason: String) -> DICOMError {
        .malformed(file: nil, offset: offset, reason: reason)
    }

    /// Parses elements in `start..<end`. With `untilItemDelimiter` the data set is an undefined-length
    /// item and ends at (FFFE,E00D); the returned offset is just past the last byte consumed.
    func parseDataSet(from start: Int, to end: Int, explicitVR: Bool, depth: Int,
                      characterSet inherited: SpecificCharacterSet,
                      untilItemDelimiter: Bool = false) throws -> (DataSet, Int) {
        guard depth <= Self.maxDepth else {
            throw fail(start, "sequences nested more than \(Self.maxDepth) deep")
        }
        var elements: [DataElement] = []
        var characterSet = inherited
        var pos = start
        var sorted = true
        var lastTag: UInt32 = 0
        var delimited = false

        while pos < end {
          do {
            guard end - pos >= 8 else {
                throw fail(pos, "truncated element header (\(end - pos) bytes left, 8 needed)")
            }
            let tag = Tag(u16(pos), u16(pos + 2))
            if let only = onlyGroup, tag.group != only { break }

            if tag.group == 0xFFFE {
                if tag == .itemDelimitation {
                    pos += 8
                    if untilItemDelimiter { delimited = true; break }
                    continue  // A stray delimiter after a defined-length item: tolerated, as DCMTK does.
                }
                if tag == .sequenceDelimitation && !untilItemDelimiter && depth > 0 {
                    pos += 8
                    continue
                }
                throw fail(pos, "unexpected \(tag) outside a sequence")
            }

            let vr: VR
            let length: UInt32
            let valueStart: Int
            if explicitVR {
                vr = VR(raw[pos + 4], raw[pos + 5])
                if vr.hasLongLength {
                    guard end - pos >= 12 else { throw fail(pos, "truncated element header for \(tag)") }
                    length = u32(pos + 8)
                    valueStart = pos + 12
                } else {
                    length = UInt32(u16(pos + 6))
                    valueStart = pos + 8
                }
            } else {
                vr = tag == .pixelData ? .OW : DataDictionary.vr(for: tag)
                length = u32(pos + 4)
                valueStart = pos + 8
            }

            if tag == .pixelData && depth == 0 && stopBeforePixelData {
                diagnostics.reachedPixelData = true
                break
            }

            let element: DataElement
            if length == DataElement.undefinedLength {
                if tag == .pixelData {
                    let (pixels, next) = try parseEncapsulated(from: valueStart, to: end)
                    element = DataElement(tag: tag, vr: vr == .OW ? .OB : vr, offset: pos, length: length, value: .encapsulated(pixels))
                    pos = next
                } else if vr == .SQ || vr == .UN || !explicitVR {
                    // Undefined-length UN is a sequence encoded in implicit VR little endian (PS3.5 §6.2.2).
                    let itemsExplicit = vr == .UN ? false : explicitVR
                    let (items, next) = try parseSequence(from: valueStart, to: end, undefinedLength: true,
                                                          explicitVR: itemsExplicit, depth: depth + 1,
                                                          characterSet: characterSet)
                    element = DataElement(tag: tag, vr: .SQ, offset: pos, length: length, value: .sequence(items))
                    pos = next
                } else {
                    throw fail(pos, "undefined length on \(tag) with VR \(vr.code)")
                }
            } else {
                let len = Int(length)
                guard len <= end - valueStart else {
                    let error = fail(pos, "value length \(len) of \(tag) runs past the end of its container (\(end - valueStart) bytes left)")
                    if lenient && depth == 0 && vr != .SQ {
                        // Keep what there is of the value, as pydicom does; the error says it is short.
                        elements.append(DataElement(tag: tag, vr: vr, offset: pos, length: length, value: .bytes(valueStart ..< end)))
                        diagnostics.error = error
                        pos = end
                        break
                    }
                    throw error
                }
                if vr == .SQ {
                    let (items, _) = try parseSequence(from: valueStart, to: valueStart + len, undefinedLength: false,
                                                       explicitVR: explicitVR, depth: depth + 1,
                                                       characterSet: characterSet)
                    element = DataElement(tag: tag, vr: .SQ, offset: pos, length: length, value: .sequence(items))
                } else if vr == .UN, explicitVR, len >= 8, DataDictionary.vr(for: tag) == .SQ,
                          let items = try? parseSequence(from: valueStart, to: valueStart + len, undefinedLength: false,
                                                         explicitVR: false, depth: depth + 1, characterSet: characterSet).0 {
                    // A sequence re-encoded as UN by a node that did not know it: its content is implicit VR
                    // little endian (PS3.5 §6.2.2 note); read it as the sequence it is, as pydicom and DCMTK do.
                    element = DataElement(tag: tag, vr: .SQ, offset: pos, length: length, value: .sequence(items))
                } else {
                    element = DataElement(tag: tag, vr: vr, offset: pos, length: length,
                                          value: .bytes(valueStart ..< valueStart + len))
                    if tag == .specificCharacterSet {
                        let value = SpecificCharacterSet.decodeASCII(UnsafeRawBufferPointer(rebasing: raw[valueStart ..< valueStart + len]))
                        characterSet = SpecificCharacterSet(rawValue: value)
                    }
                }
                pos = valueStart + len
            }
            if tag.raw <= lastTag { sorted = false }
            lastTag = tag.raw
            elements.append(element)
          } catch let error as DICOMError where lenient && depth == 0 {
            diagnostics.error = error
            break
          }
        }

        if untilItemDelimiter && !delimited {
            throw fail(pos, "undefined-length item has no item delimitation (FFFE,E00D) before the end of data")
        }
        if !sorted { elements.sort { $0.tag < $1.tag } }
        let ds = DataSet(buffer: buffer, elements: elements, byteOrder: bigEndian ? .big : .little,
                         explicitVR: explicitVR, characterSet: characterSet)
        return (ds, pos)
    }

    /// Parses sequence items (PS3.5 §7.5) and returns them with the offset just past the sequence.
    func parseSequence(from start: Int, to end: Int, undefinedLength: Bool, explicitVR: Bool, depth: Int,
                       characterSet: SpecificCharacterSet) throws -> ([DataSet], Int) {
        guard depth <= Self.maxDepth else {
            throw fail(start, "sequences nested more than \(Self.maxDepth) deep")
        }
        var items: [DataSet] = []
        var pos = start
        while true {
            if !undefinedLength && pos >= end { break }
            guard end - pos >= 8 else {
                throw fail(pos, undefinedLength ? "sequence has no sequence delimitation (FFFE,E0DD) before the end of data"
                                                : "truncated item header (\(end - pos) bytes left)")
            }
            let tag = Tag(u16(pos), u16(pos + 2))
            let length = u32(pos + 4)
            if tag == .sequenceDelimitation { pos += 8; break }
            guard tag == .item else { throw fail(pos, "expected an item (FFFE,E000) in a sequence, found \(tag)") }
            let item: DataSet
            if length == DataElement.undefinedLength {
                (item, pos) = try parseDataSet(from: pos + 8, to: end, explicitVR: explicitVR, depth: depth,
                                               characterSet: characterSet, untilItemDelimiter: true)
            } else {
                let len = Int(length)
                guard len <= end - (pos + 8) else {
                    throw fail(pos, "item length \(len) runs past the end of its sequence (\(end - pos - 8) bytes left)")
                }
                (item, _) = try parseDataSet(from: pos + 8, to: pos + 8 + len, explicitVR: explicitVR, depth: depth,
                                             characterSet: characterSet)
                pos += 8 + len
            }
            items.append(item)
        }
        return (items, pos)
    }

    /// Parses encapsulated pixel data (PS3.5 §A.4): the Basic Offset Table item, then fragments.
    func parseEncapsulated(from start: Int, to end: Int) throws -> (EncapsulatedPixelData, Int) {
        var pos = start
        var fragments: [Range<Int>] = []
        var itemOffsets: [Int] = []
        var offsetTable: [UInt64] = []
        var first = true
        while true {
            guard end - pos >= 8 else {
                throw fail(pos, "encapsulated pixel data has no sequence delimitation (FFFE,E0DD) before the end of data")
            }
            let tag = Tag(u16(pos), u16(pos + 2))
            let length = u32(pos + 4)
            if tag == .sequenceDelimitation { pos += 8; break }
            guard tag == .item else { throw fail(pos, "expected a pixel data item (FFFE,E000), found \(tag)") }
            guard length != DataElement.undefinedLength else { throw fail(pos, "pixel data fragment with undefined length") }
            let len = Int(length)
            guard len <= end - (pos + 8) else {
                throw fail(pos, "pixel data fragment length \(len) runs past the end of data (\(end - pos - 8) bytes left)")
            }
            if first {
                guard len % 4 == 0 else { throw fail(pos, "basic offset table length \(len) is not a multiple of 4") }
                offsetTable.reserveCapacity(len / 4)
                for k in stride(from: 0, to: len, by: 4) { offsetTable.append(UInt64(u32(pos + 8 + k))) }
                first = false
            } else {
                fragments.append(pos + 8 ..< pos + 8 + len)
                itemOffsets.append(pos)
            }
            pos += 8 + len
        }
        return (EncapsulatedPixelData(fragments: fragments, basicOffsetTable: offsetTable, fragmentItemOffsets: itemOffsets), pos)
    }
}

/// Where a lenient parse records the error it stopped at, and a header-only parse that it reached
/// the pixel data (so the bytes it was given held the whole header).
final class ParseDiagnostics: @unchecked Sendable {
    /// Written only by the parser that owns it, on one thread.
    var error: DICOMError?
    var reachedPixelData = false
}
