import Foundation

/// One body part of a multipart/related response.
public struct MultipartPart: Sendable {
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data

    public var contentType: String? { headers["content-type"] }
}

/// The boundary parameter of a `multipart/related; …; boundary=…` content type, or nil.
public func multipartBoundary(fromContentType contentType: String) -> String? {
    guard contentType.lowercased().hasPrefix("multipart/") else { return nil }
    for param in contentType.split(separator: ";").dropFirst() {
        let kv = param.split(separator: "=", maxSplits: 1)
        guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
        var v = kv[1].trimmingCharacters(in: .whitespaces)
        if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
        // RFC 2046: 1–70 characters.
        guard (1 ... 70).contains(v.utf8.count) else { return nil }
        return v
    }
    return nil
}
