/// What keysweep knows about one leaked AWS access key id: decoded offline from the id, plus
/// what leaked with it. Derived from a finding, never stored.
public struct AWSCredential: Sendable {
    public let keyID: AWSKeyID
    public let pairing: AWSPairing?

    /// The decoded account is a known canary (honeytoken) account: report, never verify.
    public var isCanary: Bool { CanaryAccounts.isCanary(account: keyID.account) }

    /// `id only`, `id + secret`, or `id + secret + token`.
    public var completeness: String {
        switch (pairing?.secret, pairing?.token) {
        case (.some, .some): return "id + secret + token"
        case (.some, .none): return "id + secret"
        case (.none, .some): return "id + token"
        default: return "id only"
        }
    }

    /// Enough leaked to call AWS with it.
    public var isComplete: Bool {
        pairing?.secret != nil && (keyID.keyType != .temporary || pairing?.token != nil)
    }

    /// The AWS credential of a finding of the access key id rule, or nil for other findings.
    public init?(_ finding: Finding) {
        guard finding.rule.id == AWSCredentialDetector.keyIDRuleID, let id = AWSKeyID(finding.secret) else { return nil }
        keyID = id
        pairing = finding.awsPairing
    }
}
