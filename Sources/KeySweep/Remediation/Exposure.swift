import Foundation

/// Where and since when a credential is exposed: from the report's occurrences, plus what the
/// scan does not say, computed afterwards from the repository: which ref tips still hold it and
/// which commit removed it from the default branch.
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
    /// when the repository could not be opened (a report read without its repository).
    @JSONNullable var refTips: [String]?
    /// Whether HEAD (or the files on disk) still holds it.
    var inHead: Bool
    /// The first-parent commit of the default branch (HEAD) whose tree no longer holds it, when
    /// an earlier commit of that chain did; nil when HEAD still holds it, it was never on the
    /// default branch, or the repository was not available.
    @JSONNullable var removedBy: CommitRef?
    /// The default branch walked for `removedBy` (`refs/heads/main`), nil without a repository.
    @JSONNullable var defaultBranch: String?

    enum CodingKeys: String, CodingKey {
        case first, commits, paths
        case firstPath = "first_path", firstLine = "first_line"
        case exposedSince = "exposed_since", refTips = "ref_tips", inHead = "in_head"
        case removedBy = "removed_by", defaultBranch = "default_branch"
    }

    /// Branch tips (local or remote-tracking) among `refTips`.
    var branchTips: [String] { (refTips ?? []).filter { $0.hasPrefix("refs/heads/") || $0.hasPrefix("refs/remotes/") } }
    var tagTips: [String] { (refTips ?? []).filter { $0.hasPrefix("refs/tags/") } }
}

/// Computes exposures against the repositories a report was made from.
final class ExposureAnalyzer {
    private struct Repo {
        let repository: Repository
        let tips: [Repository.Reference]
        let head: ObjectID?
        let headName: String?
        /// HEAD's first-parent chain, newest first (bounded).
        var chain: [ObjectID]?
    }

    private var repos: [Repo] = []
    private var trees: [ObjectID: ObjectID] = [:]
    private var lookups: [String: ObjectID?] = [:]
    /// Longest first-parent chain walked to find the removing commit.
    static let maxChain = 200_000

    /// Opens each target that is a git repository; others are ignored (their findings get no ref facts).
    init(targets: [String]) {
        for target in targets where target != "-" {
            guard let repository = try? Repository.openIfRepository(target) else { continue }
            let tips = ((try? repository.references()) ?? []).filter { !$0.name.hasPrefix("refs/notes/") }
            let head = try? repository.headCommit()
            repos.append(Repo(repository: repository, tips: tips, head: head ?? nil, headName: repository.symbolicHead()))
        }
    }

    var hasRepository: Bool { !repos.isEmpty }

    /// The exposure of the findings of one credential (id, secret, token together).
    func exposure(of findings: [ReportInput.Finding]) -> Exposure {
        let occurrences = findings.flatMap(\.occurrences)
        let firsts = findings.map(\.first)
        let first = firsts.min { Self.sortKey($0) < Self.sortKey($1) } ?? findings[0].first
        var exposure = Exposure(
            first: first.commit.map { Exposure.CommitRef(commit: $0, author: first.author, date: first.date, path: first.path, line: first.line) },
            firstPath: first.path, firstLine: first.line,
            exposedSince: first.date.map { String($0.prefix(10)) },
            commits: Set(occurrences.compactMap(\.commit)).count,
            paths: Array(Set(occurrences.map(\.path))).sorted(),
            refTips: nil,
            inHead: findings.contains(where: \.in_head),
            removedBy: nil, defaultBranch: nil)
        guard hasRepository else { return exposure }
        let places = Set(occurrences.compactMap { occurrence -> Place? in
            guard occurrence.commit != nil,
                  case .blob(let path, let blob) = ProvenanceText.provenance(path: occurrence.path, blob: occurrence.blob,
                                                                             commit: occurrence.commit) else { return nil }
            return Place(path: path, blob: blob)
        })
        var tips: [String] = []
        for index in repos.indices {
            let repo = repos[index]
            for tip in repo.tips where holds(repo.repository, commit: tip.commit, places) {
                tips.append(repos.count > 1 ? "\(repo.repository.path):\(tip.name)" : tip.name)
            }
            if let head = repo.head {
                if holds(repo.repository, commit: head, places) {
                    exposure.inHead = true
                } else if !exposure.inHead, exposure.removedBy == nil, !places.isEmpty {
                    exposure.removedBy = removingCommit(index, places)
                }
            }
            if exposure.defaultBranch == nil { exposure.defaultBranch = repo.headName }
        }
        exposure.refTips = Array(Set(tips)).sorted()
        return exposure
    }

    private struct Place: Hashable { var path: String; var blob: ObjectID }

    private static func sortKey(_ first: ReportInput.First) -> (Int, Double) {
        guard let date = first.date, let parsed = ISO8601DateFormatter().date(from: date) else { return (1, 0) }
        return (0, parsed.timeIntervalSince1970)
    }

    private func holds(_ repository: Repository, commit: ObjectID, _ places: Set<Place>) -> Bool {
        guard !places.isEmpty, let tree = tree(of: commit, in: repository) else { return false }
        for place in places {
            let key = "\(repository.path)\u{0}\(tree)\u{0}\(place.path)"
            let found: ObjectID?
            if let cached = lookups[key] { found = cached } else {
                found = (try? repository.entryID(atPath: place.path, inTree: tree)) ?? nil
                lookups[key] = found
            }
            if found == place.blob { return true }
        }
        return false
    }

    private func tree(of commit: ObjectID, in repository: Repository) -> ObjectID? {
        if let tree = trees[commit] { return tree }
        if let tree = (try? repository.commit(commit))??.tree { trees[commit] = tree; return tree }
        return nil
    }

    /// Walks HEAD's first-parent chain back to the newest commit that still held it; the commit
    /// after that one (its first-parent child) removed it.
    private func removingCommit(_ index: Int, _ places: Set<Place>) -> Exposure.CommitRef? {
        let repository = repos[index].repository
        if repos[index].chain == nil { repos[index].chain = firstParentChain(repository, from: repos[index].head!) }
        let chain = repos[index].chain!
        var newer: ObjectID?
        for commit in chain {
            if holds(repository, commit: commit, places) {
                guard let newer else { return nil }
                return commitRef(newer, in: repository)
            }
            newer = commit
        }
        return nil
    }

    private func firstParentChain(_ repository: Repository, from head: ObjectID) -> [ObjectID] {
        var chain: [ObjectID] = []
        var current: ObjectID? = head
        var seen = Set<ObjectID>()
        while let commit = current, chain.count < Self.maxChain, seen.insert(commit).inserted {
            chain.append(commit)
            current = (try? repository.commit(commit))??.firstParent
        }
        return chain
    }

    private func commitRef(_ commit: ObjectID, in repository: Repository) -> Exposure.CommitRef {
        let object = (try? repository.commit(commit)) ?? nil
        return Exposure.CommitRef(commit: "\(commit)", author: object?.author,
                                  date: object.map { GitDate.iso8601($0.authorTime, zone: $0.authorZone) })
    }
}
