import DICOM
import Foundation

/// One value of a DICOM JSON element (PS3.18 §F.2).
public enum DICOMJSONValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    /// PN: the alphabetic group, with the ideographic and phonetic ones if present.
    case personName(alphabetic: String, ideographic: String?, phonetic: String?)
    case item(DICOMJSONObject)
    case null
}

public struct DICOMJSONElement: Sendable, Equatable {
    public var vr: String
    public var values: [DICOMJSONValue]
    /// BulkDataURI or InlineBinary (base64) when the value is not inline.
    public var bulkDataURI: String?
    public var inlineBinary: String?
}

/// A data set as DICOM JSON describes it: tag → element.
public struct DICOMJSONObject: Sendable, Equatable {
    public var elements: [Tag: DICOMJSONElement]

    public init(elements: [Tag: DICOMJSONElement] = [:]) { self.elements = elements }

    public subscript(tag: Tag) -> DICOMJSONElement? { elements[tag] }

    /// The first value as text: strings as is, numbers formatted, person names by their alphabetic group.
    public func string(_ tag: Tag) -> String? { strings(tag).first }

    public func strings(_ tag: Tag) -> [String] {
        (elements[tag]?.values ?? []).compactMap { v in
            switch v {
            case .string(let s): return s
            case .number(let d): return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            case .personName(let a, _, _): return a
            case .item, .null: return nil
            }
        }
    }

    public func int(_ tag: Tag) -> Int? {
        guard let v = elements[tag]?.values.first else { return nil }
        switch v {
        case .number(let d): return d.isFinite && abs(d) < 1e15 ? Int(d) : nil
        case .string(let s): return Int(s.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    public func items(_ tag: Tag) -> [DICOMJSONObject] {
        (elements[tag]?.values ?? []).compactMap { if case .item(let o) = $0 { return o } else { return nil } }
    }
}
