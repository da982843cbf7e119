/// A provider module's questions about leaked credentials: does it work and whose is it
/// (verification), what can it do (blast radius). Those that call a provider live in the targets
/// that link an HTTP client and are injected by the command line; those that read files (AWS
/// snapshots) live in the core. `Remediation.assess` runs them before any report is written.
package protocol CredentialAssessor: Sendable {
    /// The provider it serves, as `ProviderName.normalised` spells it.
    var provider: String { get }
    /// Where the answers come from, as reports name it (an endpoint, a snapshot file).
    var source: String { get }
    /// One answer per credential, in the same order. Blocks until all are answered; never
    /// throws: a call that fails is an answer that says why ("unknown, because ...").
    func assess(_ credentials: [Credential]) -> [Assessment]
}

/// What a `CredentialAssessor` says about one credential; nil fields are questions it does not
/// answer (and leave as an earlier run or report had them).
package struct Assessment: Sendable {
    package var verification: VerificationResult?
    package var blastRadius: BlastRadiusReport?

    package init(verification: VerificationResult? = nil, blastRadius: BlastRadiusReport? = nil) {
        self.verification = verification
        self.blastRadius = blastRadius
    }
}
