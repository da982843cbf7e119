import Foundation

/// What one scan found: the report's input.
public struct ScanResult: Sendable {
    var targets: [String]
    var stats: ScanStats
    /// Findings to report (placeholders only when asked for).
    var findings: [Finding]
    /// Problems that did not stop the scan (unreadable files, objects that could not be read).
    public var warnings: [String]
    /// The digest of the rule set that made it (`RuleSet.fingerprint`); empty in reports written before keysweep recorded it.
    var ruleSet = ""
    /// The keysweep version that made it.
    var toolVersion = KeySweepVersion.current
    /// For a shard's scan (`--shard`): which share it is.
    var shard: ShardRecord?
    /// For a merged report: the reports it was made of.
    var merged: [MergedReport] = []
    /// Findings left out by ignore files, a baseline or allowlists.
    var suppressed = 0
    /// Ignore entries that matched nothing (for `--report-unused-ignores`).
    public var unusedIgnores: [IgnoreFile.Entry] = []
    /// The STS endpoint `--verify` asked (`Remediation.verify`), nil when not verified.
    var verifiedWith: String? = nil

    /// The exit policy: the scan fails a build when it has a finding of at least `threshold`
    /// confidence (exit status 1).
    public func fails(at threshold: Confidence) -> Bool {
        findings.contains { $0.confidence >= threshold }
    }

    /// Some targets could not be scanned (`stats.failedTargets`), or a rule stopped before the end
    /// of some content (`stats.incomplete`): the report covers the rest.
    public var isIncomplete: Bool { !stats.failedTargets.isEmpty || stats.incomplete > 0 }
}

/// keysweep's entry point: scans targets with a rule set and returns the deduplicated findings.
public struct Scanner: Sendable {
    let rules: RuleSet
    let options: ScanOptions

    public init(rules: RuleSet, options: ScanOptions = ScanOptions()) {
        self.rules = rules
        self.options = options
    }

    /// Scans each target: `-` (standard input), a git repository (its whole history), a
    /// directory or a file, a git URL or gist (cloned, every ref), and the repositories and
    /// gists `options.remote.github` lists. Throws `ScanError` when a target cannot be scanned
    /// at all; a remote target among others that cannot be cloned is a warning and is listed in
    /// `stats.failedTargets` (`ScanResult.isIncomplete`).
    public func scan(_ targets: [String]) throws -> ScanResult {
        let start = Date()
        let context = ScanContext(rules: rules, options: options)
        var plan = try TargetPlan.make(targets, options: options.remote, warn: context.warn)
        // Every target's ignore file, also those of other shards: a shard suppresses what one process would.
        let suppressions = try Suppressions(options: options.suppression, targets: try plan.local.map { try LocalTarget.locate($0).path },
                                            warn: context.warn)
        let planned = plan.local.count + plan.remote.count + plan.failed.count
        let shard = options.shard.map { Scanner.share(&plan, shard: $0, context: context) }
        let local = try plan.local.map(LocalTarget.locate)
        for target in local {
            try scan(target.path, within: target.within, context: context)
        }
        var failed = plan.failed
        if !plan.remote.isEmpty { failed += try RemoteScan(context: context).run(plan) }
        if !failed.isEmpty {
            // Nothing else was asked for: the one failure is the answer.
            if planned == 1 && failed.count == 1 {
                throw ScanError.invalid("\(TerminalText.escape(failed[0].target)): \(failed[0].reason)")
            }
            for failure in failed { context.warn("\(failure.target): not scanned: \(failure.reason)") }
        }
        context.progress.finish()
        var stats = context.stats
        // By target, not by which clone finished first: the same on every run (and in a merge of shards).
        stats.failedTargets = failed.sorted { ($0.target, $0.reason) < ($1.target, $1.reason) }
        stats.fetched.sort { $0.target < $1.target }
        stats.seconds = Date().timeIntervalSince(start)
        var findings = context.ledger.findings()
        Scanner.noteLimits(context, findings: findings, stats: &stats)
        stats.placeholders = findings.filter(\.isPlaceholder).count
        var shardRecord = shard
        shardRecord?.placeholders = findings.filter(\.isPlaceholder).map(\.id).sorted()
        if !options.includePlaceholders { findings.removeAll(where: \.isPlaceholder) }
        let names = local.map(\.path) + plan.remote.map(\.displayURL)
        // Repositories in target order, not in the order their clones finished (as `merge` orders them).
        let position = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for index in findings.indices where findings[index].refs.count > 1 {
            findings[index].refs.sort {
                (position[$0.repository] ?? Int.max, $0.repository) < (position[$1.repository] ?? Int.max, $1.repository)
            }
        }
        var result = ScanResult(targets: names, stats: stats, findings: findings, warnings: context.warnings)
        result.ruleSet = rules.fingerprint
        result.shard = shardRecord
        result.unusedIgnores = suppressions.apply(to: &result)
        return result
    }

