import DICOMweb

/// Where a signed study's results go: studies whose files lie under `folder` (the local copy of an
/// archive the workstation opened) go back to `archive`, when its config says `store_results = true`.
public struct ResultsDestination: Sendable {
    public var folder: String
    public var archive: ArchiveConfiguration
    public init(folder: String, archive: ArchiveConfiguration) { self.folder = folder; self.archive = archive }

    /// The destination of a study whose files include `paths`, if any.
    public static func find(_ destinations: [ResultsDestination], paths: [String]) -> ResultsDestination? {
        destinations.first { d in
            let prefix = d.folder.hasSuffix("/") ? d.folder : d.folder + "/"
            return paths.contains { $0.hasPrefix(prefix) }
        }
    }
}
