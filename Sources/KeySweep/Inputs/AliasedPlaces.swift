/// The places a blob also sits at because a tree holding it was met again at another directory
/// (`HistoryIndex.aliases`: a directory renamed or copied, which the walk does not walk again).
///
/// Run at attribution, for the blobs with findings only: each tree under an alias is read once
/// (its wanted blobs by relative path are remembered), without recursion, so a deep or
/// self-repeating tree costs one read per distinct tree. A tree repeated many times over
/// multiplies paths, so each tree's list and each blob's places stop at `limit` (the ledger keeps
/// no more occurrences per finding than that anyway); aliases come in walk order, so the places
/// kept are the earliest.
struct AliasedPlaces {
    struct Place {
        var path: String
        var commit: Int32
    }

    private let repository: Repository
    private let wanted: Set<ObjectID>
    private let limit: Int
    /// Tree -> its wanted blobs by path relative to it (at most `limit`).
    private var contents: [ObjectID: [(path: String, blob: ObjectID)]] = [:]

    /// The aliased places of each blob in `blobs`.
    static func places(of blobs: Set<ObjectID>, aliases: [HistoryIndex.TreeAlias], repository: Repository,
                       limit: Int) -> [ObjectID: [Place]] {
        guard !blobs.isEmpty, !aliases.isEmpty, limit > 0 else { return [:] }
        var expansion = AliasedPlaces(repository: repository, wanted: blobs, limit: limit)
        var places: [ObjectID: [Place]] = [:]
        for alias in aliases {
            for (path, blob) in expansion.blobs(under: alias.tree) where places[blob, default: []].count < limit {
                places[blob, default: []].append(Place(path: alias.directory + path, commit: alias.commit))
            }
        }
        return places
    }

    private init(repository: Repository, wanted: Set<ObjectID>, limit: Int) {
        self.repository = repository
        self.wanted = wanted
        self.limit = limit
    }

    /// The wanted blobs under `root`, by path relative to it: a depth-first walk with an explicit
    /// stack, each tree's list remembered once finished.
    private mutating func blobs(under root: ObjectID) -> [(path: String, blob: ObjectID)] {
        if let known = contents[root] { return known }
        var frames = [open(root, name: "")]
        while true {
            let top = frames.count - 1
            if frames[top].next < frames[top].subtrees.count {
                let (name, id) = frames[top].subtrees[frames[top].next]
                frames[top].next += 1
                if let known = contents[id] {
                    add(known, under: name, to: &frames[top].found)
                } else {
                    frames.append(open(id, name: name))
                }
                continue
            }
            let done = frames.removeLast()
            contents[done.tree] = done.found
            guard !frames.isEmpty else { return done.found }
            add(done.found, under: done.name, to: &frames[frames.count - 1].found)
        }
    }

    private struct Frame {
        var tree: ObjectID
        var name: String
        var found: [(path: String, blob: ObjectID)]
        var subtrees: [(name: String, id: ObjectID)]
        var next = 0
    }

    /// A tree's wanted blobs and its subtrees, read.
    private func open(_ tree: ObjectID, name: String) -> Frame {
        var frame = Frame(tree: tree, name: name, found: [], subtrees: [])
        // A tree that cannot be read was named when the walk met it; here it holds nothing.
        try? repository.withObject(tree) { kind, raw in
            guard kind == .tree else { return }
            for entry in TreeEntries(raw) {
                switch entry.kind {
                case .blob where wanted.contains(entry.id) && frame.found.count < limit:
                    frame.found.append((String(decoding: entry.name, as: UTF8.self), entry.id))
                case .tree:
                    frame.subtrees.append((String(decoding: entry.name, as: UTF8.self), entry.id))
                default:
                    break
                }
            }
        }
        return frame
    }

    private func add(_ found: [(path: String, blob: ObjectID)], under name: String,
                     to list: inout [(path: String, blob: ObjectID)]) {
        for (path, blob) in found.prefix(max(limit - list.count, 0)) { list.append((PathCut.prefix(name, to: path), blob)) }
    }
}
