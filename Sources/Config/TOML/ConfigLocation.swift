import Foundation

/// Where `config.toml` lives when no `--config` is given.
public enum ConfigLocation {
    /// `$XDG_CONFIG_HOME/lightbox/config.toml`, else `~/.config/lightbox/config.toml`.
    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let base = env["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? NSHomeDirectory()) as NSString).appendingPathComponent(".config")
        return (base as NSString).appendingPathComponent("lightbox/config.toml")
    }
}
