import Foundation

/// One leaked AWS credential, as the plan sees it: the key id finding, and the secret key and
/// session token found with it. Pairing is an input: it comes from the finding's `pairing` (a
/// scan's, or a report's read back); only when no id of the result is paired with a secret at
/// all (a report written before pairing existed) does the plan pair by proximity itself.
struct LeakedCredential: Sendable {
    var keyID: Finding
    var aws: AWSCredential
    var secret: Finding?
    var token: Finding?
    /// How the secret was paired: `report`, `nearby` (same content, within a few lines),
    /// `verified` (one of several candidates, the one STS accepted), or nil.
    var pairing: String?
    /// With no secret: the secrets the scan found it may be paired with (`pairing.candidates`),
    /// which `--verify` tries in turn.
    var secretCandidates: [Finding] = []

    var awsKeyType: String { aws.keyID.keyType.rawValue }
    var account: String? { aws.keyID.account }
    var isTemporary: Bool { aws.keyID.keyType == .temporary }
    var isCanary: Bool { aws.isCanary }
    var isPlaceholder: Bool { keyID.isPlaceholder }
    var expiration: String? { aws.expiration }

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
    var findings: [Finding] { [keyID] + [secret, token].compactMap { $0 } }
}

/// Splits a scan result into AWS credentials (one per key id) and the other secrets.
struct CredentialGrouping: Sendable {
    var credentials: [LeakedCredential]
    var others: [Finding]

    static let secretRule = "aws-secret-access-key"
    static let tokenRule = "aws-session-token"
    /// Lines apart at most for proximity pairing.
    static let nearbyLines = 6

    init(_ findings: [Finding]) {
        // A part of a pairing is the finding of the part's rule with the paired value.
        struct Key: Hashable { var rule: String; var secret: String }
        let byKey = Dictionary(findings.map { (Key(rule: $0.rule.id, secret: $0.secret), $0) }, uniquingKeysWith: { a, _ in a })
        func part(_ role: String, of finding: Finding) -> Finding? {
            guard let value = finding.pairing?[role],
                  let rule = finding.rule.pairs.first(where: { $0.role == role })?.rule else { return nil }
            return byKey[Key(rule: rule, secret: value)]
        }
        let ids = findings.compactMap { finding in AWSCredential(finding).map { (finding, $0) } }
        // A doubt the scan recorded (`pairing.candidates`) is pairing too: never settled by proximity here.
        let pairsSecrets = ids.contains { $0.1.secret != nil || $0.0.pairing?.candidates.isEmpty == false }
        let pairsTokens = ids.contains { $0.1.token != nil }
        let secrets = findings.filter { $0.rule.id == Self.secretRule }
        let tokens = findings.filter { $0.rule.id == Self.tokenRule }
        var used = Set<String>()
        var credentials: [LeakedCredential] = []
        for (id, aws) in ids {
            var credential = LeakedCredential(keyID: id, aws: aws, secret: nil, token: nil, pairing: nil)
            if pairsSecrets {
                credential.secret = part("secret", of: id)
                if credential.secret != nil { credential.pairing = "report" }
                if credential.secret == nil, let values = id.pairing?.candidates["secret"],
                   let rule = id.rule.pairs.first(where: { $0.role == "secret" })?.rule {
                    credential.secretCandidates = values.compactMap { byKey[Key(rule: rule, secret: $0)] }
                }
            } else if let nearby = Self.nearest(to: id, among: secrets) {
                credential.secret = nearby
                credential.pairing = "nearby"
            }
            if pairsTokens || pairsSecrets {
                credential.token = part("token", of: id)
            } else if credential.isTemporary {
                credential.token = Self.nearest(to: id, among: tokens, lines: 40)
            }
            for finding in credential.findings { used.insert(finding.id) }
            credentials.append(credential)
        }
        self.credentials = credentials
        let idFindings = Set(ids.map(\.0.id))
        others = findings.filter { !idFindings.contains($0.id) && !used.contains($0.id) }
    }

    /// The candidate with an occurrence in the same content as one of `finding`'s, fewest lines away.
    static func nearest(to finding: Finding, among candidates: [Finding], lines: Int = nearbyLines) -> Finding? {
        var best: (distance: Int, finding: Finding)?
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

    private static func sameContent(_ a: Occurrence, _ b: Occurrence) -> Bool {
        if let x = a.provenance.blob, let y = b.provenance.blob { return x == y }
        return a.path == b.path && a.commit?.id == b.commit?.id
    }
}

extension Finding {
    /// Ties an id to the one of its candidate secrets STS accepted.
    mutating func settle(secret: String) {
        var settled = pairing ?? Pairing(how: .verified)
        settled.parts["secret"] = secret
        settled.candidates["secret"] = nil
        settled.how = .verified
        pairing = settled
    }
}
