import Foundation

/// The full history of a git repository: every commit reachable from any reference or HEAD
/// (or the commits of `--since`/`--range`), each unique blob read and scanned once, commit
/// messages included. The walk (`HistoryWalker`) lists new blobs while the workers scan them;
/// attribution to commits and paths joins the two once both are done (scan each blob once,
/// attribute separately).
final class GitHistorySource: Source, @unchecked Sendable {
    /// An item carries everything `describe` needs (the commit's or tag's id): workers describe
    /// items while the walk is still appending to `index.commits` and `tags`.
    enum Item: Sendable {
        case blob(ObjectID)
        /// A blob whose bytes the pack read-ahead already holds (`PackBlobReader`).
        case packed(ObjectID, PackedBytes)
        case message(commit: Int, id: ObjectID, bytes: [UInt8])
        /// The message of an annotated tag (`tags` indexes it).
        case tagMessage(tag: Int, id: String, bytes: [UInt8])
    }

    let path: String
    /// The repository as messages and reports name it: the target (a remote's URL, not its clone's path).
    let name: String
    private let repository: Repository
    private let scope: (include: [ObjectID], exclude: [ObjectID])?
    private let cache: ScanCache?
    /// The digest of the ref tips the cache files this history under; nil: no snapshot.
    private let tips: String?
    private let allObjects: Bool
    private let followDeltas: Bool
    /// Whether this is one blob shard's share (`--shard`): which items it reads is the feed's call.
    private let sharded: Bool

    // Filled by `enumerate`, read by `retains` and `place`.
    private var index = HistoryIndex()
    private var wanted: Set<ObjectID>?
    /// The commits walked, in walk order (`CommitInfo.order` indexes it), and the tree and
    /// first parent the walk parsed of each (for HEAD's first-parent chain in `expose`).
    private var walked: [ObjectID] = []
    private var walkedTrees: [(tree: ObjectID, firstParent: ObjectID?)?] = []
    /// The walk's reader of packed commits and trees, kept for the refs' lookups after it
    /// (`RefExposures`).
    private var packed: PackObjectReader?
    /// The annotated tags whose messages were scanned: the tag object as a "commit", and its name.
    private var tags: [(info: CommitInfo, name: String)] = []

    var unit: ContentUnit { .blob }

    init(path: String, name: String? = nil, repository: Repository, context: ScanContext) throws {
        self.path = path
        self.name = name ?? path
        self.repository = repository
        scope = try context.options.history.scope?.resolve(in: repository, target: self.name)
        cache = context.cache
        allObjects = context.options.allObjects
        followDeltas = context.options.followDeltas
        sharded = context.contentShard != nil
        // A shard's sightings are a share of the history's: never stored as its snapshot.
        tips = cache != nil && scope == nil && !allObjects && !sharded ? try HistorySnapshot.tipsKey(repository, path: path) : nil
    }

    /// Commits walked (0 for a repository without commits).
    var commitCount: Int { index.commits.count }

    /// With the cache, and no ref moved since it was filled: the snapshot instead of a walk.
    func replay() -> Replay? {
        guard let cache, let tips, let snapshot = cache.history(tips: tips) else { return nil }
        var stats = snapshot.stats
        stats.cachedBlobs = stats.blobs
        index.commits = Array(repeating: CommitInfo(id: "", author: "", date: "", time: 0, order: 0), count: stats.commits)
        return Replay(stats: stats, sightings: snapshot.records)
    }

