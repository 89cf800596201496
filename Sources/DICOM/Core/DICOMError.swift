/// Errors from reading DICOM. Every parse error names the file (when there is one) and the byte offset.
public enum DICOMError: Error, CustomStringConvertible, Sendable {
    /// The bytes do not form a valid data set at `offset`.
    case malformed(file: String?, offset: Int, reason: String)
    /// The file could not be opened or read.
    case io(file: String, reason: String)
    /// The data set parses, but its pixel data cannot be decoded (codec missing, attributes inconsistent).
    case pixelData(file: String?, reason: String)
    /// The transfer syntax is not one this reader can parse or decode.
    case unsupportedTransferSyntax(uid: String, name: String, file: String?)

    public var description: String {
        switch self {
        case let .malformed(file, offset, reason):
            "\(file ?? "<data>"): malformed DICOM at offset \(offset): \(reason)"
        case let .io(file, reason):
            "\(file): \(reason)"
        case let .pixelData(file, reason):
            "\(file ?? "<data>"): cannot decode pixel data: \(reason)"
        case let .unsupportedTransferSyntax(uid, name, file):
            "\(file ?? "<data>"): pixel data in transfer syntax \(name) (\(uid)) is not supported"
        }
    }

    /// The same error, attributed to `file` (parsers below the file layer do not know its name).
    func attributed(to file: String) -> DICOMError {
        switch self {
        case let .malformed(nil, offset, reason): .malformed(file: file, offset: offset, reason: reason)
        case let .pixelData(nil, reason): .pixelData(file: file, reason: reason)
        case let .unsupportedTransferSyntax(uid, name, nil): .unsupportedTransferSyntax(uid: uid, name: name, file: file)
        default: self
        }
    }
}
