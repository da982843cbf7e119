/// Which commits introduced each blob, and at which paths: the attribution side of a history
/// scan, built by `HistoryWalker` while workers scan the blobs.
struct HistoryIndex {
    /// A blob appearing at a path in a commit whose parents did not have it there.
    struct Introduction {
        var commit: Int32
        var path: Int32
    }

    /// Commits in topological order (parents first); an index here is a commit's `order`.
    var commits: [CommitInfo] = []
    var paths: [String] = []
    var introductions: [ObjectID: [Introduction]] = [:]
    /// Blobs in HEAD's tree.
    var headBlobs: Set<ObjectID> = []

    private var pathIDs: [String: Int32] = [:]

    mutating func pathID(_ path: String) -> Int32 {
        if let id = pathIDs[path] { return id }
        let id = Int32(paths.count)
        paths.append(path)
        pathIDs[path] = id
        return id
    }

    /// Records an introduction; returns true when the blob was never seen before.
    mutating func introduce(blob: ObjectID, commit: Int, path: String) -> Bool {
        let introduction = Introduction(commit: Int32(commit), path: pathID(path))
        var isNew = false
        introductions[blob, default: { isNew = true; return [] }()].append(introduction)
        return isNew
    }
}
