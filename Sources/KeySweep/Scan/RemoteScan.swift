import Foundation

/// Scans remote targets: clones them (`CloneQueue`, several at once) and runs each finished
/// clone's history through the pipeline as a local repository, its occurrences carrying the
/// remote's `Origin` (URL, web permalinks, gist owner and visibility).
struct RemoteScan {
    let context: ScanContext

    /// Returns the targets that could not be scanned.
    func run(_ plan: TargetPlan) throws -> [FailedTarget] {
        let options = context.options.remote
        let directory = try CloneDirectory(kept: options.cloneDirectory)
        defer { directory.close() }
        let queue = CloneQueue(plan.remote, directory: directory, options: options, progress: context.progress)
        var failed: [FailedTarget] = []
        while let cloned = queue.nextCloned() {
            let target = cloned.target
            let name = target.displayURL
            switch cloned.result {
            case .failure(let error):
                failed.append(FailedTarget(target: name, reason: RemoteScan.oneLine(error)))
            case .success(let clone):
                defer { directory.discard(clone.path) }
                var stats = ScanStats()
                stats.fetched = [FetchedTarget(target: name, refs: clone.fetched.refsByNamespace)]
                context.add(stats)
                do {
                    try scan(clone.path, of: target)
                } catch ScanError.emptyRepository {
                    if plan.listed.contains(target.identity) {
                        context.warn("\(name): empty repository, nothing to scan")
                    } else {
                        failed.append(FailedTarget(target: name, reason: "the repository is empty"))
                    }
                } catch {
                    failed.append(FailedTarget(target: name, reason: RemoteScan.oneLine(error)))
                }
            }
        }
        return failed
    }

    /// One clone's history (or, with `--staged`/`--no-history`, HEAD's tree).
    private func scan(_ path: String, of target: RemoteTarget) throws {
        let pipeline = Pipeline(context: context, origin: target.origin)
        let name = target.displayURL
        do {
            guard let repository = try Repository.openIfRepository(path) else {
                throw ScanError.invalid("the clone is not a repository")
            }
            guard try repository.hasCommits() else { throw ScanError.emptyRepository(name) }
            if context.options.history.mode != .history,
               let tree = try TreeSource(path: path, repository: repository, mode: context.options.history.mode) {
                return try pipeline.run(tree)
            }
            try pipeline.run(GitHistorySource(path: path, name: name, repository: repository, context: context))
        } catch let error as GitError {
            throw ScanError.corruptRepository(name, error.message)
        }
    }

    static func oneLine(_ error: Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
