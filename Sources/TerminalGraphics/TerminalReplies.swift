/// What a terminal answered to the capability queries, parsed from raw reply bytes.
///
/// Recognised: DA1 `CSI ? … c` (attribute 4 = sixel), kitty `APC G i=31;OK ST`, XTVERSION
/// `DCS > | text ST`, XTSMGRAPHICS `CSI ? 1 ; 0 ; n S` (colour registers), `CSI 6 ; h ; w t`
/// (cell size in pixels) and `CSI 4 ; h ; w t` (text area in pixels). Unknown or truncated
/// sequences are ignored; parsing never fails.
public struct TerminalReplies: Equatable, Sendable {
    public var primaryAttributes: [Int]?
    public var kittyGraphics = false
    public var version: String?
    public var sixelRegisters: Int?
    public var cellPixelSize: (width: Int, height: Int)? {
        get { cellSize.map { ($0[0], $0[1]) } }
        set { cellSize = newValue.map { [$0.width, $0.height] } }
    }
    public var textAreaPixels: (width: Int, height: Int)? {
        get { textArea.map { ($0[0], $0[1]) } }
        set { textArea = newValue.map { [$0.width, $0.height] } }
    }
    var cellSize: [Int]?
    var textArea: [Int]?

    public init() {}

    public var sixel: Bool { primaryAttributes?.contains(4) ?? false }
    /// DA1 is the last query sent and every VT100-compatible terminal answers it.
    public var complete: Bool { primaryAttributes != nil }

    public init(parsing bytes: [UInt8]) {
        self.init()
        var i = 0
        let n = bytes.count
        func params(_ s: ArraySlice<UInt8>) -> [Int] {
            s.split(separator: 0x3B, omittingEmptySubsequences: false).map { Int(String(decoding: $0, as: UTF8.self)) ?? 0 }
        }
        while i < n {
            guard bytes[i] == 0x1B, i + 1 < n else { i += 1; continue }
            let kind = bytes[i + 1]
            if kind == 0x5B {   // CSI
                var j = i + 2
                let privateMarker = j < n && (bytes[j] == 0x3F || bytes[j] == 0x3E) ? bytes[j] : 0
                if privateMarker != 0 { j += 1 }
                let start = j
                while j < n && (bytes[j] >= 0x30 && bytes[j] <= 0x3F) { j += 1 }
                guard j < n else { break }
                let p = params(bytes[start..<j])
                switch (privateMarker, bytes[j]) {
                case (0x3F, 0x63): primaryAttributes = Array(p.dropFirst())
                case (0x3F, 0x53): if p.count >= 3 && p[0] == 1 && p[1] == 0 { sixelRegisters = p[2] }
                case (0, 0x74):
                    if p.count >= 3 && p[0] == 6 && p[1] > 0 && p[2] > 0 { cellSize = [p[2], p[1]] }
                    if p.count >= 3 && p[0] == 4 && p[1] > 0 && p[2] > 0 { textArea = [p[2], p[1]] }
                default: break
                }
                i = j + 1
            } else if kind == 0x5F || kind == 0x50 {   // APC or DCS, up to ST
                var j = i + 2
                while j + 1 < n && !(bytes[j] == 0x1B && bytes[j + 1] == 0x5C) { j += 1 }
                let body = String(decoding: bytes[(i + 2)..<min(j, n)], as: UTF8.self)
                if kind == 0x5F, body.hasPrefix("G"), body.contains("i=31"), body.hasSuffix(";OK") { kittyGraphics = true }
                if kind == 0x50, body.hasPrefix(">|") { version = TextSanitizer.sanitize(String(body.dropFirst(2))) }
                i = j + 2
            } else {
                i += 1
            }
        }
    }

    public static func == (a: TerminalReplies, b: TerminalReplies) -> Bool {
        a.primaryAttributes == b.primaryAttributes && a.kittyGraphics == b.kittyGraphics && a.version == b.version
            && a.sixelRegisters == b.sixelRegisters && a.cellSize == b.cellSize && a.textArea == b.textArea
    }
}
