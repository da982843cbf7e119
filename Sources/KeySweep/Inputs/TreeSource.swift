import Foundation

/// One tree of a repository instead of its history: the blobs staged in the index that HEAD's
/// tree does not hold (`--staged`, what the next commit would add), or HEAD's tree
/// (`--no-history`, the committed state of the checked-out branch; uncommitted work tree
/// changes are not read, so the result is the same in a bare clone or in CI).
final class TreeSource: Source, @unchecked Sendable {
    let path: String
    private let repository: Repository
    private let mode: HistoryOptions.Mode
    /// The commit occurrences name (HEAD, for `--no-history`).
    private let commit: CommitInfo?
    private let entries: [(path: String, blob: ObjectID)]

    var unit: ContentUnit { .blob }

    /// Nil when there is no tree to read (no HEAD, for `--no-history`).
    init?(path: String, repository: Repository, mode: HistoryOptions.Mode) throws {
        self.path = path
        self.repository = repository
        self.mode = mode
        var head: (id: ObjectID, commit: CommitObject)?
        if let id = try repository.headCommit(), let parsed = try repository.commit(id) { head = (id, parsed) }
        switch mode {
        case .staged:
            // A bare repository has no work tree to stage from: its index is not what a commit would add.
            guard !repository.isBare else { throw ScanError.invalid("\(path): --staged needs a work tree; this is a bare repository") }
            let inHead = try head.map { try HistoryWalker.allBlobs(in: $0.commit.tree, repository: repository) } ?? []
            entries = try repository.indexEntries().filter { !inHead.contains($0.blob) }
            commit = nil
        case .headTree, .history:
            guard let head else { return nil }
            entries = try repository.files(in: head.commit.tree)
            commit = head.commit.info(id: head.id, order: 0)
        }
    }

    func enumerate(into feed: Feed<ObjectID>) throws -> ScanStats {
        var batch = Feed<ObjectID>.Batcher(feed, size: 32)
        for blob in Set(entries.map(\.blob)) { batch.add(blob) }
        batch.flush()
        var facts = ScanStats()
        facts.commits = mode == .headTree ? 1 : 0
        facts.shallow = repository.isShallow
        return facts
    }

    func makeReader() throws -> Repository { try Repository(path: path) }

    func shardKey(of item: ObjectID) -> ShardKey? { .object(item) }

    func read(_ item: ObjectID, with reader: inout Repository, _ body: (Content) -> Void) throws {
        try reader.withObject(item) { _, raw in body(Content(bytes: raw, part: .whole)) }
    }

    func describe(_ item: ObjectID) -> String { "\(path): blob \(item)" }

    func place(_ scan: Finished<ObjectID>, context: ScanContext) throws -> [Sighting] {
        var matches: [ObjectID: [SecretMatch]] = [:]
        for scanned in scan.items where !scanned.matches.isEmpty { matches[scanned.item] = scanned.matches }
        var sightings: [Sighting] = []
        for entry in entries {
            for match in matches[entry.blob] ?? [] {
                sightings.append(Sighting(match: match,
                                          occurrence: Occurrence(commit: commit, provenance: .blob(path: entry.path, id: entry.blob),
                                                                 line: match.line, decoding: match.decoding),
                                          inHead: mode == .headTree))
            }
        }
        return sightings
    }
}
