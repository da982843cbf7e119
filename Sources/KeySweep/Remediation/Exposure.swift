import Foundation

/// Where and since when a credential is exposed: from its findings' occurrences, and what the
/// history source recorded of each repository's refs (`Finding.refs`): which ref tips still hold
/// it and which commit removed it from the default branch.
struct Exposure: Sendable, Encodable, Equatable {
    struct CommitRef: Sendable, Encodable, Equatable {
        var commit: String
        @JSONNullable var author: String?
        @JSONNullable var date: String?
        var path: String?
        var line: Int?
    }

    /// The occurrence that introduced it (commit is nil outside git history).
    @JSONNullable var first: CommitRef?
    /// First path and line, also outside git history.
    var firstPath: String
    var firstLine: Int
    /// `yyyy-MM-dd` of the first commit, nil outside git history.
    @JSONNullable var exposedSince: String?
    /// Distinct commits that introduced it somewhere.
    var commits: Int
    /// Distinct paths it was seen at.
    var paths: [String]
    /// Full names of refs (`refs/heads/main`, `refs/tags/v1`) whose tip tree still holds it; nil
    /// when nothing is known of refs (not found in git history, or a report written without them).
    @JSONNullable var refTips: [String]?
    /// Whether HEAD (or the files on disk) still holds it.
    var inHead: Bool
    /// The first-parent commit of the default branch (HEAD) whose tree no longer holds it, when
    /// an earlier commit of that chain did; nil when HEAD still holds it, it was never on the
    /// default branch, or refs are unknown.
    @JSONNullable var removedBy: CommitRef?
    /// The default branch walked for `removedBy` (`refs/heads/main`), nil when refs are unknown.
    @JSONNullable var defaultBranch: String?
    /// The remote repositories and gists it was seen in (none for local targets).
    var remotes: [RemotePlace] = []
    /// A web link to the first occurrence, when its target has a web page.
    var firstLink: String? = nil
    /// Who committed it: the author of the first commit, then the authors of later
    /// occurrences, each once, in the order they first did.
    var committers: [Committer] = []

    struct Committer: Sendable, Encodable, Equatable {
        /// `Name <email>`.
        var author: String
        /// Commits of theirs holding an occurrence.
        var commits: Int
        /// The author of the commit that introduced it first.
        var first: Bool
        /// Date of their earliest such commit.
        @JSONNullable var since: String?
    }

    /// Seen in a git commit; not for standard input or files read from disk: no HEAD, no history
    /// to purge.
    var inHistory: Bool { first != nil }

    /// Seen in a remote repository or gist its host says is public.
    var isPublic: Bool { remotes.contains { $0.visibility == "public" } }

    /// A remote target as the plan names it.
    struct RemotePlace: Sendable, Encodable, Equatable {
        var kind: String
        var url: String
        var web: String?
        var owner: String?
        var visibility: String?
    }

    enum CodingKeys: String, CodingKey {
        case remotes, committers, firstLink = "first_link"
        case first, commits, paths
        case firstPath = "first_path", firstLine = "first_line"
        case exposedSince = "exposed_since", refTips = "ref_tips", inHead = "in_head"
        case removedBy = "removed_by", defaultBranch = "default_branch"
    }

    /// Branch tips (local or remote-tracking) among `refTips`.
    var branchTips: [String] { (refTips ?? []).filter { $0.hasPrefix("refs/heads/") || $0.hasPrefix("refs/remotes/") } }
    var tagTips: [String] { (refTips ?? []).filter { $0.hasPrefix("refs/tags/") } }
}

extension Exposure {
    /// The exposure of the findings of one credential (id, secret, token together), from what
    /// the scan recorded: occurrences, `inHead`, and each repository's ref facts (`refs`).
    /// `prefixTips` names each tip with its repository (a result of several repositories).
    init(of findings: [Finding], prefixTips: Bool) {
        let occurrences = findings.flatMap(\.occurrences)
        // The earliest introduction by date (outside git history: none).
        let first = findings.map(\.first).min { a, b in
            (a.commit == nil ? 1 : 0, a.commit?.time ?? 0) < (b.commit == nil ? 1 : 0, b.commit?.time ?? 0)
        } ?? findings[0].first
        let refs = findings.flatMap(\.refs)
        let inHead = findings.contains(where: \.inHead)
        var tips: [String]?
        if !refs.isEmpty {
            tips = Array(Set(refs.flatMap { refs in refs.tips.map { prefixTips ? "\(refs.repository):\($0)" : $0 } })).sorted()
        }
        // The commit that removed the last of them from the default branch.
        let removal = inHead ? nil : refs.compactMap(\.removedBy).max { $0.time < $1.time }
        self.init(
            first: first.commit.map { CommitRef(commit: $0.id, author: $0.author, date: $0.date, path: first.path, line: first.line) },
            firstPath: first.path, firstLine: first.line,
            exposedSince: first.commit.map { String($0.date.prefix(10)) },
            commits: Set(occurrences.compactMap(\.commit?.id)).count,
            paths: Array(Set(occurrences.map(\.path))).sorted(),
            refTips: tips,
            inHead: inHead,
            removedBy: removal.map { CommitRef(commit: $0.id, author: $0.author, date: $0.date) },
            defaultBranch: refs.lazy.compactMap(\.defaultBranch).first)
        var seen: Set<String> = []
        remotes = occurrences.compactMap(\.origin).filter { $0.kind != .local && seen.insert($0.target).inserted }.map {
            RemotePlace(kind: $0.kind.rawValue, url: $0.target, web: $0.web, owner: $0.owner, visibility: $0.visibility)
        }
        firstLink = first.permalink
        committers = Self.committers(occurrences, first: first)
    }

    static func committers(_ occurrences: [Occurrence], first: Occurrence) -> [Committer] {
        let commits = Dictionary(occurrences.compactMap(\.commit).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values
            .sorted { ($0.time, $0.order, $0.id) < ($1.time, $1.order, $1.id) }
        var out: [Committer] = []
        if let commit = first.commit, !commit.author.isEmpty {
            out.append(Committer(author: commit.author, commits: 0, first: true, since: commit.date))
        }
        for commit in commits where !commit.author.isEmpty {
            if let index = out.firstIndex(where: { $0.author == commit.author }) {
                out[index].commits += 1
            } else {
                out.append(Committer(author: commit.author, commits: 1, first: false, since: commit.date))
            }
        }
        return out
    }
}
