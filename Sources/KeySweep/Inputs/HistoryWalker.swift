/// Walks every commit of a repository in topological order and reports each blob the first
/// time it appears and each new (blob, path) pair, skipping trees it has already walked
/// (Nosey Parker's approach: a tree seen once holds nothing new to scan).
///
/// A tree already walked that turns up at another directory (a directory renamed or copied) is
/// not walked again: the walk records it as an alias in `HistoryIndex.aliases`, and attribution
/// expands the aliases of the trees that hold findings (`AliasedPlaces`), so a secret's copies
/// keep their own paths without the walk paying for every copy.
///
/// A new tree mostly repeats the previous tree walked at the same directory (a commit changes
/// a few entries): entries byte-equal to one there were handled then, so `ChangedEntries`
/// skips them before any hashing or set lookup.
struct HistoryWalker {
    private let repository: Repository
    private var seenTrees = FlatSet<SeenTree>()
    private var seenPlaces = FlatSet<Place>()
    /// Trees met again at a directory other than their first one; each such place is recorded once.
    private var aliasPlaces = FlatSet<TreePlace>()
    /// Directories and paths are named by (parent directory id, hash of the name): no string
    /// is built or hashed for a name already met, only for a new directory or path.
    private var directoryIDs: [Name: Int32] = [:]
    private var directoryPaths: [String] = [""]     // directory id -> "dir/sub/" (0: the root)
    private var pathIDs: [Name: Int32] = [:]        // -> index of the path in `HistoryIndex.paths`
    private var previousTrees: [[UInt8]] = [[]]     // directory id -> the last tree walked there
    private var isCut: [Bool] = [false]             // directory id -> its path was cut (`PathCut`)

    /// A tree walked, keyed by its id alone; `directory` (where it was walked; -1: marked seen
    /// by a scope, never attributed) rides along.
    private struct SeenTree: FlatHashable {
        var tree: ObjectID
        var directory: Int32

        var flatHash: UInt64 { tree.a }
        static func == (a: SeenTree, b: SeenTree) -> Bool { a.tree == b.tree }
    }

    /// A tree at a directory.
    private struct TreePlace: FlatHashable {
        var tree: ObjectID
        var directory: Int32

        var flatHash: UInt64 { tree.a ^ (UInt64(UInt32(bitPattern: directory)) &* 0x9E37_79B9_7F4A_7C15) }
    }

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

    /// Reads packed trees without libgit2 (see `PackObjectReader`); nil: libgit2 reads them all.
    private let packedTrees: PackObjectReader?

    init(repository: Repository, packedTrees: PackObjectReader? = nil) {
        self.repository = repository
        self.packedTrees = packedTrees
    }

    /// Walks the tree of commit `order` and calls `newBlob` for each blob never seen before.
    mutating func walkTree(_ tree: ObjectID, commit order: Int, index: inout HistoryIndex,
                           newBlob: (ObjectID) -> Void) throws {
        try walk(tree, directoryID: 0, commit: order, index: &index, newBlob: newBlob)
    }

