import Foundation

/// One tree of a repository instead of its history: the blobs staged in the index that HEAD's
/// tree does not hold (`--staged`, what the next commit would add), or HEAD's tree
/// (`--no-history`, the committed state of the checked-out branch; uncommitted work tree
/// changes are not read, so the result is the same in a bare clone or in CI).
final class TreeSource: Sendable {
    let path: String
    let mode: HistoryOptions.Mode

    init(path: String, mode: HistoryOptions.Mode) {
        self.path = path
        self.mode = mode
    }

    private final class Results: @unchecked Sendable {
        let lock = NSLock()
        var matches: [ObjectID: [SecretMatch]] = [:]
        var stats = ScanStats()
        var failures: [String] = []
    }

    /// Scans the tree; returns false when there is nothing to read it from (no HEAD for
    /// `--no-history`).
    func scan(repository: Repository, context: ScanContext) throws -> Bool {
        var headCommit: CommitInfo?
        var headTree: ObjectID?
        if let head = try repository.headCommit() {
            let parsed = try repository.withObject(head) { _, raw in CommitObject(raw) }
            if let parsed {
                headTree = parsed.tree
                headCommit = CommitInfo(id: head.description, author: parsed.author,
                                        date: GitDate.iso8601(parsed.authorTime, zone: parsed.authorZone),
                                        time: parsed.authorTime, order: 0)
            }
        }
        var entries: [(path: String, blob: ObjectID)]
        switch mode {
        case .staged:
            let inHead = try headTree.map { try HistoryWalker.allBlobs(in: $0, repository: repository) } ?? []
            entries = try repository.indexEntries().filter { !inHead.contains($0.blob) }
        case .headTree, .history:
            guard let headTree else { return false }
            entries = try TreeSource.files(in: headTree, repository: repository)
        }
        let unique = Array(Set(entries.map(\.blob)))
        let results = Results()
        let queue = WorkQueue<ObjectID>(capacity: 4 * context.options.jobs + 4)
        let path = self.path
        let workers = Workers.run(min(context.options.jobs, max(1, unique.count))) { _ in
            TreeSource.work(path: path, queue: queue, context: context, results: results)
        }
        var batch: [ObjectID] = []
        for blob in unique {
            batch.append(blob)
            if batch.count == 32 { queue.push(batch); batch = [] }
        }
        queue.push(batch)
        queue.close()
        workers.wait()

        var stats = results.stats
        stats.commits = mode == .headTree ? 1 : 0
        stats.shallow = repository.isShallow
        context.add(stats)
        for failure in results.failures { context.warn(failure) }
        let commit = mode == .headTree ? headCommit : nil
        for entry in entries {
            for match in results.matches[entry.blob] ?? [] {
                context.ledger.record(match, at: Occurrence(commit: commit, path: entry.path, line: match.line,
                                                            blob: entry.blob.description, decoding: match.decoding),
                                      inHead: mode == .headTree)
            }
        }
        return true
    }

    private static func work(path: String, queue: WorkQueue<ObjectID>, context: ScanContext, results: Results) {
        let repository: Repository
        do { repository = try Repository(path: path) } catch {
            results.lock.lock(); results.failures.append("\(error)"); results.lock.unlock()
            while queue.pop() != nil {}
            return
        }
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        var found: [ObjectID: [SecretMatch]] = [:]
        var stats = ScanStats()
        var failures: [String] = []
        while let batch = queue.pop() {
            for id in batch {
                do {
                    let outcome = try repository.withObject(id) { _, raw -> ContentScanner.Outcome in
                        stats.bytes += raw.count
                        return scanner.scan(raw)
                    }
                    stats.blobs += 1
                    switch outcome {
                    case .scanned(let matches): if !matches.isEmpty { found[id] = matches }
                    case .skippedBinary: stats.skippedBinary += 1
                    case .skippedLarge: stats.skippedLarge += 1
                    }
                } catch {
                    failures.append("\(path): blob \(id) cannot be read: \(error)")
                }
            }
        }
        results.lock.lock()
        results.matches.merge(found) { a, _ in a }
        results.stats.add(stats)
        results.failures += failures
        results.lock.unlock()
    }

    /// Every file of a tree with its path (symbolic links included, submodules left out).
    static func files(in tree: ObjectID, repository: Repository) throws -> [(path: String, blob: ObjectID)] {
        var files: [(String, ObjectID)] = []
        var pending: [(ObjectID, String)] = [(tree, "")]
        while let (next, prefix) = pending.popLast() {
            try repository.withObject(next) { kind, raw in
                guard kind == .tree else { return }
                for entry in TreeEntries(raw) {
                    let name = prefix + String(decoding: entry.name, as: UTF8.self)
                    switch entry.kind {
                    case .tree: pending.append((entry.id, name + "/"))
                    case .blob: files.append((name, entry.id))
                    case .other: break
                    }
                }
            }
        }
        return files
    }
}
