import Foundation

/// The AWS module's rows of the plan: one per key id, with its secret and token
/// (`CredentialGrouping`), verified with STS (an id whose secret the text left in doubt tried
/// with each candidate), ranked by urgency, with `AWSPlaybook`'s steps; and the accounts they
/// group into.
extension RemediationPlanner {
    static func accounts(_ rows: [RemediationPlan.Row]) -> [RemediationPlan.AccountGroup] {
        var groups: [RemediationPlan.AccountGroup] = []
        for row in rows where row.awsKeyType != nil && !row.placeholder {
            let principal = row.verification.flatMap { v in v.arn.map { String($0.split(separator: ":", maxSplits: 5).last ?? "") } }
            if let index = groups.firstIndex(where: { $0.account == row.account }) {
                groups[index].rows.append(row.rank)
                if let principal, !groups[index].principals.contains(principal) { groups[index].principals.append(principal) }
            } else {
                groups.append(.init(account: row.account, rows: [row.rank], principals: principal.map { [$0] } ?? []))
            }
        }
        return groups
    }

    /// Which credentials are sent to STS: complete, not canaries, not placeholders, secrets in full.
    static func shouldVerify(_ credential: LeakedCredential) -> String? {
        if credential.isCanary { return "canary: never verified (any call alerts its owner)" }
        if credential.isPlaceholder { return "placeholder: not a real key" }
        guard let secret = credential.secret else { return "no secret key found with it" }
        if credential.isTemporary && credential.token == nil { return "temporary key without its session token" }
        if secret.secretCut != nil || credential.token?.secretCut != nil {
            return "secret or session token longer than \(CutSecret.limit >> 10) KiB, kept only in part"
        }
        // A redacted report keeps key ids whole (an older one did not); the secret is never whole.
        if credential.keyID.secret.contains("…") { return "the report is redacted: the key id and secret are needed; rescan, or use a report written without --redact" }
        if secret.secret.contains("…") { return "the report is redacted: the secret is needed; rescan, or use a report written without --redact" }
        if !["long-term", "temporary"].contains(credential.awsKeyType) { return "\(credential.awsKeyType) keys are not checked with GetCallerIdentity" }
        return nil
    }

    /// STS calls at most for one key id whose secret the text left in doubt.
    static let maxCandidateCalls = 4

    /// Asks STS about each complete credential; an id with several candidate secrets is tried
    /// with each (at most `maxCandidateCalls`), and takes the one STS accepts.
    /// Without a verifier: what an earlier `--verify` recorded on the findings (a scan verified
    /// before its reports, or a JSON report that carries it).
    func verify(_ credentials: inout [LeakedCredential]) -> [VerificationResult?] {
        guard let verifier = options.verifier else { return credentials.map { $0.keyID.verification } }
        var results = [VerificationResult?](repeating: nil, count: credentials.count)
        var toSend: [(Int, STSCredential)] = []
        var tried: [Int: [Finding]] = [:]
        for (index, credential) in credentials.enumerated() {
            if credential.secret == nil, let first = credential.secretCandidates.first {
                var trial = credential
                trial.secret = first
                if let reason = Self.shouldVerify(trial) {
                    results[index] = VerificationResult(verdict: .notChecked, reason: reason)
                    continue
                }
                tried[index] = Array(credential.secretCandidates.prefix(Self.maxCandidateCalls))
                for candidate in tried[index]! {
                    toSend.append((index, STSCredential(keyID: credential.keyID.secret, secret: candidate.secret,
                                                        sessionToken: credential.token?.secret)))
                }
            } else if let reason = Self.shouldVerify(credential) {
                results[index] = VerificationResult(verdict: .notChecked, reason: reason)
            } else {
                toSend.append((index, STSCredential(keyID: credential.keyID.secret, secret: credential.secret!.secret,
                                                    sessionToken: credential.token?.secret)))
            }
        }
        // Each distinct pair once.
        let unique = Array(Set(toSend.map(\.1)))
        let answers = verifier.verify(unique)
        let byCredential = Dictionary(zip(unique, answers), uniquingKeysWith: { a, _ in a })
        for (index, credential) in toSend where tried[index] == nil { results[index] = byCredential[credential] }
        for (index, candidates) in tried.sorted(by: { $0.key < $1.key }) {
            let credential = credentials[index]
            let answered = candidates.map { candidate in
                byCredential[STSCredential(keyID: credential.keyID.secret, secret: candidate.secret, sessionToken: credential.token?.secret)]
            }
            let live = answered.indices.filter { answered[$0]?.verdict == .live }
            var result: VerificationResult
            if live.count == 1 {
                credentials[index].secret = candidates[live[0]]
                credentials[index].pairing = "verified"
                credentials[index].keyID.settle(secret: candidates[live[0]].secret)
                credentials[index].secretCandidates = []
                result = answered[live[0]]!
            } else {
                // No candidate (or, impossibly, several) accepted: the id's own verdict, from the first answer.
                result = answered.compactMap { $0 }.first ?? VerificationResult(verdict: .couldNotCheck, reason: "no answer")
                if result.verdict == .live { result = VerificationResult(verdict: .couldNotCheck, reason: "several candidate secrets accepted") }
                else if result.verdict == .wrongSecret { result.reason = "none of the \(candidates.count) candidate secrets is this id's" }
            }
            result.candidatesTried = candidates.count
            results[index] = result
        }
        return results
    }

