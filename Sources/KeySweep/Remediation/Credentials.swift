import Foundation

/// One leaked AWS credential, as the plan sees it: the key id finding, and the secret key and
/// session token found with it. Pairing is an input: it comes from the report's `aws` object
/// (`paired_secret`, `paired_token`, `canary`); only for a report that carries no pairing at all
/// (written before pairing existed) does the plan pair by proximity itself.
struct LeakedCredential: Sendable {
    var keyID: ReportInput.Finding
    var secret: ReportInput.Finding?
    var token: ReportInput.Finding?
    var isCanary: Bool
    var isPlaceholder: Bool
    /// How the secret was paired: `report`, `nearby` (same content, within a few lines), or nil.
    var pairing: String?

    var awsKeyType: String { keyID.aws?.key_type ?? "unknown" }
    var account: String? { keyID.aws?.account }
    var isTemporary: Bool { awsKeyType == "temporary" }

    /// Enough leaked to call AWS with it: a secret, and a token for a temporary key.
    var isComplete: Bool { secret != nil && (!isTemporary || token != nil) }

    /// `id only`, `id + secret`, `id + secret + token`.
    var leaked: String {
        switch (secret != nil, token != nil) {
        case (true, true): return "id + secret + token"
        case (true, false): return "id + secret"
        case (false, true): return "id + token"
        case (false, false): return "id only"
        }
    }

    /// Every finding of the credential (id, secret, token).
    var findings: [ReportInput.Finding] { [keyID] + [secret, token].compactMap { $0 } }
}

/// Splits a report into AWS credentials (one per key id) and the other secrets.
struct CredentialGrouping: Sendable {
    var credentials: [LeakedCredential]
    var others: [ReportInput.Finding]

    static let secretRule = "aws-secret-access-key"
    static let tokenRule = "aws-session-token"
    /// Lines apart at most for proximity pairing.
    static let nearbyLines = 6

    init(_ report: ReportInput) {
        let byID = Dictionary(report.findings.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let ids = report.findings.filter { $0.aws != nil }
        let reportPairsSecrets = ids.contains { $0.aws?.paired_secret != nil }
        let reportPairsTokens = ids.contains { $0.aws?.paired_token != nil }
        let secrets = report.findings.filter { $0.rule == Self.secretRule }
        let tokens = report.findings.filter { $0.rule == Self.tokenRule }
        var used = Set<String>()
        var credentials: [LeakedCredential] = []
        for id in ids {
            var credential = LeakedCredential(keyID: id, secret: nil, token: nil,
                                              isCanary: id.aws?.canary ?? CanaryAccounts.isCanary(account: id.aws?.account),
                                              isPlaceholder: id.isPlaceholder, pairing: nil)
            if reportPairsSecrets {
                credential.secret = id.aws?.paired_secret.flatMap { byID[$0] }
                if credential.secret != nil { credential.pairing = "report" }
            } else if let nearby = Self.nearest(to: id, among: secrets) {
                credential.secret = nearby
                credential.pairing = "nearby"
            }
            if reportPairsTokens || reportPairsSecrets {
                credential.token = id.aws?.paired_token.flatMap { byID[$0] }
            } else if credential.isTemporary {
                credential.token = Self.nearest(to: id, among: tokens, lines: 40)
            }
            for finding in credential.findings { used.insert(finding.id) }
            credentials.append(credential)
        }
        self.credentials = credentials
        others = report.findings.filter { $0.aws == nil && !used.contains($0.id) }
    }

    /// The candidate with an occurrence in the same content as one of `finding`'s, fewest lines away.
    static func nearest(to finding: ReportInput.Finding, among candidates: [ReportInput.Finding],
                        lines: Int = nearbyLines) -> ReportInput.Finding? {
        var best: (distance: Int, finding: ReportInput.Finding)?
        for candidate in candidates {
            for a in finding.occurrences {
                for b in candidate.occurrences where sameContent(a, b) {
                    let distance = abs(a.line - b.line)
                    if distance <= lines, best == nil || distance < best!.distance { best = (distance, candidate) }
                }
            }
        }
        return best?.finding
    }

    private static func sameContent(_ a: ReportInput.Occurrence, _ b: ReportInput.Occurrence) -> Bool {
        if let x = a.blob, let y = b.blob { return x == y }
        return a.path == b.path && a.commit == b.commit
    }
}
