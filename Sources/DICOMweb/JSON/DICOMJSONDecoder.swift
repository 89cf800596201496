import DICOM
import Foundation

/// DICOM JSON (PS3.18 §F.2) → `DICOMJSONObject`s: the counterpart of the DICOM module's encoder, for
/// QIDO-RS results and WADO-RS metadata. Tolerant where servers differ (numbers sent as strings, IS/DS as
/// numbers), strict where the structure is wrong (a tag that is not 8 hex digits, a value that is not an array).
public enum DICOMJSONDecoder {
    /// Nesting deeper than this is refused (a hostile server cannot recurse us off the stack).
    static let maximumDepth = 32

    /// Decodes a top-level JSON array of data sets.
    public static func decodeArray(_ data: Data) throws -> [DICOMJSONObject] {
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: data) } catch {
            throw DICOMwebError.invalidResponse("not JSON: \(error.localizedDescription)")
        }
        guard let array = json as? [Any] else { throw DICOMwebError.invalidResponse("DICOM JSON must be an array of objects") }
        return try array.enumerated().map { i, o in
            guard let dict = o as? [String: Any] else { throw DICOMwebError.invalidResponse("entry \(i) is not an object") }
            return try object(dict, depth: 0)
        }
    }

    static func object(_ dict: [String: Any], depth: Int) throws -> DICOMJSONObject {
        guard depth <= maximumDepth else { throw DICOMwebError.invalidResponse("sequences nested deeper than \(maximumDepth)") }
        var result = DICOMJSONObject()
        for (key, raw) in dict {
            guard key.count == 8, let tagValue = UInt32(key, radix: 16) else {
                throw DICOMwebError.invalidResponse("\"\(key.prefix(20))\" is not a tag")
            }
            guard let e = raw as? [String: Any] else { throw DICOMwebError.invalidResponse("element \(key) is not an object") }
            let vr = e["vr"] as? String ?? "UN"
            var element = DICOMJSONElement(vr: vr, values: [], bulkDataURI: e["BulkDataURI"] as? String,
                                           inlineBinary: e["InlineBinary"] as? String)
            if let values = e["Value"] {
                guard let array = values as? [Any] else { throw DICOMwebError.invalidResponse("element \(key) Value is not an array") }
                element.values = try array.map { try value($0, vr: vr, tag: key, depth: depth) }
            }
            result.elements[Tag(raw: tagValue)] = element
        }
        return result
    }

    private static func value(_ v: Any, vr: String, tag: String, depth: Int) throws -> DICOMJSONValue {
        if v is NSNull { return .null }
        if vr == "SQ" {
            guard let d = v as? [String: Any] else { throw DICOMwebError.invalidResponse("sequence \(tag) item is not an object") }
            return .item(try object(d, depth: depth + 1))
        }
        if vr == "PN", let d = v as? [String: Any] {
            return .personName(alphabetic: d["Alphabetic"] as? String ?? "", ideographic: d["Ideographic"] as? String,
                               phonetic: d["Phonetic"] as? String)
        }
        if let s = v as? String { return .string(s) }
        if let n = v as? NSNumber { return .number(n.doubleValue) }
        throw DICOMwebError.invalidResponse("element \(tag) has a value of an unexpected JSON type")
    }
}
