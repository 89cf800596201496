import Foundation

/// A DICOM file: its file meta information (group 0002), its data set, and its transfer syntax.
///
/// Reads PS3.10 files (128-byte preamble + "DICM"), files without a preamble, and bare data sets
/// (whose syntax is inferred from the first element). The file is memory-mapped by default, so a
/// header-only read touches only the pages it parses and pixel data is paged in when decoded.
public struct DICOMFile: Sendable {
    public struct ReadOptions: Sendable {
        /// Stop at (7FE0,0010): reads headers of large files quickly.
        public var stopBeforePixelData: Bool
        /// Map the file instead of reading it into memory.
        public var memoryMapped: Bool
        /// On a malformed or truncated data set, keep the elements read before the fault and report the
        /// fault in `DICOMFile.parseError` instead of throwing. Faults in the file meta group still throw.
        public var lenient: Bool
        public init(stopBeforePixelData: Bool = false, memoryMapped: Bool = true, lenient: Bool = false) {
            self.stopBeforePixelData = stopBeforePixelData
            self.memoryMapped = memoryMapped
            self.lenient = lenient
        }
    }

    /// Where the data came from (a path), used in error messages.
    public let source: String?
    /// File meta information; empty for bare data sets.
    public let meta: DataSet
    public let dataSet: DataSet
    public let transferSyntax: TransferSyntax
    /// The file had the 128-byte preamble and "DICM" prefix.
    public let hasPreamble: Bool
    /// The syntax was inferred from the bytes, because the meta group did not name it or named it wrongly.
    public let transferSyntaxWasInferred: Bool
    /// With `ReadOptions.lenient`: the fault the parse stopped at (the data set holds what came before it).
    public var parseError: DICOMError? = nil
    /// A `stopBeforePixelData` parse stopped at (7FE0,0010): everything before it was in the bytes.
    var reachedPixelData = false

    /// Bytes a header-only read looks at first: most headers (a CT slice's is 2–10 KiB) fit, and
    /// reading less of a 512 KiB slice is cheaper when an index reads thousands.
    static let headBytes = 16 << 10

    /// Reads the file at `url`. Errors name the file and the byte offset.
    public static func read(_ url: URL, options: ReadOptions = .init()) throws -> DICOMFile {
        try read(path: url.path, options: options)
    }

