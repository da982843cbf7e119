/// The objects of a repository that no reference (nor HEAD) reaches: commits left behind by a
/// force-push or a deleted branch, fetched pull-request heads, blobs added but never committed.
/// Scanned only with `--all-objects`.
enum UnreachableObjects {
    /// Commits in the object store that `reachable` does not hold, parents first.
    static func commits(in repository: Repository, reachable: [ObjectID]) throws -> [ObjectID] {
        let known = Set(reachable)
        var orphans: [ObjectID] = []
        for id in try repository.allObjectIDs() where !known.contains(id) {
            if (try? repository.header(of: id).kind) == .commit { orphans.append(id) }
        }
        guard !orphans.isEmpty else { return [] }
        var tips = try repository.references().map(\.commit)
        if let head = try repository.headCommit() { tips.append(head) }
        return try repository.commits(reachableFrom: orphans, excluding: tips)
    }

    /// Blobs in the object store that no walked tree held (`introduced` answers whether one did).
    static func blobs(in repository: Repository, introduced: (ObjectID) -> Bool) throws -> [ObjectID] {
        try repository.allObjectIDs().filter { id in
            !introduced(id) && (try? repository.header(of: id).kind) == .blob
        }.sorted()
    }
}
