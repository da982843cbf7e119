/// The AWS provider module: key ids decoded offline (type, account, canaries, what leaked with
/// them), verified with STS (`KeySweepVerify`), blast radius from the owner's side
/// (`AWSBlastRadiusAssessor`), containment (`AWSContainment`) and the plan's steps (`AWSPlaybook`).
struct AWSModule: ProviderModule {
    let provider = "AWS"
    let verifiedBy: String? = "AWS"
    var playbooks: [ProviderPlaybook] { AWSPlaybook.parts }

    func facts(of finding: Finding) -> ProviderFacts {
        guard let aws = AWSCredential(finding) else { return ProviderFacts() }
        let account = aws.keyID.account
        return ProviderFacts(labels: [aws.keyID.keyType.rawValue, "account \(account ?? "not encoded (old-generation id)")",
                                      "leaked: \(aws.completeness)"],
                             account: account,
                             warning: aws.isCanary ? "CANARY (honeytoken: do not use)" : nil)
    }

    /// A whole key id: it identifies the key, only its secret signs (an id redacted in an older
    /// report stays as it is).
    func isPublicIdentifier(_ finding: Finding) -> Bool {
        finding.rule.enricher == AWSCredential.enricherName && AWSKeyID(finding.secret) != nil
    }
}