    func enumerate(into feed: Feed<Item>) throws -> ScanStats {
        let repository = self.repository
        let warn = feed.context.warn
        let path = self.name
        // A full-history scan reads every packed blob in pack order while the commits are
        // listed and walked, so listing, walking and scanning overlap; blobs the walk never
        // reaches are dropped afterwards. (With a cache or a scope most packed blobs are not
        // wanted: read after the walk.) A failure below cancels the feed, which stops it.
        let readAhead = followDeltas && feed.workersRunAlongside && cache == nil && scope == nil && !allObjects
            ? PackReadAhead.start(objectsDirectory: repository.objectsDirectory, feed: feed,
                                prefilter: feed.context.rules.prefilter) : nil
        var commits: [ObjectID]
        do {
            commits = try scope.map { try repository.commits(reachableFrom: $0.include, excluding: $0.exclude) }
                ?? repository.allCommits()
        } catch let error as GitError {
            // libgit2's walk stops at a commit it cannot read (a damaged pack): walk commit by
            // commit instead, naming each one that cannot be read, and scan everything else.
            // When no commit at all can be read, the repository is broken: an error.
            var unreadable: [ObjectID] = []
            commits = try repository.presentCommits(reachableFrom: scope?.include ?? repository.tips(),
                                                    excluding: scope?.exclude ?? []) { unreadable.append($0) }
            guard !commits.isEmpty else { throw error }
            for id in unreadable { warn("\(path): commit \(id) cannot be read; skipped") }
        }
        let reachableCount = commits.count
        walked = commits
        walkedTrees = Array(repeating: nil, count: commits.count)
        if allObjects && scope == nil {
            commits += try UnreachableObjects.commits(in: repository, reachable: commits)
        }
        if let head = try repository.headCommit(), let tree = try? repository.commit(head)?.tree {
            // A tree that cannot be read is named when the walk meets it.
            index.headBlobs = try HistoryWalker.allBlobs(in: tree, repository: repository) { _, _ in }
        }
        let packed = followDeltas ? PackObjectReader(objectsDirectory: repository.objectsDirectory) : nil
        self.packed = packed
        var walker = HistoryWalker(repository: repository, packedTrees: packed)
        if let scope { try HistoryScope.markExcluded(scope.exclude, repository: repository, walker: &walker, index: &index) }
        var newBlobs: [ObjectID] = []
        /// Commits whose message this shard reads (every shard walks them all); `stats.commits` counts those.
        var ownCommits = 0, ownUnreachable = 0
        // While blobs are read ahead the queue is full of them: the walk must not wait.
        var messages = Feed<Item>.Batcher(feed, size: 64, mayWait: readAhead == nil)
        for (order, id) in commits.enumerated() {
            func parse(_ raw: UnsafeRawBufferPointer) -> (CommitObject, [UInt8])? {
                guard let commit = CommitObject(raw) else { return nil }
                return (commit, Array(raw[commit.messageRange]))
            }
            let parsed: (CommitObject, [UInt8])?
            do {
                parsed = try packed?.withCommit(id, parse) ?? repository.withObject(id) { _, raw in parse(raw) }
            } catch {
                feed.context.warn("\(path): commit \(id) cannot be read; skipped (\(error))")
                continue
            }
            guard let (commit, message) = parsed else {
                feed.context.warn("\(path): commit \(id) cannot be parsed; skipped")
                continue
            }
            index.commits.append(commit.info(id: id, order: order, unreachable: order >= reachableCount))
            if order < walkedTrees.count { walkedTrees[order] = (commit.tree, commit.firstParent) }
            let item = Item.message(commit: index.commits.count - 1, id: id, bytes: message)
            if feed.owns(item) {
                messages.add(item)
                ownCommits += 1
                if order >= reachableCount { ownUnreachable += 1 }
            }
            try walker.walkTree(commit.tree, commit: index.commits.count - 1, index: &index) { blob in
                // A blob scanned before with the same rules is not read again.
                if let cache, feed.owns(.blob(blob)), let (outcome, size) = cache.outcome(of: blob) {
                    feed.known(.blob(blob), outcome, size: size)
                } else {
                    newBlobs.append(blob)
                }
            }
            feed.context.progress.walked(commits: 1)
        }
        for tag in tagMessages(inScope: scope == nil ? nil : Set(commits), order: commits.count, warn: warn) {
            tags.append((tag.info, tag.name))
            messages.add(.tagMessage(tag: tags.count - 1, id: tag.info.id, bytes: tag.message))
        }
        messages.flush()
        for (tree, error) in walker.unreadableTrees { warn("\(name): tree \(tree) cannot be read; skipped (\(error))") }
        if allObjects && scope == nil {
            // Blobs no walked tree holds (added, never committed): scanned without a commit.
            for blob in try UnreachableObjects.blobs(in: repository, introduced: { index.introductions[$0] != nil }) {
                index.loose.append(blob)
                newBlobs.append(blob)
            }
        }
        // The blobs are read once the walk is done, in the order the packs store them: a
        // delta's base is then usually still in libgit2's delta-base cache (on git/git the
        // reading costs a quarter of what history order costs). Commit messages were
        // scanned meanwhile.
        let rest: [ObjectID]
        if let readAhead {
            let queued = readAhead.finish()
            wanted = Set(newBlobs)
            rest = newBlobs.filter { !queued.contains($0) }   // loose objects
        } else {
            rest = PackOrder.sorted(newBlobs, objectsDirectory: repository.objectsDirectory)
        }
        var blobs = Feed<Item>.Batcher(feed, size: 64)
        for blob in rest { blobs.add(.blob(blob)) }
        blobs.flush()

        var facts = ScanStats()
        facts.commits = sharded ? ownCommits : index.commits.count
        facts.unreachableCommits = sharded ? ownUnreachable : commits.count - reachableCount
        facts.shallow = repository.isShallow
        return facts
    }

