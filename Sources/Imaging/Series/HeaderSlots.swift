/// One header slot per scanned file (disjoint slots may be filled from different threads), filled at most once each and emptied by moving the headers
/// out. A header is ~25 reference-counted fields: every copy retains (and later releases) all of
/// them, which at archive scale costs more than decoding. Here headers are decoded straight into
/// their slot and moved, never copied; reading a field (`self[i].studyInstanceUID`) goes through
/// the pointer's address and retains only that field.
final class HeaderSlots {
    let count: Int
    private let base: UnsafeMutablePointer<InstanceHeader>
    /// A pointer, not an array: two threads fill disjoint slots at once (`StudyIndexDatabase.match`).
    private let filled: UnsafeMutablePointer<Bool>

    init(count: Int) {
        self.count = count
        base = .allocate(capacity: max(count, 1))
        filled = .allocate(capacity: max(count, 1))
        filled.initialize(repeating: false, count: max(count, 1))
    }

    /// Copies `headers` into slots 0..<count (for callers that keep their array).
    convenience init(copying headers: [InstanceHeader]) {
        self.init(count: headers.count)
        headers.withUnsafeBufferPointer { base.initialize(from: $0.baseAddress!, count: $0.count) }
        for i in 0 ..< count { filled[i] = true }
    }

    deinit {
        for i in 0 ..< count where filled[i] { (base + i).deinitialize(count: 1) }
        base.deallocate()
        filled.deallocate()
    }

    func isFilled(_ i: Int) -> Bool { filled[i] }

    /// Puts `header` in slot `i` (replacing what was there).
    func put(_ i: Int, _ header: __owned InstanceHeader) {
        if filled[i] { (base + i).deinitialize(count: 1) }
        (base + i).initialize(to: header)
        filled[i] = true
    }

    /// The header in filled slot `i`, in place.
    subscript(i: Int) -> InstanceHeader {
        unsafeAddress {
            precondition(filled[i], "empty header slot")
            return UnsafePointer(base + i)
        }
    }

    /// Moves the header out of filled slot `i`, leaving it empty.
    func take(_ i: Int) -> InstanceHeader {
        precondition(filled[i], "empty header slot")
        filled[i] = false
        return (base + i).move()
    }
}
