/// What one repository's refs say about a finding: which ref tips still hold it, and which
/// commit of the default branch removed it. The history source works it out once per finding
/// after its walk (`RefExposures`); a JSON report carries it (`refs`), so a plan made from the
/// report needs no repository.
struct RefExposure: Sendable, Hashable {
    /// The repository, as the target named it.
    var repository: String
    /// Full names of the refs (`refs/heads/main`, `refs/tags/v1`) whose tip tree holds the
    /// secret at a path it was seen at; sorted.
    var tips: [String]
    /// The branch HEAD names (`refs/heads/main`); nil for a detached HEAD.
    var defaultBranch: String?
    /// The first-parent commit of HEAD whose tree no longer holds it, when an earlier commit of
    /// that chain did; nil when HEAD holds it or it was never on that chain.
    var removedBy: CommitInfo?
}
