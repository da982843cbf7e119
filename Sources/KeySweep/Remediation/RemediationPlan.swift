import Foundation

/// The rotation plan: one row per distinct AWS access key id, then the other secrets grouped by
/// provider, each with its exposure, its verification result and the ordered steps to take.
public struct RemediationPlan: Sendable, Encodable {
    /// How urgent a row is; rows are sorted by this, then by exposure date.
    enum Urgency: Int, Sendable, Encodable, Comparable {
        case live = 0
        /// Complete credential still in HEAD or at a branch tip.
        case currentComplete = 1
        /// Complete credential at a tag tip only.
        case taggedComplete = 2
        /// Complete credential in history only.
        case historyComplete = 3
        /// Key id without a working secret (none found, or STS said the secret is wrong).
        case idOnly = 4
        /// STS says the key no longer works (unknown id, expired).
        case dead = 5
        case canary = 6
        case placeholder = 7

        static func < (a: Urgency, b: Urgency) -> Bool { a.rawValue < b.rawValue }

        var label: String {
            switch self {
            case .live: return "live"
            case .currentComplete: return "complete, in HEAD or a branch tip"
            case .taggedComplete: return "complete, at a tag tip"
            case .historyComplete: return "complete, history only"
            case .idOnly: return "key id only"
            case .dead: return "no longer valid"
            case .canary: return "canary"
            case .placeholder: return "placeholder"
            }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            try c.encode(label)
        }
    }

    struct Step: Sendable, Encodable, Equatable {
        /// contain, investigate, revoke-sessions, rotate, delete, purge-history, identify, ...
        var kind: String
        var title: String
        @JSONNullable var detail: String?
        /// Exact commands, ready to paste.
        var commands: [String]
    }

    public struct Row: Sendable, Encodable {
        var rank: Int
        var urgency: Urgency
        /// `AWS`, `GitHub`, `Private keys`, ...
        var provider: String
        /// The finding id of the key id (AWS) or of the secret (others).
        var finding: String
        var rule: String
        /// The key id (AWS) or the secret (others), redacted with `--redact`.
        var key: String
        /// `long-term user key`, `temporary key (STS)`, `root user key`, `bearer token`, ...
        var type: String
        /// AWS key type from the id prefix (`long-term`, `temporary`, `bearer`, `context`).
        @JSONNullable var awsKeyType: String?
        @JSONNullable var account: String?
        var canary: Bool
        var placeholder: Bool
        /// `id + secret + token`, `id + secret`, `id only`; nil for other providers.
        @JSONNullable var leaked: String?
        var complete: Bool
        @JSONNullable var secretFinding: String?
        /// With no secret paired: the finding ids of the secrets the text left in doubt.
        var secretCandidates: [String]? = nil
        @JSONNullable var tokenFinding: String?
        /// `Expiration` found next to a temporary key.
        @JSONNullable var expiration: String?
        var exposure: Exposure
        @JSONNullable var verification: VerificationResult?
        var steps: [Step]

        enum CodingKeys: String, CodingKey {
            case rank, urgency, provider, finding, rule, key, type, account, canary, placeholder, leaked
            case complete, expiration, exposure, verification, steps
            case awsKeyType = "aws_key_type"
            case secretFinding = "secret_finding"
            case tokenFinding = "token_finding"
            case secretCandidates = "secret_candidates"
        }
    }

    struct Tool: Sendable, Encodable { var name: String; var version: String }

    var version = 1
    var tool: Tool
    /// ISO 8601 UTC time the plan was made.
    var generated: String
    var targets: [String]
    /// Whether STS was asked (`--verify`), and where.
    var verified: Bool
    @JSONNullable var stsEndpoint: String?
    /// False when no finding carries ref facts (none in git history, or a report written
    /// without them): ref tips and removing commits are unknown.
    var refsChecked: Bool
    public var rows: [Row]

    enum CodingKeys: String, CodingKey {
        case version, tool, generated, targets, verified, rows
        case stsEndpoint = "sts_endpoint"
        case refsChecked = "refs_checked"
    }
}

/// Builds a plan from a scan result and (optionally) STS.
public struct RemediationPlanner {
    public struct Options: Sendable {
        public var redact = false
        /// Ask STS (`--verify`; the command line gives `KeySweepVerify`'s `STSVerifier`); nil
        /// makes no network call at all.
        package var verifier: (any CredentialVerifier)?
        var now = Date()
        public init() {}
    }

    let options: Options

    public init(options: Options) { self.options = options }

    /// Makes the plan from a scan result (a scan's, or a JSON report's read back): every fact
    /// it needs is in the result; no repository is opened.
    func plan(_ result: ScanResult) -> RemediationPlan {
        var grouping = CredentialGrouping(result.findings)
        let repositories = Set(result.findings.flatMap { $0.refs.map(\.repository) })
        let prefixTips = repositories.count > 1
        let verifications = verify(&grouping.credentials)
        var rows: [RemediationPlan.Row] = []
        for (index, credential) in grouping.credentials.enumerated() {
            rows.append(awsRow(credential, exposure: Exposure(of: credential.findings, prefixTips: prefixTips),
                               verification: verifications[index]))
        }
        // A secret `--verify` tied to its id is that credential's, not a row of its own.
        let settled = Set(grouping.credentials.filter { $0.pairing == "verified" }.compactMap { $0.secret?.id })
        for finding in grouping.others where !settled.contains(finding.id) {
            rows.append(otherRow(finding, exposure: Exposure(of: [finding], prefixTips: prefixTips)))
        }
        rows = Self.order(rows)
        for index in rows.indices { rows[index].rank = index + 1 }
        return RemediationPlan(
            tool: .init(name: "keysweep", version: KeySweepVersion.current),
            generated: VerificationClock.iso8601(options.now),
            targets: result.targets,
            verified: options.verifier != nil,
            stsEndpoint: options.verifier?.endpoint.absoluteString,
            refsChecked: !repositories.isEmpty,
            rows: rows)
    }

