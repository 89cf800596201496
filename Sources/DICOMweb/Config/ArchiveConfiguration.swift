import Foundation

/// One configured archive: `[archives.NAME]` in config.toml, or a URL given on the command line.
public struct ArchiveConfiguration: Sendable, Equatable, CustomStringConvertible {
    public enum Credentials: Sendable, Equatable {
        case none
        case basic(username: String, password: String)
        case bearer(token: String)
    }

    public var name: String
    /// The DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web (no trailing slash, no user info).
    public var baseURL: URL
    public var credentials: Credentials
    public var verifyTLS: Bool
    /// `store_results = true`: on sign-off, the workstation sends the study's SR and SEG back here
    /// (STOW-RS, through the results outbox).
    public var storeResults = false

    public init(name: String, baseURL: URL, credentials: Credentials = .none, verifyTLS: Bool = true) {
        self.name = name
        self.baseURL = baseURL
        self.credentials = credentials
        self.verifyTLS = verifyTLS
    }

    /// Never shows secrets: the kind of credentials only.
    public var description: String {
        let auth: String
        switch credentials {
        case .none: auth = "no credentials"
        case .basic(let user, _): auth = "basic auth as \(user)"
        case .bearer: auth = "bearer token"
        }
        return "\(name) (\(baseURL.absoluteString), \(auth)\(verifyTLS ? "" : ", TLS verification off"))"
    }

    /// The value of the Authorization header, or nil.
    var authorizationHeader: String? {
        switch credentials {
        case .none: return nil
        case let .basic(user, password): return "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
        case let .bearer(token): return "Bearer " + token
        }
    }

    /// A URL typed by the user: `http(s)://[user:password@]host[:port]/path`. User info is moved into the
    /// credentials so it never reappears in messages.
    public static func fromURL(_ text: String) throws -> ArchiveConfiguration {
        guard var c = URLComponents(string: text), let scheme = c.scheme?.lowercased(), scheme == "http" || scheme == "https",
              c.host?.isEmpty == false else {
            throw DICOMwebError.configuration("not an http(s) URL: \(redacted(text))")
        }
        var credentials = Credentials.none
        if let user = c.user {
            credentials = .basic(username: user.removingPercentEncoding ?? user,
                                 password: (c.password?.removingPercentEncoding ?? c.password) ?? "")
        }
        c.user = nil
        c.password = nil
        while c.path.hasSuffix("/") { c.path.removeLast() }
        guard let url = c.url else { throw DICOMwebError.configuration("not a usable URL: \(redacted(text))") }
        return ArchiveConfiguration(name: c.host ?? "archive", baseURL: url, credentials: credentials)
    }

    /// `text` with any `user:password@` removed, for messages.
    public static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let rest = text[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return text }
        return String(text[..<schemeEnd.upperBound]) + "…@" + String(rest[rest.index(after: at)...])
    }
}
