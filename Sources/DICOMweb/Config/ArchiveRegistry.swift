import Foundation

/// The archives a reader has configured, by name: `dicomweb://NAME` resolves through it.
///
/// A value only: the `LightboxConfig` module reads it from `config.toml`'s `[archives.NAME]`
/// tables (`ArchiveRegistry+TOML.swift` there documents the keys).
public struct ArchiveRegistry: Sendable {
    public var archives: [String: ArchiveConfiguration]

    public init(archives: [String: ArchiveConfiguration]) { self.archives = archives }

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
