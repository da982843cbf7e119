/// What a repository's refs say about each finding of a history scan, worked out once per scan
/// after attribution from the repository the scan has open: which ref tips hold the secret at
/// a (path, blob) it was seen at, and which first-parent commit of HEAD removed it. Per finding
/// and per ref, never per blob: each distinct subtree on the findings' paths is read once
/// (`PlaceLookup`), and HEAD's first-parent chain is walked once for the findings HEAD lacks, no
/// further back than the oldest commit that introduced one of their blobs.
struct RefExposures {
    /// One finding's places in the repository.
    struct Subject {
        /// (path, blob) places of its occurrences in trees.
        var places: [PlaceLookup.Place]
        /// Topological order of the oldest commit that introduced one of its blobs at any path:
        /// no commit walked before it holds one of them.
        var oldest: Int
        /// HEAD's tree holds one of its blobs: nothing removed it, the chain is not walked for it.
        var inHead: Bool
    }

    /// Longest first-parent chain walked to find a removing commit.
    static let maxChain = 200_000

    let repository: Repository
    /// The target as named.
    let path: String
    /// Topological order of a walked commit; nil for one outside the scan (out of its scope).
    let order: (ObjectID) -> Int?
    /// The tree and first parent of a commit as the walk parsed it; nil: read the commit.
    let parsed: (ObjectID) -> (tree: ObjectID, firstParent: ObjectID?)?
    /// How trees are read; nil: through libgit2.
    var readTree: PlaceLookup.TreeReader? = nil

    func exposures(of subjects: [Subject]) throws -> [RefExposure] {
        var places: [PlaceLookup.Place] = []
        var owners: [[Int]] = []     // place index -> subjects
        var index: [PlaceLookup.Place: Int] = [:]
        for (s, subject) in subjects.enumerated() {
            for place in subject.places {
                if let known = index[place] { owners[known].append(s); continue }
                index[place] = places.count
                places.append(place)
                owners.append([s])
            }
        }
        let lookup = readTree.map { PlaceLookup(places, readTree: $0) } ?? PlaceLookup(places, repository: repository)
        let defaultBranch = repository.symbolicHead()
        var result = subjects.map { _ in RefExposure(repository: path, tips: [], defaultBranch: defaultBranch, removedBy: nil) }
        guard !places.isEmpty else { return result }

        for ref in try repository.references() where !ref.name.hasPrefix("refs/notes/") {
            guard let tree = try repository.commit(ref.commit)?.tree else { continue }
            for s in Set(try lookup.held(in: tree).flatMap { owners[$0] }) { result[s].tips.append(ref.name) }
        }
        for s in result.indices { result[s].tips.sort() }

        // HEAD's first-parent chain, newest first: the commit after the newest one holding a
        // finding removed it (none when HEAD itself holds it). Only for findings HEAD lacks.
        var open = Set(subjects.indices.filter { !subjects[$0].places.isEmpty && !subjects[$0].inHead })
        var current = try repository.headCommit()
        var newer: ObjectID?
        var walked = 0
        while let commit = current, !open.isEmpty, walked < Self.maxChain {
            guard let parsed = try walked > 0 ? self.parsed(commit) ?? read(commit) : read(commit) else { break }
            if walked > 0 {
                // Findings whose blobs no commit this old holds are never on the chain.
                let position = order(commit) ?? -1
                open = open.filter { subjects[$0].oldest <= position }
                if open.isEmpty { break }
            }
            for s in Set(try lookup.held(in: parsed.tree).flatMap { owners[$0] }) where open.contains(s) {
                open.remove(s)
                if let newer, let removing = try repository.commit(newer) {
                    result[s].removedBy = removing.info(id: newer, order: order(newer) ?? 0)
                }
            }
            newer = commit
            current = parsed.firstParent
            walked += 1
        }
        return result
    }

    private func read(_ commit: ObjectID) throws -> (tree: ObjectID, firstParent: ObjectID?)? {
        try repository.commit(commit).map { ($0.tree, $0.firstParent) }
    }
}

