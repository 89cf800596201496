import Foundation
import LightboxConfig
import Review

/// How the workstation is started (`lightbox`, `lightbox open PATH…`).
public struct WorkstationOptions: Sendable {
    public var paths: [String]
    public var databasePath: String
    public var reader: String
    public var deidentify = false
    /// `--protocol` (auto, blocks, sextants, sixel, kitty, iterm, ascii); nil: detect.
    public var graphics: String?
    public var themesDirectory: String?
    public var configPath: String?
    public var themeName: String?
    public var findingsSource: any FindingsSource = SidecarFindingsSource()
    /// `--second-reader` (blinded first read) or `--arbitrate` (third reader on the discordance queue).
    public var workflow: Workflow = .standard
    /// `lightbox teach`: the session to run (the paths are then the cases' folders).
    public var teaching: TeachingSession?
    /// `lightbox teach --order/--seed`, recorded with the session.
    public var teachingOrder = "fixed"
    public var teachingSeed: Int?
    /// Rescan the folders this often (seconds) for studies that arrive while open; nil: scan once.
    public var watchInterval: Double?
    /// Archives that want results back (`store_results = true`) and the local folders their studies
    /// are copied into: on sign-off, such a study's SR and SEG go to its archive through the outbox.
    public var resultsDestinations: [ResultsDestination] = []
    /// Where unsent results wait (default `$XDG_DATA_HOME/lightbox/outbox`).
    public var outbox = ResultsOutbox.standard()
    /// The models folder, for the SEG of a study analysed by the models rather than an analysis.json.
    public var modelsFolder: String?

    public init(paths: [String], databasePath: String? = nil, reader: String? = nil) {
        let env = ProcessInfo.processInfo.environment
        self.paths = paths
        self.databasePath = ReviewStoreChoice.location(explicit: databasePath, environment: env)
        self.reader = reader ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "reader"
        themesDirectory = Self.locate("Themes")
        configPath = ConfigLocation.defaultPath(environment: env)
    }


    /// A bundled folder (`Models`, `Themes`, `SampleStudies`), found the same way by every command:
    /// `ResourceLocator`'s order.
    public static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        ResourceLocator(environment: environment).locate(name)?.path
    }
}
