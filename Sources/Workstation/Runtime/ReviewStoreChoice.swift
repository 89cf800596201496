import Foundation
import LightboxConfig
import Review

/// Which review store a command opens, decided the same way by the workstation and every
/// `lightbox review …` command: `--db`, else `$LIGHTBOX_REVIEW_DB`, else `[review] url` in
/// config.toml, else the default SQLite file. The result is a location string for
/// `ReviewStore.open` (a path, `sqlite:PATH` or a `postgresql://` URL); show it with
/// `ReviewLocation.display`, which drops credentials and options.
public enum ReviewStoreChoice {
    public static func location(explicit: String?, configPath: String? = nil,
                                environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let p = env["LIGHTBOX_REVIEW_DB"], !p.isEmpty { return p }
        let config = configPath ?? ConfigLocation.defaultPath(environment: env)
        if let url = ReviewSettings.load(path: config).url { return url }
        return ReviewStore.defaultPath(environment: env)
    }

    /// Opens the chosen store.
    public static func open(explicit: String?, configPath: String? = nil) throws -> ReviewStore {
        try ReviewStore.open(location(explicit: explicit, configPath: configPath))
    }
}
