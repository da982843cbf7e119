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
    /// A tree walked at one directory, met at another (`directory`, "dir/sub/") in `commit`:
    /// its blobs sit there too. Expanded for the blobs with findings only (`AliasedPlaces`).
    struct TreeAlias {
        var tree: ObjectID
        var directory: String
        var commit: Int32
    }
    /// In walk order: a tree's earliest place at a directory comes first.
    var aliases: [TreeAlias] = []
    /// Blobs in HEAD's tree.
    var headBlobs: Set<ObjectID> = []
    /// Blobs in no walked tree, scanned with `--all-objects`; their occurrences have no commit.
    var loose: [ObjectID] = []

    /// Adds a path (the walker names each path once) and returns its index in `paths`.
    mutating func addPath(_ path: String) -> Int32 {
        paths.append(path)
        return Int32(paths.count - 1)
    }

    /// Records an introduction; returns true when the blob was never seen before.
    mutating func introduce(blob: ObjectID, commit: Int, path: Int32) -> Bool {
        let introduction = Introduction(commit: Int32(commit), path: path)
        var isNew = false
        introductions[blob, default: { isNew = true; return [] }()].append(introduction)
        return isNew
    }
}