    func awsRow(_ credential: LeakedCredential, exposure: Exposure, verification: VerificationResult?) -> RemediationPlan.Row {
        let urgency = Self.urgency(credential, exposure: exposure, verification: verification)
        let keyType = credential.awsKeyType
        var type: String
        switch keyType {
        case "long-term": type = verification?.principalType == "root" ? "root user key" : "long-term user key"
        case "temporary": type = "temporary key (STS)"
        case "bearer": type = "bearer token (ABIA)"
        case "context": type = "context-specific credential (ACCA)"
        default: type = "AWS key id"
        }
        if credential.isCanary { type = "canary (\(type))" }
        if credential.isPlaceholder { type = "placeholder (\(type))" }
        let account = verification?.account ?? credential.account
        let steps = AWSPlaybook(keyID: credential.keyID.secret, keyType: keyType, account: account,
                                verification: verification, blastRadius: credential.keyID.blastRadius,
                                findingID: credential.keyID.id, exposure: exposure, canary: credential.isCanary,
                                placeholder: credential.isPlaceholder, complete: credential.isComplete,
                                expiration: credential.expiration,
                                now: VerificationClock.iso8601(options.now)).steps()
        return RemediationPlan.Row(
            rank: 0, urgency: urgency, provider: "AWS", confidence: credential.keyID.confidence,
            finding: credential.keyID.id, rule: credential.keyID.rule.id,
            key: credential.keyID.secret, type: type, awsKeyType: keyType, account: account,
            canary: credential.isCanary, placeholder: credential.isPlaceholder, leaked: credential.leaked,
            complete: credential.isComplete, secretFinding: credential.secret?.id,
            secretCandidates: credential.secretCandidates.isEmpty ? nil : credential.secretCandidates.map(\.id),
            tokenFinding: credential.token?.id,
            expiration: credential.expiration, exposure: exposure, verification: verification,
            blastRadius: credential.keyID.blastRadius, steps: steps)
    }

    static func urgency(_ credential: LeakedCredential, exposure: Exposure, verification: VerificationResult?) -> RemediationPlan.Urgency {
        if credential.isPlaceholder { return .placeholder }
        if credential.isCanary { return .canary }
        switch verification?.verdict {
        case .live: return .live
        case .unknownID, .expired: return .dead
        case .wrongSecret: return .idOnly
        default: break
        }
        return credential.isComplete ? .complete(exposure) : .idOnly
    }
}
