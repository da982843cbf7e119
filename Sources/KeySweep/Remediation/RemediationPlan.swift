import Foundation

/// The rotation plan: one row per distinct AWS access key id, then the other secrets grouped by
/// provider, each with its exposure, its verification result and the ordered steps to take.
public struct RemediationPlan: Sendable, Encodable {
    /// How urgent a row is; rows are sorted by this, then by exposure date.
    enum Urgency: Int, Sendable, Encodable, Comparable {
        case live = 0
        /// Complete credential still in HEAD or at a branch tip.
        case currentComplete = 1
        /// Complete credential in text outside git (standard input, files read from disk).
        case outsideGitComplete = 2
        /// Complete credential at a tag tip only.
        case taggedComplete = 3
        /// Complete credential in history only.
        case historyComplete = 4
        /// Key id without a working secret (none found, or STS said the secret is wrong).
        case idOnly = 5
        /// STS says the key no longer works (unknown id, expired).
        case dead = 6
        case canary = 7
        case placeholder = 8

        static func < (a: Urgency, b: Urgency) -> Bool { a.rawValue < b.rawValue }

        var label: String {
            switch self {
            case .live: return "live"
            case .currentComplete: return "complete, in HEAD or a branch tip"
            case .outsideGitComplete: return "complete, outside git"
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

        /// A complete credential's urgency, by where it is: text outside git has no HEAD or refs.
        static func complete(_ exposure: Exposure) -> Urgency {
            if !exposure.inHistory { return .outsideGitComplete }
            if exposure.inHead || !exposure.branchTips.isEmpty { return .currentComplete }
            return exposure.tagTips.isEmpty ? .historyComplete : .taggedComplete
        }
    }

    /// What a person may stop reading after: credentials that act as they are, then password
    /// hashes (cracked first), then keys locked by a passphrase, test values and canaries.
    /// Decided by what rule files declare (`kind`) and what a finding's own text says
    /// (`PrivateKeyEncryption`, placeholders), never by a rule's id.
    enum Tier: Int, Sendable, Encodable, Comparable, CaseIterable {
        case credentials = 1
        case hashes = 2
        case lockedOrTest = 3

        static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }

        static func of(placeholder: Bool, canary: Bool, hash: Bool, encrypted: Bool) -> Tier {
            if placeholder || canary || encrypted { return .lockedOrTest }
            return hash ? .hashes : .credentials
        }

        var heading: String {
            switch self {
            case .credentials: return "Tier 1: credentials that act as they are"
            case .hashes: return "Tier 2: password hashes"
            case .lockedOrTest: return "Tier 3: encrypted keys, test values and canaries"
            }
        }

        /// What the tier is, and whether a reader may stop before the next.
        var about: String {
            switch self {
            case .credentials:
                return "Live or complete tokens, API keys, key pairs, private keys and passwords: whoever has the text can use them. Contain and rotate every one before anything else; you may stop reading after this tier."
            case .hashes:
                return "Password hashes: of use only once cracked (slow for bcrypt, fast for old crypt and MD5 forms). Reset these passwords once tier 1 is done, and wherever they were reused; you may stop after this tier."
            case .lockedOrTest:
                return "Private keys encrypted with a passphrase, documentation and test values, canary tokens: useless without a secret not found here, or never real. Replace them when convenient; nothing here needs the night."
            }
        }
    }

    /// Where a part of the row's credential (an AWS secret key, a session token) was found: one
    /// row per credential, its parts listed in it.
    struct Part: Sendable, Encodable, Equatable {
        var role: String
        var finding: String
        var path: String
        var line: Int
        @JSONNullable var commit: String?
    }

    package struct Step: Sendable, Encodable, Equatable {
        /// contain, investigate, revoke-sessions, rotate, delete, purge-history, identify, ...
        var kind: String
        var title: String
        @JSONNullable var detail: String?
        /// Exact commands, ready to paste.
        var commands: [String]
    }

