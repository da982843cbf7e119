/// What a provider's module tells every report about the findings of its rules: facts to show
/// beside a finding (a key type, an account), a warning (a canary), and how `--verify` reaches
/// it. Reports and the plan ask `ProviderModules` and never test a rule id or a provider name.
/// The calls a module makes live in `CredentialAssessor`s, in the targets with an HTTP client.
package protocol ProviderModule: Sendable {
    /// The provider it serves, as `ProviderName.normalised` spells it.
    var provider: String { get }
    /// What the reports show beside a finding of its rules.
    func facts(of finding: Finding) -> ProviderFacts
    /// Who `--verify` asks for its credentials ("AWS", "GitHub"); nil when it cannot verify.
    var verifiedBy: String? { get }
    /// Whether the finding's value names a credential without being secret (an AWS key id):
    /// every report shows it whole, `--redact` too, so a redacted plan's commands still run.
    func isPublicIdentifier(_ finding: Finding) -> Bool
    /// The plan's steps for its findings that rule files name by `playbook`.
    var playbooks: [ProviderPlaybook] { get }
}

extension ProviderModule {
    package func isPublicIdentifier(_ finding: Finding) -> Bool { false }
    package var playbooks: [ProviderPlaybook] { [] }
}

/// A provider module's display facts about one finding.
package struct ProviderFacts: Sendable {
    /// In order, each a few words: `long-term`, `account 123456789012`, `leaked: id + secret`.
    package var labels: [String] = []
    /// The account (or organisation) the credential belongs to, when known offline.
    package var account: String?
    /// A warning to show on the finding itself, not only in a summary (a canary).
    package var warning: String?
    package init(labels: [String] = [], account: String? = nil, warning: String? = nil) {
        self.labels = labels; self.account = account; self.warning = warning
    }
}

/// The registry of provider modules, keyed by the `provider` their rules declare.
package enum ProviderModules {
    static let all: [any ProviderModule] = [AWSModule(), GitHubModule()]
    private static let byProvider = Dictionary(all.map { ($0.provider, $0) }, uniquingKeysWith: { a, _ in a })

    package static func module(for finding: Finding) -> (any ProviderModule)? {
        byProvider[ProviderName.normalised(finding.rule.provider)]
    }

    /// "AWS and GitHub": the providers `--verify` reaches.
    package static var verifiers: String {
        let names = all.compactMap(\.verifiedBy)
        return names.count <= 1 ? names.joined() : names.dropLast().joined(separator: ", ") + " and " + names.last!
    }

    package static func isPublicIdentifier(_ finding: Finding) -> Bool {
        module(for: finding)?.isPublicIdentifier(finding) ?? false
    }

    /// Why a finding has no verdict, in a few words, the same in every report: `verified` says
    /// whether the run asked the providers at all.
    package static func unverifiedReason(_ finding: Finding, verified: Bool) -> String {
        if finding.isPlaceholder { return "placeholder" }
        if let v = finding.verification, v.verdict == .couldNotCheck || v.verdict == .notChecked {
            return v.reason ?? v.code ?? "no answer"
        }
        // A canary is never sent: any call with it alerts whoever planted it.
        if facts(of: finding).warning != nil { return "never verified: a call would alert its owner" }
        guard let by = module(for: finding)?.verifiedBy else { return "keysweep verifies \(verifiers) credentials only" }
        return verified ? "not sent to \(by)" : "add --verify to ask \(by)"
    }

    package static func facts(of finding: Finding) -> ProviderFacts {
        module(for: finding)?.facts(of: finding) ?? ProviderFacts()
    }
}
