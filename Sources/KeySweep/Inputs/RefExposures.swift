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
        let lookup = PlaceLookup(places, repository: repository)
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
/// commits) cost only what differs.
final class PlaceLookup {
    struct Place: Hashable {
        var path: String
        var blob: ObjectID
    }

    private struct Node {
        /// Lengths of the names below, to skip most entries without building their name.
        var lengths: Set<Int> = []
        var directories: [[UInt8]: Int] = [:]
        /// File name -> indices of the places with that name here.
        var files: [[UInt8]: [Int]] = [:]
    }

    private struct Key: Hashable {
        var tree: ObjectID
        var node: Int
    }

    private let places: [Place]
    private let repository: Repository
    private var nodes = [Node()]
    private var memo: [Key: [Int]] = [:]

    init(_ places: [Place], repository: Repository) {
        self.places = places
        self.repository = repository
        for (index, place) in places.enumerated() {
            var node = 0
            let components = place.path.split(separator: "/", omittingEmptySubsequences: true)
            guard let name = components.last else { continue }
            for directory in components.dropLast() {
                let key = Array(directory.utf8)
                nodes[node].lengths.insert(key.count)
                if let next = nodes[node].directories[key] { node = next; continue }
                nodes.append(Node())
                nodes[node].directories[key] = nodes.count - 1
                node = nodes.count - 1
            }
            nodes[node].lengths.insert(name.utf8.count)
            nodes[node].files[Array(name.utf8), default: []].append(index)
        }
    }

    /// The indices of the places `tree` holds.
    func held(in tree: ObjectID) throws -> [Int] { try held(tree, node: 0) }

    private func held(_ tree: ObjectID, node: Int) throws -> [Int] {
        if let known = memo[Key(tree: tree, node: node)] { return known }
        var found: [Int] = []
        var subtrees: [(ObjectID, Int)] = []
        let here = nodes[node]
        try repository.withObject(tree) { kind, raw in
            guard kind == .tree else { return }
            for entry in TreeEntries(raw) where here.lengths.contains(entry.name.count) {
                switch entry.kind {
                case .tree:
                    if let child = here.directories[Array(entry.name)] { subtrees.append((entry.id, child)) }
                case .blob:
                    if let candidates = here.files[Array(entry.name)] {
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
}