    /// Narrows `plan` to this shard's share: its targets (target shards), or every target with
    /// the content split (blob shards, `context.contentShard`). Returns what the report records.
    private static func share(_ plan: inout TargetPlan, shard: Shard, context: ScanContext) -> ShardRecord {
        let names = plan.local + plan.remote.map(\.displayURL)
        let keys = plan.local.map(Shard.localKey) + plan.remote.map(\.identity)
        var split = shard.split
        if split == .auto { split = names.count == 1 ? .blobs : .targets }
        var record = ShardRecord(index: shard.index, count: shard.count, split: split.rawValue,
                                 planned: names.count, plan: ShardRecord.planDigest(names), positions: nil, placeholders: [])
        if split == .blobs {
            context.contentShard = shard
            // A target that could not be listed is reported once, by the shard its name falls to.
            plan.failed = plan.failed.filter { shard.owns(key: $0.target) }
            return record
        }
        let owned = keys.indices.filter { shard.owns(key: keys[$0]) }
        record.positions = owned
        let local = plan.local.count
        plan.local = owned.filter { $0 < local }.map { plan.local[$0] }
        plan.remote = owned.filter { $0 >= local }.map { plan.remote[$0 - local] }
        plan.failed = plan.failed.filter { shard.owns(key: $0.target) }
        return record
    }

    /// Counts and names what `HoldLimits` left out, so a report never silently holds less than was found.
    private static func noteLimits(_ context: ScanContext, findings: [Finding], stats: inout ScanStats) {
        let limits = context.options.limits
        let held = context.omittedMatches, unkept = context.ledger.omittedSightings
        let occurrences = findings.reduce(0) { $0 + $1.omittedOccurrences }
        // Matches past `matchesPerContent` are in the stats already (named per content in warnings).
        stats.omittedMatches += held + unkept + occurrences
        if held > 0 {
            context.warn("\(held) matches were counted, not kept: one source holds at most \(limits.heldMatches) until it attributes them")
        }
        if unkept > 0 {
            context.warn("\(unkept) sightings of secrets past the first \(limits.findings) distinct ones were counted, not kept")
        }
        if occurrences > 0 {
            let many = findings.filter { $0.omittedOccurrences > 0 }.count
            context.warn("\(many) finding\(many == 1 ? "" : "s") occur more than \(limits.occurrencesPerFinding) times; "
                         + "the earliest \(limits.occurrencesPerFinding) of each are listed (\(occurrences) more counted)")
        }
    }

    /// Resolves one local target to its source and runs it through the pipeline.
    private func scan(_ target: String, within: String?, context: ScanContext) throws {
        let pipeline = Pipeline(context: context, origin: target == "-" ? nil : .local(target, within: within))
        if options.history.needsRepository && target == "-" {
            throw ScanError.invalid("\(options.history.flagName) needs a git repository, not standard input")
        }
        // Blob shards: standard input and a large named file are one piece each, read by one shard.
        if let shard = context.contentShard, target == "-" || isLargeFile(target), !shard.owns(key: Shard.localKey(target)) { return }
        if target == "-" { return try pipeline.run(StreamSource()) }
        var info = stat()
        guard stat(target, &info) == 0 else {
            throw errno == EACCES ? ScanError.unreadable(target) : ScanError.notFound(target)
        }
        let kind = info.st_mode & S_IFMT
        guard kind == S_IFDIR || kind == S_IFREG else { throw ScanError.notScannable(target) }
        // A file named as a target that cannot be read is an error, not a warning and "no secrets found".
        if kind == S_IFREG && access(target, R_OK) != 0 { throw ScanError.unreadable(target) }
        if kind == S_IFDIR, let repository = try openRepository(target) {
            do {
                if options.history.mode != .history,
                   let tree = try TreeSource(path: target, repository: repository, mode: options.history.mode) {
                    return try pipeline.run(tree)
                }
                if options.history.scope == nil, try !repository.hasCommits() {
                    // No commits yet: what exists is the work tree.
                    guard let workdir = repository.workdir, hasFiles(workdir) else { throw ScanError.emptyRepository(target) }
                    context.warn("\(target): repository has no commits; scanning its work tree")
                    return try pipeline.run(FileSystemSource(path: target, options: options))
                }
                try pipeline.run(GitHistorySource(path: target, repository: repository, context: context))
                // Beside the history, what is not committed yet (a whole-history scan only: a
                // range names commits, and `--no-history` is what is committed).
                if options.workTree, options.history.mode == .history, options.history.scope == nil, !repository.isBare {
                    let workTree = try WorkTreeSource(repository: repository, options: options)
                    if !workTree.isEmpty { try pipeline.run(workTree) }
                }
            } catch let error as GitError {
                throw ScanError.corruptRepository(target, error.message)
            }
            return
        }
        if options.history.needsRepository {
            throw ScanError.invalid("\(target): \(options.history.flagName) needs a git repository")
        }
        if kind == S_IFREG && Int(info.st_size) > options.maxBlobSize {
            // Named on the command line: scanned whatever its size, in chunks (--max-size is for
            // the files of a directory and the blobs of a history).
            return try pipeline.run(LargeFileSource(path: target, size: Int(info.st_size)))
        }
        try pipeline.run(FileSystemSource(path: target, options: options))
    }

    private func isLargeFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && Int(info.st_size) > options.maxBlobSize
    }

    private func openRepository(_ path: String) throws -> Repository? {
        do {
            return try Repository.openIfRepository(path)
        } catch let error as GitError {
            throw ScanError.corruptRepository(path, error.message)
        }
    }

    private func hasFiles(_ directory: String) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).contains { $0 != ".git" }
    }
}
