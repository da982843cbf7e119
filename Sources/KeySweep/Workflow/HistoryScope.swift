/// Which part of a repository a scan covers.
public struct HistoryOptions: Sendable {
    public enum Mode: Sendable {
        /// Every commit reachable from any reference (or the range of `scope`).
        case history
        /// `--staged`: the index's blobs that HEAD's tree does not hold (what the next commit adds).
        case staged
        /// `--no-history`: HEAD's tree only.
        case headTree
    }

    public var mode: Mode = .history
    /// `--since` / `--range`: only what the range's tips reach and its base does not.
    public var scope: HistoryScope?

    init() {}

    /// Whether these options only make sense for git repositories.
    var needsRepository: Bool { mode != .history || scope != nil }

    /// The flag that asked for a repository-only mode, for error messages.
    var flagName: String {
        switch mode {
        case .staged: return "--staged"
        case .headTree: return "--no-history"
        case .history: return scope?.flag ?? ""
        }
    }
}

/// A range of history: commits reachable from `include` and not from `exclude`, computed on
/// commits and trees (not on first-parent patches): blobs and trees reachable from `exclude`
/// are marked as seen first, then the range's commits are walked, so merges, their
/// resolutions and second-parent commits are all covered and nothing older is reported.
public struct HistoryScope: Sendable, Equatable {
    var include: [String]
    var exclude: [String]
    /// `--since` or `--range`, for messages.
    var flag: String

    init(include: [String], exclude: [String], flag: String) {
        self.include = include
        self.exclude = exclude
        self.flag = flag
    }

    /// `--since REV`: what HEAD reaches and REV does not.
    public static func since(_ revision: String) -> HistoryScope {
        HistoryScope(include: ["HEAD"], exclude: [revision], flag: "--since")
    }

    /// `--range BASE..TIP` (TIP defaults to HEAD); nil when not of that form.
    public static func range(_ text: String) -> HistoryScope? {
        guard let dots = text.range(of: ".."), !text.contains("...") else { return nil }
        let base = String(text[..<dots.lowerBound]), tip = String(text[dots.upperBound...])
        guard !base.isEmpty else { return nil }
        return HistoryScope(include: [tip.isEmpty ? "HEAD" : tip], exclude: [base], flag: "--range")
    }

    /// The scope's revisions as commits of `repository`.
    func resolve(in repository: Repository, target: String) throws -> (include: [ObjectID], exclude: [ObjectID]) {
        func commit(_ revision: String) throws -> ObjectID {
            guard let id = repository.resolveCommit(revision) else {
                // A CI checkout is usually shallow (one commit, one branch): the base is not there.
                let hint = repository.isShallow
                    ? " (this is a shallow clone: fetch the history, e.g. actions/checkout with `fetch-depth: 0`, or `git fetch --unshallow`)" : ""
                throw ScanError.invalid("\(target): unknown revision '\(revision)' in \(flag)\(hint)")
            }
            return id
        }
        return (try include.map(commit), try exclude.map(commit))
    }

    /// Marks every tree and blob reachable from the excluded commits as seen, so the walk of the
    /// range reports (and scans) only what is new in it.
    static func markExcluded(_ excluded: [ObjectID], repository: Repository, walker: inout HistoryWalker,
                             index: inout HistoryIndex) throws {
        guard !excluded.isEmpty else { return }
        for id in try repository.commits(reachableFrom: excluded, excluding: []) {
            guard let tree = try repository.commit(id)?.tree else { continue }
            try walker.markSeen(tree, index: &index)
        }
    }
}
