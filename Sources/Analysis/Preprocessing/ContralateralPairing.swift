import Foundation
import Imaging

/// Which image of a mammography series is "the same view of the other breast" for each image, and
/// whether it must be mirrored to line up with it.
///
/// Radiologists read a screening mammogram by comparing the breasts: RCC beside LCC, RMLO beside
/// LMLO. A model whose card declares `preprocessing.contralateral_channel` sees each view with
/// that partner as a second channel, so an asymmetry (tissue present on one side only) can be
/// told from ordinary fibroglandular tissue.
public enum ContralateralPairing {
    /// Mammography view positions (the ACR abbreviations used in View Position). "LM" and "LMO"
    /// start with an L that is not a laterality.
    static let mammographyViews: Set<String> = ["CC", "MLO", "ML", "LM", "LMO", "XCCL", "XCCM", "FB", "SIO", "AT", "CV"]

    /// The laterality a view belongs to: Image Laterality, else Laterality, else the prefix of a
    /// non-standard view position like "LCC" (a known view after the letter); "" when none says.
    public static func laterality(of header: InstanceHeader) -> String {
        let lat = header.laterality.uppercased()
        if ["L", "R", "B"].contains(lat) { return lat }
        return split(header.viewPosition).laterality
    }

    /// The view position without a laterality prefix ("LCC" → "CC"; "MLO" and "LM" unchanged).
    static func view(of header: InstanceHeader) -> String { split(header.viewPosition).view }

    private static func split(_ viewPosition: String) -> (laterality: String, view: String) {
        let v = viewPosition.uppercased().trimmingCharacters(in: .whitespaces)
        if !mammographyViews.contains(v), let c = v.first, c == "L" || c == "R", mammographyViews.contains(String(v.dropFirst())) {
            return (String(c), String(v.dropFirst()))
        }
        return ("", v)
    }

    /// `headers` grouped for processing: each image with its partner (same view position, the
    /// other laterality; the first such image in series order) right after it, every image once.
    /// Images without a partner form groups of one. Order otherwise follows `headers`.
    public static func groups(_ headers: [InstanceHeader]) -> [[Int]] {
        var used = Set<Int>()
        var out: [[Int]] = []
        for i in headers.indices where !used.contains(i) {
            used.insert(i)
            if let j = partner(of: i, in: headers, excluding: used) {
                used.insert(j)
                out.append([i, j])
            } else {
                out.append([i])
            }
        }
        return out
    }

    /// The index of `headers[i]`'s partner, skipping `excluding`; nil when there is none.
    public static func partner(of i: Int, in headers: [InstanceHeader], excluding: Set<Int> = []) -> Int? {
        let lat = laterality(of: headers[i]), view = view(of: headers[i])
        guard lat == "L" || lat == "R", !view.isEmpty else { return nil }
        let other = lat == "L" ? "R" : "L"
        return headers.indices.first { j in
            j != i && !excluding.contains(j) && laterality(of: headers[j]) == other && Self.view(of: headers[j]) == view
        }
    }

    /// Whether `partner` must be mirrored left-right to line up with `image`: yes, unless both
    /// carry Image Orientation (Patient) and their rows run the same way (then the chest walls are
    /// already on the same edge). Left and right views are conventionally stored mirrored.
    public static func needsMirror(_ image: ProjectionImage, partner: ProjectionImage) -> Bool {
        guard let a = image.imageOrientation, let b = partner.imageOrientation, a.count == 6, b.count == 6 else { return true }
        let dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
        return !(dot > 0.5)
    }

    /// Reverses each row of a row-major `width`-wide image.
    public static func mirrored(_ values: [Float], width: Int) -> [Float] {
        guard width > 1, values.count % width == 0 else { return values }
        var out = values
        for r in 0 ..< values.count / width {
            let base = r * width
            for c in 0 ..< width { out[base + c] = values[base + width - 1 - c] }
        }
        return out
    }
}