    /// Reads the file at `path` (what an index scanning thousands of files calls: no URL to build).
    public static func read(path: String, options: ReadOptions = .init()) throws -> DICOMFile {
        // Header-only reads look at the first `headBytes` with one read(2): cheaper than mapping the
        // file. The head is enough when the parse reached the pixel data or the file ended; a parse
        // that ran out of bytes (it may end cleanly between two elements, or fault mid-element) reads
        // the whole file again.
        if options.stopBeforePixelData, let (head, complete) = HeadReader.read(path, bytes: headBytes) {
            do {
                let file = try parse(head, source: path, options: options)
                if complete || file.reachedPixelData { return file }
            } catch {
                if complete { throw error }
            }
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: options.memoryMapped ? [.alwaysMapped] : [])
        } catch {
            throw DICOMError.io(file: path, reason: "cannot read: \((error as NSError).localizedDescription)")
        }
        return try parse(data, source: path, options: options)
    }

    /// Parses DICOM bytes already in memory.
    public static func parse(_ data: Data, source: String? = nil, options: ReadOptions = .init()) throws -> DICOMFile {
        do {
            return try parseUnattributed(data, source: source, options: options)
        } catch let error as DICOMError {
            throw source.map { error.attributed(to: $0) } ?? error
        }
    }

    private static func parseUnattributed(_ data: Data, source: String?, options: ReadOptions) throws -> DICOMFile {
        let buffer = DICOMBuffer(data)
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> DICOMFile in
            var pos = 0
            var hasPreamble = false
            if raw.count >= 132, raw[128] == 0x44, raw[129] == 0x49, raw[130] == 0x43, raw[131] == 0x4D {
                pos = 132
                hasPreamble = true
            }

            // File meta information: group 0002, explicit VR little endian (PS3.10 §7.1).
            var meta = DataSet(buffer: buffer, elements: [], byteOrder: .little, explicitVR: true, characterSet: .default)
            if raw.count - pos >= 8, raw.loadUInt16(big: false, at: pos) == 0x0002 {
                var metaParser = DataSetParser(buffer: buffer, raw: raw, bigEndian: false, stopBeforePixelData: false)
                metaParser.onlyGroup = 0x0002
                let explicit = Self.looksLikeExplicitVR(raw, at: pos)
                (meta, pos) = try metaParser.parseDataSet(from: pos, to: raw.count, explicitVR: explicit,
                                                          depth: 0, characterSet: .default)
            } else if hasPreamble {
                // "DICM" with no meta group: tolerated, the syntax is inferred below.
            }

            var inferred = false
            var syntax: TransferSyntax
            if let uid = meta.string(.transferSyntaxUID) {
                syntax = TransferSyntax.lookup(uid)
            } else {
                guard let guess = Self.inferSyntax(raw, at: pos) else {
                    throw DICOMError.malformed(file: nil, offset: pos, reason: "not a DICOM file: no DICM prefix, no file meta group, and no recognisable data set")
                }
                syntax = guess
                inferred = true
            }

            var deflatedError: DICOMError?
            if syntax.deflated {
                let inflated = try Inflater.inflateRaw(UnsafeRawBufferPointer(rebasing: raw[pos...]), offset: pos)
                let inner = DICOMBuffer(inflated)
                let ds = try inflated.withUnsafeBytes { body -> DataSet in
                    var parser = DataSetParser(buffer: inner, raw: body, bigEndian: false,
                                               stopBeforePixelData: options.stopBeforePixelData)
                    parser.lenient = options.lenient
                    defer { deflatedError = parser.diagnostics.error }
                    return try parser.parseDataSet(from: 0, to: body.count, explicitVR: true, depth: 0, characterSet: .default).0
                }
                return DICOMFile(source: source, meta: meta, dataSet: ds, transferSyntax: syntax,
                                 hasPreamble: hasPreamble, transferSyntaxWasInferred: inferred,
                                 parseError: deflatedError.map { source.map($0.attributed(to:)) ?? $0 })
            }

            // Writers sometimes declare explicit VR and write implicit (or the reverse): trust the bytes,
            // as pydicom and DCMTK do.
            var explicitVR = syntax.explicitVR
            if raw.count - pos >= 8 {
                let bytesSayExplicit = Self.looksLikeExplicitVR(raw, at: pos)
                if explicitVR != bytesSayExplicit && syntax.byteOrder == .little {
                    explicitVR = bytesSayExplicit
                    inferred = true
                }
            }
            var parser = DataSetParser(buffer: buffer, raw: raw, bigEndian: syntax.byteOrder == .big,
                                       stopBeforePixelData: options.stopBeforePixelData)
            parser.lenient = options.lenient
            let (ds, _) = try parser.parseDataSet(from: pos, to: raw.count, explicitVR: explicitVR, depth: 0,
                                                  characterSet: .default)
            if explicitVR != syntax.explicitVR {
                // Keep the declared syntax's pixel encoding; only the VR encoding was wrong.
                syntax = TransferSyntax(uid: syntax.uid, name: syntax.name, explicitVR: explicitVR, byteOrder: .little,
                                        deflated: false, encapsulated: syntax.encapsulated, lossy: syntax.lossy)
            }
            return DICOMFile(source: source, meta: meta, dataSet: ds, transferSyntax: syntax,
                             hasPreamble: hasPreamble, transferSyntaxWasInferred: inferred,
                             parseError: parser.diagnostics.error.map { source.map($0.attributed(to:)) ?? $0 },
                             reachedPixelData: parser.diagnostics.reachedPixelData)
        }
    }

    /// True when the two bytes after the tag at `pos` are a VR code we know.
    static func looksLikeExplicitVR(_ raw: UnsafeRawBufferPointer, at pos: Int) -> Bool {
        guard raw.count - pos >= 6 else { return false }
        if case .unknown = VR(raw[pos + 4], raw[pos + 5]) { return false }
        return true
    }

    /// Infers the syntax of a bare data set from its first element.
    static func inferSyntax(_ raw: UnsafeRawBufferPointer, at pos: Int) -> TransferSyntax? {
        guard raw.count - pos >= 8 else { return nil }
        let groupLE = raw.loadUInt16(big: false, at: pos)
        let groupBE = raw.loadUInt16(big: true, at: pos)
        let explicit = looksLikeExplicitVR(raw, at: pos)
        // Data sets start with a low group (0002, 0008, …); the plausible byte order is the one that
        // reads a small group number.
        if groupLE != 0 && groupLE <= 0x00FF || groupLE == 0 && groupBE == 0 {
            return explicit ? .explicitVRLittleEndian : .implicitVRLittleEndian
        }
        if groupBE <= 0x00FF && explicit { return .explicitVRBigEndian }
        return nil
    }
}