    /// Depth first with a stack of its own, not recursion: a tree nested 100,000 deep must not
    /// overflow the thread's stack.
    private mutating func walk(_ root: ObjectID, directoryID rootDirectory: Int32, commit: Int,
                               index: inout HistoryIndex, newBlob: (ObjectID) -> Void) throws {
        var pending: [(ObjectID, Int32)] = [(root, rootDirectory)]
        var subtrees: [(ObjectID, Int32)] = []
        while let (tree, directoryID) = pending.popLast() {
            guard seenTrees.insert(SeenTree(tree: tree, directory: directoryID)) else {
                noteAlias(tree, directoryID: directoryID, commit: commit, index: &index)
                continue
            }
            subtrees.removeAll(keepingCapacity: true)
            let previous = previousTrees[Int(directoryID)]
            do {
                func read(_ raw: UnsafeRawBufferPointer) {
                    previous.withUnsafeBytes { previousRaw in
                        for entry in ChangedEntries(raw, since: previousRaw) {
                            visit(entry, directoryID: directoryID, commit: commit, index: &index,
                                  subtrees: &subtrees, newBlob: newBlob)
                        }
                    }
                }
                if let bytes = packedTrees?.tree(tree) {
                    bytes.withUnsafeBytes(read)
                    previousTrees[Int(directoryID)] = bytes      // shared, not copied
                } else {
                    try repository.withObject(tree) { kind, raw in
                        guard kind == .tree else { return }
                        read(raw)
                        previousTrees[Int(directoryID)] = [UInt8](raw)
                    }
                }
            } catch {
                // One damaged tree loses what only it holds; the rest of the history is still scanned.
                unreadableTrees.append((tree, error))
                continue
            }
            // Reversed onto the stack: the subtrees are walked in the tree's order, as recursion would.
            pending.append(contentsOf: subtrees.reversed())
        }
    }

    /// One entry of a tree not seen in the previous tree at its directory.
    private mutating func visit(_ entry: TreeEntries.Entry, directoryID: Int32, commit: Int, index: inout HistoryIndex,
                                subtrees: inout [(ObjectID, Int32)], newBlob: (ObjectID) -> Void) {
        switch entry.kind {
        case .tree:
            let id = subdirectory(entry.name, of: directoryID)
            if seenTrees.contains(SeenTree(tree: entry.id, directory: id)) {
                noteAlias(entry.id, directoryID: id, commit: commit, index: &index)
            } else {
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

    /// The id of directory `name` inside `parent`. Past `PathCut.maxBytes` a path is cut and
    /// every directory below shares the cut directory's id, so a tree nested thousands deep with
    /// long names costs memory per tree, not per byte of every path.
    private mutating func subdirectory(_ name: UnsafeBufferPointer<UInt8>, of parent: Int32) -> Int32 {
        if isCut[Int(parent)] { return parent }
        let key = Name(directory: parent, nameHash: HistoryWalker.fnv1a(name))
        if let known = directoryIDs[key] { return known }
        let id = Int32(directoryPaths.count)
        directoryIDs[key] = id
        let parentPath = directoryPaths[Int(parent)]
        if let path = PathCut.join(parentPath, name) {
            directoryPaths.append(path + "/")
            isCut.append(false)
        } else {
            directoryPaths.append(parentPath + PathCut.marker)
            isCut.append(true)
        }
        previousTrees.append([])
        return id
    }

    /// Records `tree`, walked before, at `directoryID` when it was walked elsewhere and has not
    /// been recorded there yet.
    private mutating func noteAlias(_ tree: ObjectID, directoryID: Int32, commit: Int, index: inout HistoryIndex) {
        guard let first = seenTrees.member(SeenTree(tree: tree, directory: directoryID)),
              first.directory >= 0, first.directory != directoryID,
              aliasPlaces.insert(TreePlace(tree: tree, directory: directoryID)) else { return }
        index.aliases.append(HistoryIndex.TreeAlias(tree: tree, directory: directoryPaths[Int(directoryID)],
                                                    commit: Int32(commit)))
    }

    /// Marks `tree` and everything under it as seen without reporting anything (the excluded
    /// side of a `--since`/`--range` scan): its blobs are never scanned or attributed.
    mutating func markSeen(_ tree: ObjectID, index: inout HistoryIndex) throws {
        var pending = [tree]
        while let next = pending.popLast() {
            guard seenTrees.insert(SeenTree(tree: next, directory: -1)) else { continue }
            try repository.withObject(next) { kind, raw in
                guard kind == .tree else { return }
                for entry in TreeEntries(raw) {
                    switch entry.kind {
                    case .tree: if !seenTrees.contains(SeenTree(tree: entry.id, directory: -1)) { pending.append(entry.id) }
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
