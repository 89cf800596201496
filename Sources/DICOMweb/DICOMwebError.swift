import Foundation

/// Everything that can go wrong talking to an archive. Messages name the archive URL (without any
/// credentials) and never include request headers.
public enum DICOMwebError: Error, CustomStringConvertible, Equatable {
    /// The server answered with an error status; `message` is the start of its body, sanitised.
    case http(status: Int, url: String, message: String)
    /// No usable response within the timeout.
    case timedOut(url: String, seconds: Double)
    /// The connection failed or dropped. `partsReceived` complete parts were delivered before it did.
    case connectionFailed(url: String, reason: String, partsReceived: Int)
    case cancelled
    /// The body ended before its closing multipart delimiter: the server stopped or the connection
    /// dropped mid-response. `partsReceived` complete parts were delivered (and kept) before it did.
    case incomplete(url: String, partsReceived: Int)
    /// The multipart/related body could not be parsed.
    case malformedMultipart(String, partsReceived: Int)
    /// The response was not what the request asked for (wrong content type, JSON that is not DICOM JSON).
    case invalidResponse(String)
    /// Configuration problems: unknown archive name, bad URL, unsupported option.
    case configuration(String)

    public var description: String {
        switch self {
        case let .http(status, url, message):
            return "\(url): HTTP \(status)\(message.isEmpty ? "" : ": \(message)")"
        case let .timedOut(url, seconds):
            return "\(url): no response within \(Int(seconds)) s"
        case let .connectionFailed(url, reason, parts):
            return "\(url): connection failed: \(reason)" + (parts > 0 ? " (after \(parts) complete instance(s))" : "")
        case .cancelled:
            return "cancelled"
        case let .incomplete(url, parts):
            return "\(url): the response ended early (server stopped or connection dropped) after \(parts) complete instance(s)"
        case let .malformedMultipart(reason, parts):
            return "malformed multipart response: \(reason)" + (parts > 0 ? " (after \(parts) complete part(s))" : "")
        case let .invalidResponse(s):
            return "invalid response: \(s)"
        case let .configuration(s):
            return s
        }
    }

    /// Worth retrying: transient server states and connection failures before any data was delivered.
    var isTransient: Bool {
        switch self {
        case let .http(status, _, _): return status == 429 || status == 502 || status == 503 || status == 504
        case let .connectionFailed(_, _, parts): return parts == 0
        case .timedOut: return true
        default: return false
        }
    }
}
