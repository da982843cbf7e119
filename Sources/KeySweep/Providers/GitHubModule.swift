/// The GitHub provider module: tokens named by their prefix; verified, with the scopes that make
/// their blast radius, by `KeySweepGitHub`'s `GitHubTokenAssessor` (`GET /user`).
struct GitHubModule: ProviderModule {
    let provider = "GitHub"
    let verifiedBy: String? = "GitHub"

    /// GitHub's documented token prefixes.
    static let kinds: [(prefix: String, kind: String)] = [
        ("github_pat_", "fine-grained personal access token"), ("ghp_", "personal access token (classic)"),
        ("gho_", "OAuth token"), ("ghu_", "user-to-server token"), ("ghs_", "server-to-server token"), ("ghr_", "refresh token"),
    ]

    func facts(of finding: Finding) -> ProviderFacts {
        guard let kind = Self.kinds.first(where: { finding.secret.hasPrefix($0.prefix) })?.kind else { return ProviderFacts() }
        return ProviderFacts(labels: [kind])
    }
}
