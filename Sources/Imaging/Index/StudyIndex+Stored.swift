import Foundation

extension StudyIndex {
    /// The worklist as the study index store last saw it: the studies of every stored header
    /// under `roots`, paged like `scan(_:cache:paging: true)`, without listing a folder or
    /// stat'ing a file. Nil when a root is not a folder (a file or DICOMDIR root is read by the
    /// scan alone), when the store cannot be opened, or when it holds nothing under the roots.
    ///
    /// Why: a warm reopen of an archive of 100,000 files spends most of its time listing and
    /// stat'ing (GNU `find` alone takes about as long), so a worklist opened this way is on the
    /// screen in a fraction of that, while `scan` checks it against the disk. The snapshot can be
    /// stale: files changed, added or removed since the last scan are what that scan's result
    /// corrects (`changedStudies`). A paged series reads its other headers back with a fresh
    /// `stat` of each file (`StoredInstances`), so a study opened before the check finishes shows
    /// its files as they are now. Failures are the scan's to report, not the snapshot's.
    public static func stored(_ roots: [String], store: StudyIndexStore) -> StudyIndex? {
        guard !roots.isEmpty else { return nil }
        let cwd = FileManager.default.currentDirectoryPath
        var scopes: [StudyIndexDatabase.Scope] = []
        for root in roots {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else { return nil }
            let key = ScanPlan.absolute(root, cwd: cwd)
            // Overlapping roots: the outer one covers the inner (the scan keeps a file once).
            scopes.removeAll { $0.key.hasPrefix(key == "/" ? "/" : key + "/") }
            guard !scopes.contains(where: { key == $0.key || key.hasPrefix($0.key == "/" ? "/" : $0.key + "/") }) else { continue }
            var name = Substring(root)
            while name.count > 1, name.hasSuffix("/") { name = name.dropLast() }
            scopes.append(.init(key: key, path: root == key ? key : String(name)))
        }
        guard let database = store.open(), let (tally, rows) = try? database.storedTally(scopes), rows > 0 else { return nil }
        return StudyIndex(studies: studies(of: joining([], tally, store: store)), failures: [], cachedCount: rows, parsedCount: 0)
    }
}
