/// kitty graphics protocol encoder: base64 pixel data in APC chunks of at most 4096 bytes.
///
/// Every frame is sent as `a=T` with a fixed image id `i` and placement id `p`, placed at the
/// cursor over `c × r` cells with `C=1` (cursor does not move) and `q=2` (no replies). Because
/// the ids are reused, sending the next slice replaces the image data and its placement in place
/// — no delete, no flicker, nothing accumulating in the terminal's image cache — so a scroll
/// step costs exactly one image's data. Data is raw RGB (`f=24`) or RGBA (`f=32`, when the
/// raster has alpha), zlib-compressed (`o=z`) when that is at least a tenth smaller (a CT slice's
/// dark background usually makes it a third or less over SSH), or caller-supplied PNG (`f=100`).
/// The raster is never enlarged by us: kitty
/// scales it into the `c × r` cell box (see ``ImageLayout/pixelsWithoutEnlarging(width:height:pixelAspectRatio:grid:)``).
public struct KittyEncoder: ImageEncoder {
    public var imageID: UInt32
    public var placementID: UInt32
    /// Send raw pixels zlib-compressed (`o=z`) when that is smaller.
    public var compress: Bool
    public static let chunkSize = 4096

    public init(imageID: UInt32 = 1, placementID: UInt32 = 1, compress: Bool = true) {
        self.imageID = max(1, imageID); self.placementID = max(1, placementID); self.compress = compress
    }

    public func layout(width: Int, height: Int, pixelAspectRatio: Double, grid: CellGrid) -> ImageLayout {
        ImageLayout.pixelsWithoutEnlarging(width: width, height: height, pixelAspectRatio: pixelAspectRatio, grid: grid)
    }

    public func encode(raster: RGBImage, layout: ImageLayout) -> [UInt8] {
        let (keys, zlib, payload) = Self.pixelPayload(raster, compress: compress)
        return chunked(control: "a=T,\(keys),i=\(imageID),p=\(placementID),c=\(layout.columns),r=\(layout.rows),C=1,q=2" +
                       (zlib ? ",o=z" : ""), payload: payload)
    }

    /// The control keys that describe `raster`'s pixels (`f`, `s`, `v`) and the payload to send:
    /// zlib-deflated (`zlib`: the caller adds `o=z`) when `compress` and that is at least a tenth
    /// smaller (below that, the terminal's inflate costs more than the bytes saved), raw otherwise.
    static func pixelPayload(_ raster: RGBImage, compress: Bool) -> (keys: String, zlib: Bool, payload: [UInt8]) {
        let keys = "f=\(raster.hasAlpha ? 32 : 24),s=\(raster.width),v=\(raster.height)"
        if compress, let z = Zlib.compress(raster.pixels), z.count < raster.pixels.count - raster.pixels.count / 10 {
            return (keys, true, z)
        }
        return (keys, false, raster.pixels)
    }

    /// Sends an already encoded PNG (e.g. from libpng) over `columns × rows` cells.
    public func encode(png: [UInt8], columns: Int, rows: Int) -> [UInt8] {
        chunked(control: "a=T,f=100,i=\(imageID),p=\(placementID),c=\(columns),r=\(rows),C=1,q=2", payload: png)
    }

    /// Deletes this image and its data (`a=d,d=I`).
    public func deleteSequence() -> [UInt8] {
        Array("\u{1B}_Ga=d,d=I,i=\(imageID),q=2\u{1B}\\".utf8)
    }

    func chunked(control: String, payload: [UInt8]) -> [UInt8] {
        Self.chunks(control: control, payload: payload).flatMap { $0 }
    }

    /// The APC commands that carry `payload` base64-encoded, at most ``chunkSize`` payload bytes
    /// each (`m=1` on all but the last); `control` goes on the first. Kept apart so a tmux
    /// passthrough can wrap each one in its own DCS, far below tmux's input buffer limit.
    static func chunks(control: String, payload: [UInt8]) -> [[UInt8]] {
        let encoded = Base64.encode(payload)
        var out: [[UInt8]] = []
        out.reserveCapacity(encoded.count / Self.chunkSize + 1)
        var offset = 0
        repeat {
            let n = min(Self.chunkSize, encoded.count - offset)
            let more = offset + n < encoded.count
            var chunk: [UInt8] = [0x1B, 0x5F, 0x47]
            chunk.reserveCapacity(n + control.utf8.count + 16)
            if offset == 0 { chunk.append(contentsOf: Array(control.utf8)); chunk.append(0x2C) }
            chunk.append(contentsOf: [0x6D, 0x3D, more ? 0x31 : 0x30, 0x3B])
            chunk.append(contentsOf: encoded[offset..<(offset + n)])
            chunk.append(0x1B); chunk.append(0x5C)
            out.append(chunk)
            offset += n
        } while offset < encoded.count
        return out
    }
}
