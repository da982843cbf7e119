import Foundation

/// The full history of a git repository: every commit reachable from any reference or HEAD,
/// each unique blob read and scanned once, commit messages included.
///
/// One thread walks the history (`HistoryWalker`) and feeds new blobs through a bounded
/// queue to the workers, which scan them; attribution to commits and paths joins the two at
/// the end (scan each blob once, attribute separately). With `--jobs 1` everything runs on
/// the calling thread: the walk first, then the scan. With `--jobs 1` everything runs on
/// the calling thread: the walk first, then the scan.
final class GitHistorySource: Sendable {
    let path: String

    init(path: String) { self.path = path }

    private enum Work {
        case blob(ObjectID)
        case message(commit: Int, bytes: [UInt8])
    }

    /// What became of one blob a worker read.
    private struct BlobOutcome {
        enum Kind { case scanned, skippedBinary, skippedLarge, unreadable(String) }
        var id: ObjectID
        var size: Int
        var kind: Kind
    }

    /// What the workers found, merged.
    private final class Results: @unchecked Sendable {
        let lock = NSLock()
        var blobMatches: [(ObjectID, [SecretMatch])] = []
        var messageMatches: [(Int, [SecretMatch])] = []
        var blobs: [BlobOutcome] = []
        var failures: [String] = []

        /// Forgets blobs outside `wanted` (read ahead from the packs, but no walked commit holds them).
        func keep(only wanted: Set<ObjectID>) {
            blobMatches.removeAll { !wanted.contains($0.0) }
            blobs.removeAll { !wanted.contains($0.id) }
        }

        /// The blob counts of the scan, and a warning for each blob that could not be read.
        var stats: ScanStats {
            var stats = ScanStats()
            for blob in blobs {
                switch blob.kind {
                case .unreadable: continue
                case .skippedBinary: stats.skippedBinary += 1
                case .skippedLarge: stats.skippedLarge += 1
                case .scanned: break
                }
                stats.blobs += 1
                stats.bytes += blob.size
            }
            return stats
        }

        var warnings: [String] {
            failures + blobs.compactMap { if case .unreadable(let why) = $0.kind { return why } else { return nil } }
        }

        /// Adds what the cache answered (after the workers are done).
        func merge(_ cached: CachedResults) {
            lock.lock()
            blobMatches += cached.blobMatches
            lock.unlock()
        }
    }

    /// Results the scan cache gave for blobs the walker found, instead of reading them.
    private struct CachedResults {
        var blobMatches: [(ObjectID, [SecretMatch])] = []
        var stats = ScanStats()

        mutating func add(_ blob: ObjectID, _ outcome: ContentScanner.Outcome, size: Int) {
            stats.blobs += 1
            stats.cachedBlobs += 1
            stats.bytes += size
            switch outcome {
            case .scanned(let matches): if !matches.isEmpty { blobMatches.append((blob, matches)) }
            case .skippedBinary: stats.skippedBinary += 1
            case .skippedLarge: stats.skippedLarge += 1
            }
        }
    }