    public struct Row: Sendable, Encodable {
        var rank: Int
        var tier: Tier = .credentials
        var urgency: Urgency
        /// `AWS`, `GitHub`, `Private keys`, ...
        var provider: String
        /// The rule's confidence (`high`, `medium`, `low`): ranks rows of one urgency.
        var confidence: Confidence
        /// The finding id of the key id (AWS) or of the secret (others).
        var finding: String
        var rule: String
        /// The key id (AWS; whole: it is not secret) or the secret (others; redacted unless
        /// `--show-secrets`).
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
        /// What the credential can do, from its provider module (`--blast-radius`); ranks rows
        /// of one urgency, worst first.
        @JSONNullable var blastRadius: BlastRadiusReport? = nil
        var steps: [Step]
        /// The lines of replacements.txt holding its secret (and an AWS key's secret and token);
        /// nil when none does.
        @JSONNullable var replacementLines: [Int]? = nil
        /// The parts of the credential found with it, each at its first place.
        var parts: [Part] = []
        /// A private key encrypted with a passphrase, as its own text says.
        var encrypted: Bool = false

        enum CodingKeys: String, CodingKey {
            case rank, tier, parts, encrypted, urgency, provider, confidence, finding, rule, key, type, account, canary, placeholder, leaked
            case complete, expiration, exposure, verification, steps
            case blastRadius = "blast_radius"
            case awsKeyType = "aws_key_type"
            case secretFinding = "secret_finding"
            case tokenFinding = "token_finding"
            case secretCandidates = "secret_candidates"
            case replacementLines = "replacement_lines"
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
    /// Whether the secrets of other providers are in the plan in full (`--show-secrets`).
    var secretsShown: Bool = false
    public var rows: [Row]
    /// The AWS rows by account, accounts in the order of their most urgent row.
    var accounts: [AccountGroup] = []
    /// Every ref, tag and pull-request ref holding any of the secrets.
    var purgeRefs: Purge.Refs = Purge.Refs([])
    /// The lines of replacements.txt (every secret in full): written beside the plan, never
    /// into it.
    var replacements: [String] = []

    /// The AWS keys of one account (nil: the id encodes none).
    struct AccountGroup: Sendable, Encodable {
        @JSONNullable var account: String?
        /// Ranks of its rows.
        var rows: [Int]
        /// Principals STS named (`user/leaky`, `assumed-role/deployer`).
        var principals: [String]
    }

