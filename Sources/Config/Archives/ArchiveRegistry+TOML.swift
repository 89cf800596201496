import DICOMweb
import Foundation

/// Reading the archives of `config.toml` into an `ArchiveRegistry`:
///
///     [archives.pacs]
///     base_url = "https://pacs.example.org/dicom-web"
///     username = "reader"        # with password: HTTP basic auth
///     password = "…"
///     # token = "…"              # or a bearer token instead
///     verify_tls = true          # default
///     store_results = true       # on sign-off, STOW the SR and SEG of a study read from here (default false)
///
/// The file is shared with the workstation's settings, so only malformed lines in `[archives.*]`
/// tables are errors here; the others are the workstation's to report. Errors are
/// `DICOMwebError.configuration` with the file and line.
extension ArchiveRegistry {
    /// Loads the registry from `path` (default: `ConfigLocation.defaultPath()`); a missing file is
    /// an empty registry.
    public static func load(path: String? = nil) throws -> ArchiveRegistry {
        let p = path ?? ConfigLocation.defaultPath()
        guard FileManager.default.fileExists(atPath: p) else { return ArchiveRegistry(archives: [:]) }
        let text: String
        do { text = try ConfigFile.text(at: p) } catch { throw DICOMwebError.configuration("\(error)") }
        return try parse(text, source: p)
    }

    public static func parse(_ text: String, source: String = "config.toml") throws -> ArchiveRegistry {
        do {
            return try ArchiveRegistry(document: TOMLParser.parseLeniently(text, source: source))
        } catch let error as ConfigError {
            throw DICOMwebError.configuration("\(error)")
        }
    }

    /// The `[archives.NAME]` tables of `document`.
    public init(document t: TOMLDocument) throws {
        let prefix = "archives."
        if let problem = t.problems(inTables: { $0.hasPrefix(prefix) }).first { throw problem }
        var archives: [String: ArchiveConfiguration] = [:]
        for table in t.tableNames(withPrefix: prefix) {
            let name = String(table.dropFirst(prefix.count))
            guard !name.contains(".") else { throw t.error("archive names use letters, digits, _ and -", in: table) }
            guard let base = t.value("base_url", in: table) else { throw t.error("[\(table)] has no base_url", in: table) }
            var config: ArchiveConfiguration
            do { config = try ArchiveConfiguration.fromURL(base) } catch { throw t.error("[\(table)] \(error)", key: "base_url", in: table) }
            config.name = name
            if let token = t.value("token", in: table), !token.isEmpty {
                config.credentials = .bearer(token: token)
            } else if let user = t.value("username", in: table) {
                config.credentials = .basic(username: user, password: t.value("password", in: table) ?? "")
            }
            if let v = t.value("verify_tls", in: table) {
                guard v == "true" || v == "false" else {
                    throw t.error("[\(table)] verify_tls must be true or false", key: "verify_tls", in: table)
                }
                config.verifyTLS = v == "true"
            }
            if let v = t.value("store_results", in: table) {
                guard v == "true" || v == "false" else {
                    throw t.error("[\(table)] store_results must be true or false", key: "store_results", in: table)
                }
                config.storeResults = v == "true"
            }
            archives[name] = config
        }
        self.init(archives: archives)
    }
}
