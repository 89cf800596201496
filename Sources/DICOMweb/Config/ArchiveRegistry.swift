import Foundation

/// The archives configured in `$XDG_CONFIG_HOME/lightbox/config.toml` (else `~/.config/lightbox/config.toml`):
///
///     [archives.pacs]
///     base_url = "https://pacs.example.org/dicom-web"
///     username = "reader"        # with password: HTTP basic auth
///     password = "…"
///     # token = "…"              # or a bearer token instead
///     verify_tls = true          # default
public struct ArchiveRegistry: Sendable {
    public var archives: [String: ArchiveConfiguration]

    public init(archives: [String: ArchiveConfiguration]) { self.archives = archives }

    public static func defaultConfigPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("lightbox/config.toml")
    }

    /// Loads the registry; a missing file is an empty registry.
    public static func load(path: String? = nil) throws -> ArchiveRegistry {
        let p = path ?? defaultConfigPath()
        guard FileManager.default.fileExists(atPath: p) else { return ArchiveRegistry(archives: [:]) }
        guard let text = try? String(contentsOfFile: p, encoding: .utf8) else {
            throw DICOMwebError.configuration("cannot read \(p)")
        }
        return try parse(text)
    }

    public static func parse(_ text: String) throws -> ArchiveRegistry {
        let tables: [String: [String: String]]
        do { tables = try ArchiveTOML.parse(text) } catch { throw DICOMwebError.configuration("\(error)") }
        var archives: [String: ArchiveConfiguration] = [:]
        for (table, keys) in tables where table.hasPrefix("archives.") {
            let name = String(table.dropFirst("archives.".count))
            guard let base = keys["base_url"] else {
                throw DICOMwebError.configuration("[archives.\(name)] has no base_url")
            }
            var config = try ArchiveConfiguration.fromURL(base)
            config.name = name
            if let token = keys["token"], !token.isEmpty {
                config.credentials = .bearer(token: token)
            } else if let user = keys["username"] {
                config.credentials = .basic(username: user, password: keys["password"] ?? "")
            }
            if let v = keys["verify_tls"] {
                guard v == "true" || v == "false" else {
                    throw DICOMwebError.configuration("[archives.\(name)] verify_tls must be true or false")
                }
                config.verifyTLS = v == "true"
            }
            archives[name] = config
        }
        return ArchiveRegistry(archives: archives)
    }

    /// Resolves `dicomweb://NAME` through the registry, or takes an http(s) URL as is.
    public func resolve(_ source: String) throws -> ArchiveConfiguration {
        if source.hasPrefix("dicomweb://") {
            var name = String(source.dropFirst("dicomweb://".count))
            while name.hasSuffix("/") { name.removeLast() }
            guard let config = archives[name] else {
                let known = archives.keys.sorted().joined(separator: ", ")
                throw DICOMwebError.configuration("no archive named \(name) in config.toml" + (known.isEmpty ? " (no [archives.*] tables)" : " (known: \(known))"))
            }
            return config
        }
        return try ArchiveConfiguration.fromURL(source)
    }

    /// True for strings `resolve` handles rather than local paths.
    public static func isRemote(_ source: String) -> Bool {
        let s = source.lowercased()
        return s.hasPrefix("dicomweb://") || s.hasPrefix("http://") || s.hasPrefix("https://")
    }
}
