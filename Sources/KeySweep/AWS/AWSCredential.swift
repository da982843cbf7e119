/// What keysweep knows about one leaked AWS access key id: decoded offline from the id, plus
/// what leaked with it. The enricher of rules with `enricher = "aws-access-key"`; derived from a
/// finding, never stored.
struct AWSCredential: Sendable {
    let keyID: AWSKeyID
    /// The parts paired with the id (`secret`, `token`, `expiration` in the rule's `[[rule.pair]]`).
    let pairing: Pairing?

    static let enricherName = "aws-access-key"

    var secret: String? { pairing?["secret"] }
    var token: String? { pairing?["token"] }
    var expiration: String? { pairing?["expiration"] }

    /// The decoded account is a known canary (honeytoken) account: report, never verify.
    var isCanary: Bool { CanaryAccounts.isCanary(account: keyID.account) }

    /// `id only`, `id + secret`, or `id + secret + token`.
    var completeness: String {
        switch (secret, token) {
        case (.some, .some): return "id + secret + token"
        case (.some, .none): return "id + secret"
        case (.none, .some): return "id + token"
        default: return "id only"
        }
    }

    /// Enough leaked to call AWS with it.
    var isComplete: Bool {
        secret != nil && (keyID.keyType != .temporary || token != nil)
    }

    /// The AWS credential of a finding of a rule with this enricher, or nil for other findings.
    init?(_ finding: Finding) {
        guard finding.rule.enricher == Self.enricherName,
              let id = AWSKeyID(finding.secret) ?? AWSKeyID(redacted: finding.secret) else { return nil }
        keyID = id
        pairing = finding.pairing
    }
}

/// The provider-specific meanings a rule file may name in `enricher`.
enum Enrichers {
    static let names: Set<String> = [AWSCredential.enricherName]
}
