/// Walks every commit of a repository in topological order and reports each blob the first
/// time it appears and each new (blob, path) pair, skipping trees it has already walked
/// (Nosey Parker's approach: a tree seen once holds nothing new).
///
/// A directory renamed without other change is a tree already seen, so its files keep the
/// paths where they were first seen.
///
/// A new tree mostly repeats the previous tree walked at the same directory (a commit changes
/// a few entries): entries byte-equal to one there were handled then, so `ChangedEntries`
/// skips them before any hashing or set lookup.
struct HistoryWalker {
    private let repository: Repository
    private var seenTrees = FlatSet<ObjectID>()
    private var seenPlaces = FlatSet<Place>()
    /// Directories and paths are named by (parent directory id, hash of the name): no string
    /// is built or hashed for a name already met, only for a new directory or path.
    private var directoryIDs: [Name: Int32] = [:]
    private var directoryPaths: [String] = [""]     // directory id -> "dir/sub/" (0: the root)
    private var pathIDs: [Name: Int32] = [:]        // -> index of the path in `HistoryIndex.paths`
    private var previousTrees: [[UInt8]] = [[]]     // directory id -> the last tree walked there

    /// A blob under a name in a directory, hashed without building the full path.
    private struct Place: FlatHashable {
        var blob: ObjectID
        var directory: Int32
        var nameHash: UInt64

        /// The blob id's first bytes are random already.
        var flatHash: UInt64 { blob.a ^ (nameHash &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(UInt32(bitPattern: directory)) }
    }

    /// A name inside a directory.
    private struct Name: Hashable {
        var directory: Int32
        var nameHash: UInt64

        func hash(into hasher: inout Hasher) {
            hasher.combine(nameHash ^ (UInt64(UInt32(bitPattern: directory)) &* 0x9E37_79B9_7F4A_7C15))
        }
    }

    /// Trees that could not be read (a damaged object in a pack): skipped, with what went wrong.
    private(set) var unreadableTrees: [(tree: ObjectID, error: Error)] = []

    init(repository: Repository) { self.repository = repository }

    /// Walks the tree of commit `order` and calls `newBlob` for each blob never seen before.
    mutating func walkTree(_ tree: ObjectID, commit order: Int, index: inout HistoryIndex,
                           newBlob: (ObjectID) -> Void) throws {
        try walk(tree, directoryID: 0, commit: order, index: &index, newBlob: newBlob)
    }

    private mutating func walk(_ tree: ObjectID, directoryID: Int32, commit: Int,
                               index: inout HistoryIndex, newBlob: (ObjectID) -> Void) throws {
        guard seenTrees.insert(tree) else { return }
        var subtrees: [(ObjectID, Int32)] = []
        let previous = previousTrees[Int(directoryID)]
        do {
            try repository.withObject(tree) { kind, raw in
                guard kind == .tree else { return }
                previous.withUnsafeBytes { previousRaw in
                    for entry in ChangedEntries(raw, since: previousRaw) {
                        visit(entry, directoryID: directoryID, commit: commit, index: &index,
                              subtrees: &subtrees, newBlob: newBlob)
                    }
                }
                previousTrees[Int(directoryID)] = [UInt8](raw)
            }
        } catch {
            // One damaged tree loses what only it holds; the rest of the history is still scanned.
            unreadableTrees.append((tree, error))
            return
        }
        for (subtree, id) in subtrees {
            try walk(subtree, directoryID: id, commit: commit, index: &index, newBlob: newBlob)
        }
    }

    /// One entry of a tree not seen in the previous tree at its directory.
    private mutating func visit(_ entry: TreeEntries.Entry, directoryID: Int32, commit: Int, index: inout HistoryIndex,
                                subtrees: inout [(ObjectID, Int32)], newBlob: (ObjectID) -> Void) {
        switch entry.kind {
        case .tree:
            if !seenTrees.contains(entry.id) {
                let name = Name(directory: directoryID, nameHash: HistoryWalker.fnv1a(entry.name))
                let id: Int32
                if let known = directoryIDs[name] { id = known } else {
                    id = Int32(directoryPaths.count)
                    directoryIDs[name] = id
                    directoryPaths.append(directoryPaths[Int(directoryID)] + String(decoding: entry.name, as: UTF8.self) + "/")
                    previousTrees.append([])
                }
                subtrees.append((entry.id, id))
            }
        case .blob:
            let nameHash = HistoryWalker.fnv1a(entry.name)
            guard seenPlaces.insert(Place(blob: entry.id, directory: directoryID, nameHash: nameHash)) else { return }
            let name = Name(directory: directoryID, nameHash: nameHash)
            let path: Int32
            if let known = pathIDs[name] { path = known } else {
                path = index.addPath(directoryPaths[Int(directoryID)] + String(decoding: entry.name, as: UTF8.self))
                pathIDs[name] = path
            }
            if index.introduce(blob: entry.id, commit: commit, path: path) { newBlob(entry.id) }
        case .other:
            return
        }
    }

    /// Marks `tree` and everything under it as seen without reporting anything (the excluded
    /// side of a `--since`/`--range` scan): its blobs are never scanned or attributed.
    mutating func markSeen(_ tree: ObjectID, index: inout HistoryIndex) throws {
        var pending = [tree]
        while let next = pending.popLast() {
            guard seenTrees.insert(next) else { continue }
            try repository.withObject(next) { kind, raw in
                guard kind == .tree else { return }
                for entry in TreeEntries(raw) {
                    switch entry.kind {
                    case .tree: if !seenTrees.contains(entry.id) { pending.append(entry.id) }
                    case .blob: if index.introductions[entry.id] == nil { index.introductions[entry.id] = [] }
                    case .other: break
                    }
                }
            }
        }
    }

    /// Every blob in a tree, walked in full (for HEAD). A tree that cannot be read is passed to
    /// `unreadable` and skipped; without `unreadable` it is an error.
    static func allBlobs(in tree: ObjectID, repository: Repository,
                         unreadable: ((ObjectID, Error) -> Void)? = nil) throws -> Set<ObjectID> {
        var blobs: Set<ObjectID> = []
        var seen: Set<ObjectID> = []
        var pending = [tree]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            do {
                try repository.withObject(next) { kind, raw in
                    guard kind == .tree else { return }
                    for entry in TreeEntries(raw) {
                        switch entry.kind {
                        case .tree: pending.append(entry.id)
                        case .blob: blobs.insert(entry.id)
                        case .other: break
                        }
                    }
                }
            } catch {
                guard let unreadable else { throw error }
                unreadable(next, error)
            }
        }
        return blobs
    }

    private static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }
}
