/// The images this process keeps in a kitty terminal, least recently used first, so that a slice
/// already uploaded is placed again instead of sent again, and kitty's memory stays bounded.
///
/// Keys are the caller's (a hash of the source pixels, overlays and cell box: the same slice at
/// the same window and size gives the same key). Each key gets a fresh image id; ids are never
/// derived from the hash, so two different images can never share an id. Ids start at a random
/// point in the 24-bit space that a placeholder's foreground colour can carry, so two Lightbox
/// instances in panes of one kitty window (they share its image ids) do not collide in practice.
///
/// The bound is on decoded pixel bytes as kitty stores them (4 per pixel), 128 MiB by default:
/// well inside kitty's own per-screen quota (320 MB), past which kitty would evict images itself
/// and placeholders would show nothing. Inserting evicts least recently used entries; the caller
/// deletes their ids in the terminal (`a=d,d=I`). Lookups and inserts are O(n) in the entries
/// (a few dozen), negligible beside encoding one image.
public struct KittyImageStore: Sendable {
    public struct Entry: Hashable, Sendable {
        public var id: UInt32
        public var layout: ImageLayout
        public var bytes: Int
    }

    public static let maxID: UInt32 = 0xFF_FFFF
    public let byteBudget: Int
    private var entries: [Int: Entry] = [:]
    private var order: [Int] = []
    private var nextID: UInt32
    public private(set) var storedBytes = 0

    public init(byteBudget: Int = 128 << 20, firstID: UInt32 = UInt32.random(in: 1 ... KittyImageStore.maxID)) {
        self.byteBudget = byteBudget
        nextID = min(max(1, firstID), Self.maxID)
    }

    public var count: Int { entries.count }
    public var ids: [UInt32] { order.compactMap { entries[$0]?.id } }

    /// The entry for `key`, now the most recently used; nil when it is not in the terminal.
    public mutating func lookup(_ key: Int) -> Entry? {
        guard let entry = entries[key] else { return nil }
        if let i = order.firstIndex(of: key) { order.remove(at: i) }
        order.append(key)
        return entry
    }

    /// Records a new upload of `bytes` decoded bytes for `key`; returns its id and the ids
    /// evicted to stay within the budget (the new entry itself is always kept).
    public mutating func insert(_ key: Int, layout: ImageLayout, bytes: Int) -> (id: UInt32, evicted: [UInt32]) {
        var evicted: [UInt32] = []
        if let old = entries.removeValue(forKey: key) {
            storedBytes -= old.bytes; order.removeAll { $0 == key }; evicted.append(old.id)
        }
        while storedBytes + bytes > byteBudget, !order.isEmpty {
            let victim = order.removeFirst()
            if let e = entries.removeValue(forKey: victim) { storedBytes -= e.bytes; evicted.append(e.id) }
        }
        let live = Set(entries.values.map(\.id))
        var id = nextID
        while live.contains(id) { id = id >= Self.maxID ? 1 : id + 1 }
        nextID = id >= Self.maxID ? 1 : id + 1
        entries[key] = Entry(id: id, layout: layout, bytes: bytes)
        order.append(key)
        storedBytes += bytes
        return (id, evicted)
    }

    /// Forgets everything (after a resize or reattach, when the terminal may be another one);
    /// returns the ids to delete.
    public mutating func removeAll() -> [UInt32] {
        let all = ids
        entries = [:]; order = []; storedBytes = 0
        return all
    }
}