    func makeReader() throws -> Repository { try Repository(path: path) }

    func read(_ item: Item, with reader: inout Repository, _ body: (Content) -> Void) throws {
        switch item {
        case .blob(let id): try reader.withObject(id) { _, raw in body(Content(bytes: raw, part: .whole)) }
        case .packed(_, let packed):
            let (bytes, hits) = packed.take()
            bytes.withUnsafeBytes { body(Content(bytes: $0, part: .whole, keywordHits: hits)) }
        case .message(_, _, let bytes), .tagMessage(_, _, let bytes): bytes.withUnsafeBytes { body(Content(bytes: $0, part: .message)) }
        }
    }

    func shardKey(of item: Item) -> ShardKey? {
        switch item {
        case .blob(let id), .packed(let id, _), .message(_, let id, _): return .object(id)
        case .tagMessage(_, let id, _): return .name(id)
        }
    }

    func isContent(_ item: Item) -> Bool { item.blob != nil }

    func retains(_ item: Item) -> Bool {
        guard let wanted, let id = item.blob else { return true }
        return wanted.contains(id)
    }

    func describe(_ item: Item) -> String {
        switch item {
        case .blob(let id), .packed(let id, _): return "\(name): blob \(id)"
        case .message(_, let id, _): return "\(name): message of commit \(id)"
        case .tagMessage(_, let id, _): return "\(name): message of tag \(id)"
        }
    }

    func place(_ scan: Finished<Item>, context: ScanContext) throws -> [Sighting] {
        var blobMatches: [(ObjectID, [SecretMatch])] = []
        var messageMatches: [(Int, [SecretMatch])] = []
        var tagMatches: [(Int, [SecretMatch])] = []
        for scanned in scan.items {
            switch scanned.item {
            case .blob(let id), .packed(let id, _):
                if !scanned.cached { cache?.record(id, scanned.outcome, size: scanned.size) }
                if !scanned.matches.isEmpty { blobMatches.append((id, scanned.matches)) }
            case .message(let commit, _, _):
                if !scanned.matches.isEmpty { messageMatches.append((commit, scanned.matches)) }
            case .tagMessage(let tag, _, _):
                if !scanned.matches.isEmpty { tagMatches.append((tag, scanned.matches)) }
            }
        }
        if let cache {
            do { try cache.save() } catch { context.warn("cannot update the cache: \(error)") }
        }
        CommitPairing(rules: context.rules, options: context.options)
            .complete(&blobMatches, index: index, repository: repository)
        let sightings = attribute(blobMatches, messages: messageMatches, tags: tagMatches, limits: context.options.limits)
        if let cache, let tips, scan.unreadable == 0 {
            do { try cache.storeHistory(HistorySnapshot(stats: scan.stats, records: sightings), tips: tips) } catch {
                context.warn("cannot update the cache: \(error)")
            }
        }
        return sightings
    }