/// Which of a set of (path, blob) places a tree holds. Paths form a trie; a subtree is read
/// once per trie node it is reached at, so trees that share subtrees (ref tips, consecutive
/// commits) cost only what differs. HEAD's first-parent chain reads a root tree per commit
/// (24,000 on git/git), so an entry is skipped on its name's length and hash before any
/// name is built.
final class PlaceLookup {
    struct Place: Hashable {
        var path: String
        var blob: ObjectID
    }

    /// Calls its body with a tree's bytes; nothing when the object is not a tree.
    typealias TreeReader = (ObjectID, (UnsafeRawBufferPointer) -> Void) throws -> Void

    private struct Node {
        /// Lengths of the names below (`lengths[n]`: some name is n bytes long).
        var lengths: [Bool] = []
        /// Name hash -> (name, child node) for directories, (name, place indices) for files.
        var directories: [UInt64: [([UInt8], Int)]] = [:]
        var files: [UInt64: [([UInt8], [Int])]] = [:]

        mutating func hold(_ length: Int) {
            if lengths.count <= length { lengths += Array(repeating: false, count: length + 1 - lengths.count) }
            lengths[length] = true
        }

        func mayHold(_ length: Int) -> Bool { length < lengths.count && lengths[length] }
    }

    private struct Key: Hashable {
        var tree: ObjectID
        var node: Int
    }

    private let places: [Place]
    private let readTree: TreeReader
    private var nodes = [Node()]
    private var memo: [Key: [Int]] = [:]

    /// `readTree`: how trees are read (by default through libgit2).
    convenience init(_ places: [Place], repository: Repository) {
        self.init(places) { id, body in
            try repository.withObject(id) { kind, raw in if kind == .tree { body(raw) } }
        }
    }

    init(_ places: [Place], readTree: @escaping TreeReader) {
        self.places = places
        self.readTree = readTree
        for (index, place) in places.enumerated() {
            var node = 0
            let components = place.path.split(separator: "/", omittingEmptySubsequences: true)
            guard let name = components.last else { continue }
            for directory in components.dropLast() {
                let key = Array(directory.utf8), hash = Self.hash(key)
                nodes[node].hold(key.count)
                if let next = nodes[node].directories[hash]?.first(where: { $0.0 == key })?.1 { node = next; continue }
                nodes.append(Node())
                nodes[node].directories[hash, default: []].append((key, nodes.count - 1))
                node = nodes.count - 1
            }
            let key = Array(name.utf8), hash = Self.hash(key)
            nodes[node].hold(key.count)
            if let slot = nodes[node].files[hash]?.firstIndex(where: { $0.0 == key }) {
                nodes[node].files[hash]![slot].1.append(index)
            } else {
                nodes[node].files[hash, default: []].append((key, [index]))
            }
        }
    }

    /// The indices of the places `tree` holds.
    func held(in tree: ObjectID) throws -> [Int] { try held(tree, node: 0) }

    private func held(_ tree: ObjectID, node: Int) throws -> [Int] {
        if let known = memo[Key(tree: tree, node: node)] { return known }
        var found: [Int] = []
        var subtrees: [(ObjectID, Int)] = []
        let here = nodes[node]
        try readTree(tree) { raw in
            for entry in TreeEntries(raw) where here.mayHold(entry.name.count) {
                switch entry.kind {
                case .tree:
                    if let child = here.directories[Self.hash(entry.name)]?.first(where: { $0.0.elementsEqual(entry.name) })?.1 {
                        subtrees.append((entry.id, child))
                    }
                case .blob:
                    if let candidates = here.files[Self.hash(entry.name)]?.first(where: { $0.0.elementsEqual(entry.name) })?.1 {
                        found += candidates.filter { places[$0].blob == entry.id }
                    }
                case .other: break
                }
            }
        }
        for (subtree, child) in subtrees { found += try held(subtree, node: child) }
        memo[Key(tree: tree, node: node)] = found
        return found
    }

    private static func hash<C: Collection<UInt8>>(_ bytes: C) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return hash
    }
}