    /// Returns the number of commits walked.
    @discardableResult
    func scan(repository: Repository, context: ScanContext) throws -> Int {
        let scope = try context.options.history.scope?.resolve(in: repository, target: path)
        // With the cache, and no ref moved since it was filled: replay instead of walking.
        let tips = context.cache != nil && scope == nil && !context.options.allObjects
            ? try HistorySnapshot.tipsKey(repository, path: path) : nil
        if let cache = context.cache, let tips, let snapshot = cache.history(tips: tips) {
            var stats = snapshot.stats
            stats.cachedBlobs = stats.blobs
            context.add(stats)
            snapshot.replay(into: context.ledger)
            return stats.commits
        }
        let cache = context.cache
        var index = HistoryIndex()
        var commits: [ObjectID] = []
        var reachableCount = 0

        let queue = WorkQueue<Work>(capacity: 4 * context.options.jobs + 4)
        let results = Results()
        let path = self.path
        // One job: nothing runs beside the walk; the queue holds all the work until it is done.
        let serial = context.options.jobs == 1
        let workers = serial ? nil : Workers.run(context.options.jobs) { _ in
            GitHistorySource.work(path: path, queue: queue, context: context, results: results)
        }
        // A full-history scan reads every packed blob in pack order while the walk runs, so
        // walking and scanning overlap; blobs the walk never reaches are dropped afterwards.
        // (With a cache or a scope most packed blobs are not wanted: read after the walk.)
        let readAhead = !serial && cache == nil && scope == nil && !context.options.allObjects
            ? PackReadAhead.start(objectsDirectory: repository.objectsDirectory, queue: queue) { Work.blob($0) } : nil

        var walkError: Error?
        var cached = CachedResults()
        var newBlobs: [ObjectID] = []
        do {
            // Listed once the workers (and the read-ahead) are running: on git/git this takes a second.
            commits = try scope.map { try repository.commits(reachableFrom: $0.include, excluding: $0.exclude) }
                ?? repository.allCommits()
            reachableCount = commits.count
            if context.options.allObjects && scope == nil {
                commits += try UnreachableObjects.commits(in: repository, reachable: commits)
            }
            if let head = try repository.headCommit() {
                let tree = try repository.withObject(head) { _, raw in CommitObject(raw)?.tree }
                if let tree { index.headBlobs = try HistoryWalker.allBlobs(in: tree, repository: repository) }
            }
            var walker = HistoryWalker(repository: repository)
            if let scope { try HistoryScope.markExcluded(scope.exclude, repository: repository, walker: &walker, index: &index) }
            var batch: [Work] = []
            batch.reserveCapacity(64)
            for (order, id) in commits.enumerated() {
                let parsed = try repository.withObject(id) { _, raw -> (CommitObject, [UInt8])? in
                    guard let commit = CommitObject(raw) else { return nil }
                    return (commit, Array(raw[commit.messageRange]))
                }
                guard let (commit, message) = parsed else {
                    context.warn("\(path): commit \(id) cannot be parsed; skipped")
                    continue
                }
                index.commits.append(CommitInfo(id: id.description, author: commit.author,
                                                date: GitDate.iso8601(commit.authorTime, zone: commit.authorZone),
                                                time: commit.authorTime, order: order,
                                                unreachable: order >= reachableCount ? true : nil))
                batch.append(.message(commit: index.commits.count - 1, bytes: message))
                try walker.walkTree(commit.tree, commit: index.commits.count - 1, index: &index) { blob in
                    // A blob scanned before with the same rules is not read again.
                    if let cache, let (outcome, size) = cache.outcome(of: blob) {
                        cached.add(blob, outcome, size: size)
                    } else {
                        newBlobs.append(blob)
                    }
                }
                if batch.count >= 64 {
                    // While blobs are read ahead the queue is full of them: the walk must not wait.
                    queue.push(batch, waitForRoom: !serial && readAhead == nil)
                    batch.removeAll(keepingCapacity: true)
                }
                context.progress.walked(commits: 1)
            }
            if context.options.allObjects && scope == nil {
                // Blobs no walked tree holds (added, never committed): scanned without a commit.
                let loose = try UnreachableObjects.blobs(in: repository) { index.introductions[$0] != nil }
                for blob in loose {
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
                rest = newBlobs.filter { !queued.contains($0) }   // loose objects
            } else {
                rest = PackOrder.sorted(newBlobs, objectsDirectory: repository.objectsDirectory)
            }
            for blob in rest {
                batch.append(.blob(blob))
                if batch.count >= 64 {
                    queue.push(batch, waitForRoom: !serial)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            queue.push(batch, waitForRoom: !serial)
        } catch {
            walkError = error
            readAhead?.cancel()
            _ = readAhead?.finish()
        }
        queue.close()
        if let workers { workers.wait() } else if walkError == nil {
            GitHistorySource.work(path: path, queue: queue, context: context, results: results)
        }
        if let walkError { throw walkError }
        if readAhead != nil { results.keep(only: Set(newBlobs)) }
        results.merge(cached)
        if let cache {
            do { try cache.save() } catch { context.warn("cannot update the cache: \(error)") }
        }

        var stats = results.stats
        stats.add(cached.stats)
        stats.commits = index.commits.count
        stats.unreachableCommits = commits.count - reachableCount
        stats.shallow = repository.isShallow
        context.add(stats)
        for failure in results.warnings { context.warn(failure) }
        let tape = LedgerTape(ledger: context.ledger, keeping: tips != nil)
        CommitPairing(rules: context.rules, options: context.options)
            .complete(&results.blobMatches, index: index, repository: repository)
        attribute(results, index: index, to: tape)
        if let cache, let tips, results.warnings.isEmpty {
            do { try cache.storeHistory(HistorySnapshot(stats: stats, records: tape.records), tips: tips) } catch {
                context.warn("cannot update the cache: \(error)")
            }
        }
        return index.commits.count
    }

    /// Each worker: its own repository handle and scanner; scans until the queue is drained.
    private static func work(path: String, queue: WorkQueue<Work>, context: ScanContext, results: Results) {
        let repository: Repository
        do { repository = try Repository(path: path) } catch {
            results.lock.lock(); results.failures.append("\(error)"); results.lock.unlock()
            while queue.pop() != nil {}
            return
        }
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        var blobMatches: [(ObjectID, [SecretMatch])] = []
        var messageMatches: [(Int, [SecretMatch])] = []
        var outcomes: [BlobOutcome] = []
        while let batch = queue.pop() {
            var bytes = 0
            var blobs = 0
            for item in batch {
                switch item {
                case .blob(let id):
                    do {
                        var size = 0
                        let outcome = try repository.withObject(id) { _, raw -> ContentScanner.Outcome in
                            size = raw.count
                            return scanner.scan(raw)
                        }
                        bytes += size
                        blobs += 1
                        context.cache?.record(id, outcome, size: size)
                        switch outcome {
                        case .scanned(let matches):
                            if !matches.isEmpty { blobMatches.append((id, matches)) }
                            outcomes.append(BlobOutcome(id: id, size: size, kind: .scanned))
                        case .skippedBinary: outcomes.append(BlobOutcome(id: id, size: size, kind: .skippedBinary))
                        case .skippedLarge: outcomes.append(BlobOutcome(id: id, size: size, kind: .skippedLarge))
                        }
                    } catch {
                        outcomes.append(BlobOutcome(id: id, size: 0, kind: .unreadable("\(path): blob \(id) cannot be read: \(error)")))
                    }
                case .message(let commit, let message):
                    let matches = message.withUnsafeBytes { scanner.detect(in: $0) }
                    if !matches.isEmpty { messageMatches.append((commit, matches)) }
                }
            }
            context.progress.scanned(blobs: blobs, bytes: bytes)
        }
        results.lock.lock()
        results.blobMatches += blobMatches
        results.messageMatches += messageMatches
        results.blobs += outcomes
        results.lock.unlock()
    }

    /// Joins what was found in each blob with where that blob was introduced.
    private func attribute(_ results: Results, index: HistoryIndex, to ledger: LedgerTape) {
        for (blob, matches) in results.blobMatches {
            let inHead = index.headBlobs.contains(blob)
            if index.introductions[blob] == nil && index.loose.contains(blob) {
                for match in matches {
                    ledger.record(match, at: Occurrence(commit: nil, path: HistoryIndex.loosePath, line: match.line,
                                                        blob: blob.description, decoding: match.decoding),
                                  inHead: false)
                }
            }
            for introduction in index.introductions[blob] ?? [] {
                let commit = index.commits[Int(introduction.commit)]
                for match in matches {
                    ledger.record(match, at: Occurrence(commit: commit, path: index.paths[Int(introduction.path)],
                                                        line: match.line, blob: blob.description, decoding: match.decoding),
                                  inHead: inHead)
                }
            }
        }
        for (commitIndex, matches) in results.messageMatches {
            for match in matches {
                ledger.record(match, at: Occurrence(commit: index.commits[commitIndex], path: "(commit message)",
                                                    line: match.line, blob: nil, decoding: match.decoding),
                              inHead: false)
            }
        }
    }
}

/// Git author dates as ISO 8601 in the author's own zone.
enum GitDate {
    static func iso8601(_ seconds: Int64, zone: String) -> String {
        let sign: Int64 = zone.hasPrefix("-") ? -1 : 1
        let digits = zone.drop { $0 == "+" || $0 == "-" }
        let value = Int64(digits) ?? 0
        let offset = sign * ((value / 100) * 3600 + (value % 100) * 60)
        var time = time_t(seconds + offset)
        var parts = tm()
        gmtime_r(&time, &parts)
        let zoneText = digits.count == 4 ? "\(sign < 0 ? "-" : "+")\(digits.prefix(2)):\(digits.suffix(2))" : "+00:00"
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))\(zoneText)"
    }
}

/// Feeds every blob of the packs, in pack order, to the workers from its own thread while the
/// history is walked (see `GitHistorySource.scan`).
private final class PackReadAhead: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var blobs: [ObjectID] = []
    private var group: WorkerGroup?

    static func start<Work>(objectsDirectory: String, queue: WorkQueue<Work>, item: @escaping @Sendable (ObjectID) -> Work) -> PackReadAhead {
        let ahead = PackReadAhead()
        ahead.group = Workers.run(1) { _ in
            let blobs = PackedBlobs.inPackOrder(objectsDirectory: objectsDirectory)
            ahead.lock.withLock { ahead.blobs = blobs }
            var start = 0
            while start < blobs.count, !ahead.lock.withLock({ ahead.cancelled }) {
                let end = min(start + 64, blobs.count)
                queue.push(blobs[start..<end].map(item))
                start = end
            }
        }
        return ahead
    }

    /// Stops feeding (the walk failed).
    func cancel() { lock.withLock { cancelled = true } }

    /// Waits until every packed blob is queued; returns them.
    func finish() -> Set<ObjectID> {
        group?.wait()
        return lock.withLock { Set(blobs) }
    }
}