    enum CodingKeys: String, CodingKey {
        case version, tool, generated, targets, verified, rows, accounts
        case stsEndpoint = "sts_endpoint"
        case refsChecked = "refs_checked"
        case secretsShown = "secrets_shown"
        case purgeRefs = "purge_refs"
        case replacementsFile = "replacements_file"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(version, forKey: .version)
        try c.encode(tool, forKey: .tool)
        try c.encode(generated, forKey: .generated)
        try c.encode(targets, forKey: .targets)
        try c.encode(verified, forKey: .verified)
        try c.encode(_stsEndpoint, forKey: .stsEndpoint)
        try c.encode(refsChecked, forKey: .refsChecked)
        try c.encode(secretsShown, forKey: .secretsShown)
        try c.encode(rows, forKey: .rows)
        try c.encode(accounts, forKey: .accounts)
        try c.encode(purgeRefs, forKey: .purgeRefs)
        try c.encode(Purge.fileName, forKey: .replacementsFile)
    }
}

/// Builds a plan from a scan result and (optionally) STS.
public struct RemediationPlanner {
    public struct Options: Sendable {
        /// Never print a secret in full (`--redact`); AWS key ids are not secret and stay whole.
        public var redact = false
        /// Put the secrets of other providers in the plan in full (`--show-secrets`); without
        /// it they are redacted: a plan is a document people forward.
        public var showSecrets = false
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
            var row = awsRow(credential, exposure: Exposure(of: credential.findings, prefixTips: prefixTips),
                             verification: verifications[index])
            row.tier = .of(placeholder: row.placeholder, canary: row.canary, hash: false, encrypted: false)
            row.parts = [("secret", credential.secret), ("token", credential.token)].compactMap { role, part in part.map { Self.part(role, $0) } }
            rows.append(row)
        }
        // A secret `--verify` tied to its id is that credential's, not a row of its own.
        let settled = Set(grouping.credentials.filter { $0.pairing == "verified" }.compactMap { $0.secret?.id })
        // The parts of other providers' credentials (a Twilio auth token with its SID): in the
        // row of the id, never rows of their own.
        let parts = Self.parts(grouping.others)
        let partIDs = Set(parts.values.flatMap { $0.map(\.finding) })
        for finding in grouping.others where !settled.contains(finding.id) && !partIDs.contains(finding.id) {
            var row = otherRow(finding, exposure: Exposure(of: [finding], prefixTips: prefixTips))
            row.tier = .of(placeholder: finding.isPlaceholder, canary: false, hash: finding.rule.isHash, encrypted: finding.isEncryptedKey)
            row.parts = parts[finding.id] ?? []
            if finding.isEncryptedKey {
                row.encrypted = true
                row.type += ", encrypted with a passphrase"
            }
            rows.append(row)
        }
        rows = Self.order(rows)
        for index in rows.indices { rows[index].rank = index + 1 }
        let answered = verifications.compactMap { $0 }
        var plan = RemediationPlan(
            tool: .init(name: "keysweep", version: KeySweepVersion.current),
            generated: VerificationClock.iso8601(options.now),
            targets: result.targets,
            verified: options.verifier != nil || result.verifiedWith != nil || !answered.isEmpty,
            stsEndpoint: options.verifier?.endpoint.absoluteString ?? result.verifiedWith ?? answered.lazy.compactMap(\.endpoint).first,
            refsChecked: !repositories.isEmpty,
            secretsShown: options.showSecrets && !options.redact,
            rows: rows)
        plan.accounts = Self.accounts(rows)
        plan.purgeRefs = Purge.Refs(rows.flatMap { $0.exposure.refTips ?? [] })
        // Every secret but key ids (not secret, and in every command) and placeholders; a
        // redacted report's values are no use to filter-repo.
        let keyIDs = Set(grouping.credentials.map(\.keyID.id))
        // Only what a commit holds: text from standard input or disk has no history to purge.
        let purged = Purge.entries(result.findings.filter {
            !keyIDs.contains($0.id) && !$0.isPlaceholder && !$0.secret.contains("…") && $0.occurrences.contains { $0.commit != nil }
        }.map { (id: $0.id, secret: $0.secret) })
        plan.replacements = purged.lines
        // Each row names its lines of replacements.txt (filter-repo's file has no comments).
        for index in plan.rows.indices {
            let row = plan.rows[index]
            let lines = Set([row.finding, row.secretFinding, row.tokenFinding].compactMap { $0 }.flatMap { purged.lineNumbers[$0] ?? [] })
            if !lines.isEmpty { plan.rows[index].replacementLines = lines.sorted() }
        }
        return plan
    }

    static func part(_ role: String, _ finding: Finding) -> RemediationPlan.Part {
        RemediationPlan.Part(role: role, finding: finding.id, path: finding.first.path, line: finding.first.line,
                             commit: finding.first.commit.map { String($0.id.prefix(12)) })
    }

    /// For each finding naming a credential, the parts its pairing took that are findings of
    /// their own (by the part's rule and value), by role.
    static func parts(_ findings: [Finding]) -> [String: [RemediationPlan.Part]] {
        struct Key: Hashable { var rule: String; var secret: String }
        let byKey = Dictionary(findings.map { (Key(rule: $0.rule.id, secret: $0.secret), $0) }, uniquingKeysWith: { a, _ in a })
        var out: [String: [RemediationPlan.Part]] = [:]
        for finding in findings {
            let parts = finding.rule.pairs.compactMap { pair -> RemediationPlan.Part? in
                guard let rule = pair.rule, let value = finding.pairing?.parts[pair.role],
                      let part = byKey[Key(rule: rule, secret: value)], part.id != finding.id else { return nil }
                return Self.part(pair.role, part)
            }
            if !parts.isEmpty { out[finding.id] = parts }
        }
        return out
    }

