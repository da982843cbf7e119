/// What a leaked credential can do, answered from the owner's side by its provider's module
/// (AWS: the account's IAM policies; GitHub: the token's scopes). Provider-neutral: reports and
/// the plan read these fields and never a provider's own vocabulary, which the module has
/// already put into `capabilities`, `summary` and `danger`. A JSON report carries it as
/// `findings[].blast_radius` on the finding that names the credential (a key id, a token).
package struct BlastRadiusReport: Sendable, Codable, Equatable {
    /// How much a capability set can hurt, worst first: the plan ranks by it.
    package enum Danger: String, Sendable, Codable, Comparable, CaseIterable {
        /// Can end the company: admin, make identities, raise its own rights, destroy backups
        /// or blind the logs.
        case critical
        /// Can destroy or change things, not backups or identities.
        case high
        /// Can act only on some resources, or only with MFA.
        case limited
        /// The owner's side could not be read (a call was denied, no snapshot of the account).
        case unknown
        /// Nothing of the vocabulary.
        case none

        package static func < (a: Danger, b: Danger) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    package struct LastUse: Sendable, Codable, Equatable {
        package var date: String?
        package var service: String?
        package var region: String?
        package init(date: String?, service: String?, region: String?) {
            self.date = date; self.service = service; self.region = region
        }
    }

    /// An identity that appeared in the account after the leak (a backdoor, perhaps).
    package struct NewIdentity: Sendable, Codable, Equatable {
        /// `user`, `access-key`, `login-profile`, `mfa-device`, ...
        package var type: String
        package var name: String
        package var created: String
        package init(type: String, name: String, created: String) { self.type = type; self.name = name; self.created = created }
    }

    /// A call made with the credential (CloudTrail, audit logs).
    package struct Call: Sendable, Codable, Equatable {
        package var time: String
        package var name: String
        @JSONNullable package var region: String?
        package init(time: String, name: String, region: String?) { self.time = time; self.name = name; self.region = region }
    }

    /// `AWS`, `GitHub`: the module that answered.
    package var provider: String
    /// Who the credential acts as (an IAM user's ARN, a GitHub login); nil when unknown.
    @JSONNullable package var principal: String?
    /// The credential's own state at the provider (`Active`, `Inactive`), when known.
    @JSONNullable package var status: String?
    @JSONNullable package var created: String?
    /// Everything, on everything, without MFA; nil when unknown.
    @JSONNullable package var admin: Bool?
    /// Allowed to the credential alone, on every resource (names of the module's vocabulary).
    package var capabilities: [String] = []
    /// Allowed only in a session made with MFA.
    package var mfaOnly: [String] = []
    /// Allowed to the credential alone on some resources only: capability → resource patterns.
    package var scoped: [String: [String]] = [:]
    /// In words, for the plan: "can create IAM users and delete EBS snapshots, without MFA".
    package var summary: String
    package var danger: Danger
    @JSONNullable package var lastUsed: LastUse?
    /// Whether it was used after it leaked; nil when not known (no call allowed, outside the
    /// provider's log window).
    @JSONNullable package var usedSinceLeak: Bool?
    /// Its most recent destructive or identity-changing calls since the leak.
    package var recentCalls: [Call] = []
    package var newIdentitiesSinceLeak: [NewIdentity] = []
    /// Whether a quarantine policy (the provider's own) is attached; nil when unknown.
    @JSONNullable package var quarantined: Bool?
    /// What stays allowed with the quarantine in effect.
    @JSONNullable package var leftOpenByQuarantine: [String]?
    /// capability → the policies and statements that allow it.
    package var evidence: [String: [String]] = [:]
    /// capability → where the answer came from (`evaluator`, `simulation`, `evaluator and
    /// simulation`, `scopes`).
    package var answeredBy: [String: String] = [:]
    /// What could not be known, each with its reason ("unknown, because ...").
    package var unknown: [String] = []
    /// Where the facts came from: the live account (and endpoint), or a snapshot file and its date.
    package var source: String

    package init(provider: String, summary: String, danger: Danger, source: String) {
        self.provider = provider
        self.summary = summary
        self.danger = danger
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case provider, principal, status, created, admin, capabilities, scoped, summary, danger, quarantined, evidence, unknown, source
        case mfaOnly = "mfa_only"
        case lastUsed = "last_used"
        case usedSinceLeak = "used_since_leak"
        case recentCalls = "recent_calls"
        case newIdentitiesSinceLeak = "new_identities_since_leak"
        case leftOpenByQuarantine = "left_open_by_quarantine"
        case answeredBy = "answered_by"
    }

    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        provider = try c.decode(String.self, forKey: .provider)
        principal = try c.decodeIfPresent(String.self, forKey: .principal)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        created = try c.decodeIfPresent(String.self, forKey: .created)
        admin = try c.decodeIfPresent(Bool.self, forKey: .admin)
        capabilities = try c.decodeIfPresent([String].self, forKey: .capabilities) ?? []
        mfaOnly = try c.decodeIfPresent([String].self, forKey: .mfaOnly) ?? []
        scoped = try c.decodeIfPresent([String: [String]].self, forKey: .scoped) ?? [:]
        summary = try c.decode(String.self, forKey: .summary)
        danger = try c.decode(Danger.self, forKey: .danger)
        lastUsed = try c.decodeIfPresent(LastUse.self, forKey: .lastUsed)
        usedSinceLeak = try c.decodeIfPresent(Bool.self, forKey: .usedSinceLeak)
        recentCalls = try c.decodeIfPresent([Call].self, forKey: .recentCalls) ?? []
        newIdentitiesSinceLeak = try c.decodeIfPresent([NewIdentity].self, forKey: .newIdentitiesSinceLeak) ?? []
        quarantined = try c.decodeIfPresent(Bool.self, forKey: .quarantined)
        leftOpenByQuarantine = try c.decodeIfPresent([String].self, forKey: .leftOpenByQuarantine)
        evidence = try c.decodeIfPresent([String: [String]].self, forKey: .evidence) ?? [:]
        answeredBy = try c.decodeIfPresent([String: String].self, forKey: .answeredBy) ?? [:]
        unknown = try c.decodeIfPresent([String].self, forKey: .unknown) ?? []
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(provider, forKey: .provider)
        try c.encode(_principal, forKey: .principal)
        try c.encode(_status, forKey: .status)
        try c.encode(_created, forKey: .created)
        try c.encode(_admin, forKey: .admin)
        try c.encode(capabilities, forKey: .capabilities)
        try c.encode(mfaOnly, forKey: .mfaOnly)
        try c.encode(scoped, forKey: .scoped)
        try c.encode(summary, forKey: .summary)
        try c.encode(danger, forKey: .danger)
        try c.encode(_lastUsed, forKey: .lastUsed)
        try c.encode(_usedSinceLeak, forKey: .usedSinceLeak)
        try c.encode(recentCalls, forKey: .recentCalls)
        try c.encode(newIdentitiesSinceLeak, forKey: .newIdentitiesSinceLeak)
        try c.encode(_quarantined, forKey: .quarantined)
        try c.encode(_leftOpenByQuarantine, forKey: .leftOpenByQuarantine)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(answeredBy, forKey: .answeredBy)
        try c.encode(unknown, forKey: .unknown)
        try c.encode(source, forKey: .source)
    }
}
