/// The model that produced a finding, as its card identifies it: what every finding, run, decision
/// and export names, so a result can always be traced to the exact weights (the sha256).
public struct ModelIdentity: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var version: String
    public var sha256: String
    public init(id: String, version: String, sha256: String) { self.id = id; self.version = version; self.sha256 = sha256 }

    /// `id` is required; a document from another writer may leave out the version and digest.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id),
                  version: (try? c.decodeIfPresent(String.self, forKey: .version)) ?? "",
                  sha256: (try? c.decodeIfPresent(String.self, forKey: .sha256)) ?? "")
    }

    enum CodingKeys: String, CodingKey { case id, version, sha256 }
}