    /// The ref tips holding each finding and the commit of HEAD's first-parent chain that removed
    /// it, from the places its sightings name (`RefExposures`): per finding, after the walk.
    func expose(_ sightings: [Sighting], context: ScanContext) -> [Exposed] {
        guard context.options.refFacts else { return [] }
        struct Key: Hashable { var rule: Int; var secret: String }
        var keys: [Key] = []
        var subjects: [Key: RefExposures.Subject] = [:]
        // Placeholders are reported only when asked for: no work for a secret only ever seen as one.
        let wanted = context.options.includePlaceholders ? nil
            : Set(sightings.lazy.filter { !$0.match.isPlaceholder }.map { Key(rule: $0.match.rule, secret: $0.match.secret) })
        for sighting in sightings {
            let key = Key(rule: sighting.match.rule, secret: sighting.match.secret)
            if let wanted, !wanted.contains(key) { continue }
            if subjects[key] == nil {
                keys.append(key)
                subjects[key] = RefExposures.Subject(places: [], oldest: Int.max, inHead: false)
            }
            if sighting.inHead { subjects[key]!.inHead = true }
            guard let commit = sighting.occurrence.commit, commit.unreachable != true,
                  case .blob(let path, let blob) = sighting.occurrence.provenance else { continue }
            subjects[key]!.places.append(PlaceLookup.Place(path: path, blob: blob))
            subjects[key]!.oldest = min(subjects[key]!.oldest, commit.order)
        }
        guard !keys.isEmpty else { return [] }
        // Commit ids to walk order, built only when the chain is walked past HEAD (a replayed
        // history walks its commits again for it: same refs, same order).
        var orders: [ObjectID: Int]?
        let walked = self.walked
        let repository = self.repository
        let order: (ObjectID) -> Int? = { id in
            if orders == nil {
                let commits = walked.isEmpty ? ((try? repository.allCommits()) ?? []) : walked
                orders = Dictionary(commits.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            }
            return orders![id]
        }
        let trees = walkedTrees
        let parsed: (ObjectID) -> (tree: ObjectID, firstParent: ObjectID?)? = { id in
            guard !trees.isEmpty, let position = order(id), position < trees.count else { return nil }
            return trees[position]
        }
        do {
            let packed = self.packed
            let readTree: PlaceLookup.TreeReader = { id, body in
                if packed?.withTree(id, body) != nil { return }
                try repository.withObject(id) { kind, raw in if kind == .tree { body(raw) } }
            }
            let exposures = try RefExposures(repository: repository, path: name, order: order, parsed: parsed, readTree: readTree)
                .exposures(of: keys.map { subjects[$0]! })
            return zip(keys, exposures).map { Exposed(rule: $0.rule, secret: $0.secret, refs: $1) }
        } catch {
            context.warn("\(name): cannot tell which refs hold the findings: \(error)")
            return []
        }
    }

    /// Joins what was found in each blob with where that blob was introduced.
    private func attribute(_ blobMatches: [(ObjectID, [SecretMatch])], messages: [(Int, [SecretMatch])],
                           tags tagMatches: [(Int, [SecretMatch])], limits: HoldLimits) -> [Sighting] {
        var sightings: [Sighting] = []
        let aliased = AliasedPlaces.places(of: Set(blobMatches.map(\.0)), aliases: index.aliases,
                                           repository: repository, limit: limits.occurrencesPerFinding)
        for (blob, matches) in blobMatches {
            let inHead = index.headBlobs.contains(blob)
            if index.introductions[blob] == nil && index.loose.contains(blob) {
                for match in matches {
                    sightings.append(Sighting(match: match, occurrence: Occurrence(commit: nil, provenance: .unreachableBlob(blob),
                                                                                   line: match.line, decoding: match.decoding),
                                              inHead: false))
                }
            }
            for (path, commitIndex) in places(of: blob, aliased: aliased[blob] ?? []) {
                let commit = index.commits[Int(commitIndex)]
                let provenance = Provenance.blob(path: path, id: blob)
                for match in matches {
                    sightings.append(Sighting(match: match, occurrence: Occurrence(commit: commit, provenance: provenance,
                                                                                   line: match.line, decoding: match.decoding),
                                              inHead: inHead))
                }
            }
        }
        for (commitIndex, matches) in messages {
            for match in matches {
                sightings.append(Sighting(match: match, occurrence: Occurrence(commit: index.commits[commitIndex], provenance: .commitMessage,
                                                                               line: match.line, decoding: match.decoding),
                                          inHead: false))
            }
        }
        for (tag, matches) in tagMatches {
            let occurrence = { (match: SecretMatch) in
                Occurrence(commit: self.tags[tag].info, provenance: .tagMessage(name: self.tags[tag].name), line: match.line, decoding: match.decoding)
            }
            for match in matches { sightings.append(Sighting(match: match, occurrence: occurrence(match), inHead: false)) }
        }
        return sightings
    }

    /// Each path `blob` sits at with the commit that put it there: the walk's introductions and
    /// the places of trees it met again elsewhere (`AliasedPlaces`). A path both give keeps the
    /// earlier commit (an alias's tree may be walked at that path later, when it changes there).
    private func places(of blob: ObjectID, aliased: [AliasedPlaces.Place]) -> [(path: String, commit: Int32)] {
        var places = (index.introductions[blob] ?? []).map { (path: index.paths[Int($0.path)], commit: $0.commit) }
        guard !aliased.isEmpty else { return places }
        var position = Dictionary(places.enumerated().map { ($1.path, $0) }, uniquingKeysWith: { a, _ in a })
        for place in aliased {
            if let known = position[place.path] {
                places[known].commit = min(places[known].commit, place.commit)
            } else {
                position[place.path] = places.count
                places.append((place.path, place.commit))
            }
        }
        return places
    }

    /// The annotated tags the references name (and the tags they tag in turn), each once, with
    /// their messages; with a scope, only tags of a commit in it. Placed after every commit
    /// walked: `order` onwards.
    private func tagMessages(inScope: Set<ObjectID>?, order: Int,
                             warn: (String) -> Void) -> [(info: CommitInfo, name: String, message: [UInt8])] {
        let referenced: [ObjectID]
        do { referenced = try repository.referencedTagObjects() } catch {
            warn("\(path): cannot list the tags: \(error)")
            return []
        }
        var seen: Set<ObjectID> = []
        var found: [(info: CommitInfo, name: String, message: [UInt8])] = []
        for first in referenced {
            var chain: [(ObjectID, TagObject, [UInt8])] = []
            var next: ObjectID? = first
            var peeled: ObjectID?
            // A tag of a tag of ...: followed a bounded number of steps (a crafted cycle is impossible
            // with hashes, but a long chain is not).
            while let id = next, chain.count < 32, seen.insert(id).inserted {
                next = nil
                do {
                    guard let (tag, message) = try repository.withObject(id, { kind, raw -> (TagObject, [UInt8])? in
                        guard kind == .tag, let tag = TagObject(raw) else { return nil }
                        return (tag, Array(raw[tag.messageRange]))
                    }) else {
                        warn("\(path): tag \(id) cannot be parsed; skipped")
                        break
                    }
                    chain.append((id, tag, message))
                    if tag.targetIsTag { next = tag.target } else { peeled = tag.target }
                } catch {
                    warn("\(path): tag \(id) cannot be read; skipped (\(error))")
                }
            }
            if let inScope, !(peeled.map(inScope.contains) ?? false) { continue }
            for (id, tag, message) in chain {
                found.append((tag.info(id: id, order: order + found.count), tag.name, message))
            }
        }
        return found
    }
}

/// Feeds every blob of the packs to the workers from a thread of its own while the history is
/// walked (see `GitHistorySource.enumerate`): each pack's blobs read as `git index-pack` reads
/// them (`PackBlobReader`) and handed over with their bytes, in batches of bounded size; a blob
/// it does not read goes over as an id, for libgit2.
private final class PackReadAhead: @unchecked Sendable {
    private let lock = NSLock()
    private var blobs: [ObjectID] = []
    private var group: WorkerGroup?