    /// What matters first: the tier (credentials that act, then password hashes, then
    /// encrypted keys, test values and canaries); within it, live credentials, then complete ones, then ids alone, dead keys,
    /// canaries and placeholders; within each, what the credential can do (its blast radius:
    /// those that can end the company first, then those that can destroy, those limited, those
    /// not known, those that can do nothing), then the more confident rule, then the wider
    /// exposure: a public remote, still in HEAD, on more refs, exposed for longer. Provider
    /// names never decide.
    static func order(_ rows: [RemediationPlan.Row]) -> [RemediationPlan.Row] {
        func tier(_ urgency: RemediationPlan.Urgency) -> Int {
            switch urgency {
            case .live: return 0
            case .currentComplete, .outsideGitComplete, .taggedComplete, .historyComplete: return 1
            case .idOnly: return 2
            case .dead: return 3
            case .canary: return 4
            case .placeholder: return 5
            }
        }
        func key(_ row: RemediationPlan.Row) -> [Int] {
            let e = row.exposure
            let since = e.first?.date.flatMap { GitDate.seconds(iso8601: $0) } ?? Int64.max
            let danger = row.blastRadius?.danger ?? .unknown
            return [row.tier.rawValue, tier(row.urgency), BlastRadiusReport.Danger.allCases.firstIndex(of: danger)!, -(Confidence.allCases.firstIndex(of: row.confidence) ?? 0), e.isPublic ? 0 : 1, e.inHead ? 0 : 1,
                    -(e.refTips?.count ?? 0), row.urgency.rawValue, Int(clamping: since)]
        }
        return rows.sorted { a, b in
            let ka = key(a), kb = key(b)
            if ka != kb { return ka.lexicographicallyPrecedes(kb) }
            return a.key < b.key
        }
    }

    /// A secret of another provider: redacted unless `--show-secrets`.
    func show(_ secret: String) -> String { options.showSecrets && !options.redact ? secret : Redaction.redact(secret) }
    func show(_ finding: Finding) -> String { options.showSecrets && !options.redact ? finding.secret : Redaction.redact(finding) }

    private func otherRow(_ finding: Finding, exposure: Exposure) -> RemediationPlan.Row {
        let provider = ProviderPlaybooks.provider(of: finding.rule)
        // An id whose rule declares parts (a Twilio SID, a Datadog API key, an Azure client id)
        // is a complete credential only with a part found by a rule; alone it is an id.
        let declared = finding.rule.pairs.filter { $0.rule != nil }
        let found = declared.filter { finding.pairing?.parts[$0.role] != nil }.map(\.role)
        let complete = declared.isEmpty || !found.isEmpty
        let urgency: RemediationPlan.Urgency
        if finding.isPlaceholder { urgency = .placeholder }
        else if finding.verification?.verdict == .live { urgency = .live }
        else if [.unknownID, .expired].contains(finding.verification?.verdict) { urgency = .dead }
        else if !complete { urgency = .idOnly }
        else { urgency = .complete(exposure) }
        return RemediationPlan.Row(
            rank: 0, urgency: urgency, provider: provider, confidence: finding.confidence, finding: finding.id, rule: finding.rule.id,
            key: show(finding), type: finding.rule.description, awsKeyType: nil, account: nil,
            canary: false, placeholder: finding.isPlaceholder, leaked: declared.isEmpty ? nil : found.isEmpty ? "id only" : (["id"] + found).joined(separator: " + "),
            complete: complete,
            secretFinding: nil, tokenFinding: nil, expiration: nil, exposure: exposure, verification: finding.verification,
            blastRadius: finding.blastRadius,
            steps: finding.rule.isHash && !finding.isPlaceholder
                ? Self.hashSteps(exposure: exposure)
                : ProviderPlaybooks.steps(rule: finding.rule, placeholder: finding.isPlaceholder, exposure: exposure, finding: finding.id))
    }

    /// What to do about a password hash (a rule of `kind = "hash"`): whoever cracks it has the
    /// password, so the password is reset, wherever it was used.
    static func hashSteps(exposure: Exposure) -> [RemediationPlan.Step] {
        let since = exposure.exposedSince ?? "the leak"
        return [
            RemediationPlan.Step(kind: "rotate", title: "Reset the password it hashes",
                 detail: "Find the account it belongs to (the user name beside it, the table or file it is in), set a new password, and change the same password wherever it was reused: a hash is cracked offline, and nothing logs that.",
                 commands: []),
            RemediationPlan.Step(kind: "investigate", title: "Review the account's sign-ins since \(since)",
                 detail: "The service's own login or audit log; a fast hash (MD5 crypt, unsalted SHA) counts as a leaked password.",
                 commands: []),
        ]
    }
}