    /// AWS rows by urgency; then other providers grouped (by name), each by urgency; canaries and
    /// placeholders last. Ties: earliest exposure first, then key.
    static func order(_ rows: [RemediationPlan.Row]) -> [RemediationPlan.Row] {
        func group(_ row: RemediationPlan.Row) -> (Int, String) {
            if row.urgency >= .canary { return (2, "") }
            return row.awsKeyType != nil ? (0, "") : (1, row.provider)
        }
        return rows.sorted { a, b in
            let ga = group(a), gb = group(b)
            if ga != gb { return ga < gb }
            if a.urgency != b.urgency { return a.urgency < b.urgency }
            let da = a.exposure.first?.date ?? "~", db = b.exposure.first?.date ?? "~"
            if da != db { return da < db }
            return a.key < b.key
        }
    }

    /// Which credentials are sent to STS: complete, not canaries, not placeholders, secrets in full.
    static func shouldVerify(_ credential: LeakedCredential) -> String? {
        if credential.isCanary { return "canary: never verified (any call alerts its owner)" }
        if credential.isPlaceholder { return "placeholder: not a real key" }
        guard let secret = credential.secret else { return "no secret key found with it" }
        if credential.isTemporary && credential.token == nil { return "temporary key without its session token" }
        if secret.secret.contains("…") || credential.keyID.secret.contains("…") { return "report is redacted" }
        if !["long-term", "temporary"].contains(credential.awsKeyType) { return "\(credential.awsKeyType) keys are not checked with GetCallerIdentity" }
        return nil
    }

    /// STS calls at most for one key id whose secret the text left in doubt.
    static let maxCandidateCalls = 4

    /// Asks STS about each complete credential; an id with several candidate secrets is tried
    /// with each (at most `maxCandidateCalls`), and takes the one STS accepts.
    private func verify(_ credentials: inout [LeakedCredential]) -> [VerificationResult?] {
        guard let verifier = options.verifier else { return credentials.map { _ in nil } }
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

    private func show(_ secret: String) -> String { options.redact ? Redaction.redact(secret) : secret }

    private func awsRow(_ credential: LeakedCredential, exposure: Exposure, verification: VerificationResult?) -> RemediationPlan.Row {
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
        let steps = AWSPlaybook(keyID: show(credential.keyID.secret), keyType: keyType, account: account,
                                verification: verification, exposure: exposure, canary: credential.isCanary,
                                placeholder: credential.isPlaceholder, complete: credential.isComplete,
                                expiration: credential.expiration,
                                now: VerificationClock.iso8601(options.now)).steps()
        return RemediationPlan.Row(
            rank: 0, urgency: urgency, provider: "AWS", finding: credential.keyID.id, rule: credential.keyID.rule.id,
            key: show(credential.keyID.secret), type: type, awsKeyType: keyType, account: account,
            canary: credential.isCanary, placeholder: credential.isPlaceholder, leaked: credential.leaked,
            complete: credential.isComplete, secretFinding: credential.secret?.id,
            secretCandidates: credential.secretCandidates.isEmpty ? nil : credential.secretCandidates.map(\.id),
            tokenFinding: credential.token?.id,
            expiration: credential.expiration, exposure: exposure, verification: verification, steps: steps)
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
        guard credential.isComplete else { return .idOnly }
        if exposure.inHead || !exposure.branchTips.isEmpty { return .currentComplete }
        if !exposure.tagTips.isEmpty { return .taggedComplete }
        return .historyComplete
    }

    private func otherRow(_ finding: Finding, exposure: Exposure) -> RemediationPlan.Row {
        let provider = OtherProviders.provider(rule: finding.rule.id)
        // An id whose rule declares parts (a Twilio SID, a Datadog API key, an Azure client id)
        // is a complete credential only with a part found by a rule; alone it is an id.
        let declared = finding.rule.pairs.filter { $0.rule != nil }
        let found = declared.filter { finding.pairing?.parts[$0.role] != nil }.map(\.role)
        let complete = declared.isEmpty || !found.isEmpty
        let urgency: RemediationPlan.Urgency
        if finding.isPlaceholder { urgency = .placeholder }
        else if !complete { urgency = .idOnly }
        else if exposure.inHead || !exposure.branchTips.isEmpty { urgency = .currentComplete }
        else if !exposure.tagTips.isEmpty { urgency = .taggedComplete }
        else { urgency = .historyComplete }
        return RemediationPlan.Row(
            rank: 0, urgency: urgency, provider: provider, finding: finding.id, rule: finding.rule.id,
            key: show(finding.secret), type: finding.rule.description, awsKeyType: nil, account: nil,
            canary: false, placeholder: finding.isPlaceholder, leaked: declared.isEmpty ? nil : found.isEmpty ? "id only" : (["id"] + found).joined(separator: " + "),
            complete: complete,
            secretFinding: nil, tokenFinding: nil, expiration: nil, exposure: exposure, verification: nil,
            steps: OtherProviders.steps(rule: finding.rule.id, placeholder: finding.isPlaceholder, exposure: exposure))
    }
}