    /// Largest blob handed over with its bytes, and bytes per batch: the queue holds at most
    /// its capacity in batches, so these bound what waits in it. Larger blobs are read by
    /// the worker that scans them, as without read-ahead.
    static let maxCarried = 4 << 20, batchBytes = 2 << 20
    /// Bases held while their deltas are resolved.
    static let maxHeldBytes = 64 << 20

    static func start(objectsDirectory: String, feed: Feed<GitHistorySource.Item>, prefilter: KeywordPrefilter) -> PackReadAhead {
        let ahead = PackReadAhead()
        let maxObject = min(maxCarried, feed.options.maxBlobSize)
        ahead.group = feed.alongside {
            var batch: [GitHistorySource.Item] = []
            var bytesInBatch = 0
            func flush() {
                feed.push(batch)
                batch.removeAll(keepingCapacity: true)
                bytesInBatch = 0
            }
            for index in PackIndex.all(objectsDirectory: objectsDirectory) {
                guard !feed.isCancelled else { break }
                let layout = PackLayout(index: index)
                let all = PackedBlobs.blobs(in: layout)
                ahead.lock.withLock { ahead.blobs += all }
                let reader = PackBlobReader(layout: layout, maxObjectSize: maxObject, maxHeldBytes: maxHeldBytes)
                // Each blob's keyword occurrences, carried from its base through the delta's
                // copies: the prefilter's cost follows the bytes each delta adds.
                let left = reader.read { (id: ObjectID, bytes: [UInt8], derived: PackBlobReader.Derived<KeywordHits?>?) -> KeywordHits?? in
                    let hits = bytes.withUnsafeBytes { raw in
                        if let derived, let base = derived.base { return base.following(derived.copies, in: raw, prefilter) }
                        return KeywordHits.scan(raw, prefilter)
                    }
                    let item = GitHistorySource.Item.packed(id, PackedBytes(bytes, hits: hits))
                    if feed.owns(item) {
                        batch.append(item)
                        bytesInBatch += bytes.count + 12 * (hits?.hits.count ?? 0)
                        if batch.count >= 64 || bytesInBatch >= batchBytes { flush() }
                    }
                    return feed.isCancelled ? nil : .some(hits)
                }
                for id in left where !feed.isCancelled {
                    batch.append(.blob(id))
                    if batch.count >= 64 { flush() }
                }
            }
            flush()
        }
        return ahead
    }

    /// Waits until every packed blob is queued; returns them.
    func finish() -> Set<ObjectID> {
        group?.wait()
        return lock.withLock { Set(blobs) }
    }
}

extension GitHistorySource.Item {
    /// The blob this item scans, if it is one.
    var blob: ObjectID? {
        switch self {
        case .blob(let id), .packed(let id, _): return id
        case .message, .tagMessage: return nil
        }
    }
}

/// A blob's bytes on their way to the worker that scans it, which takes them: the scanned item
/// is kept until attribution, its bytes are not.
final class PackedBytes: @unchecked Sendable {
    private var bytes: [UInt8]
    private var hits: KeywordHits?

    init(_ bytes: [UInt8], hits: KeywordHits?) {
        self.bytes = bytes
        self.hits = hits
    }

    /// The bytes and their keyword occurrences, once; only the one worker that reads the item calls it.
    func take() -> ([UInt8], KeywordHits?) {
        defer { bytes = []; hits = nil }
        return (bytes, hits)
    }
}
