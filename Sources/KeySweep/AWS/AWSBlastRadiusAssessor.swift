import Foundation

/// The AWS module's blast radius (`--blast-radius`, `--iam-snapshot`): for every leaked key id,
/// from the account owner's side and never with the leaked secret, who owns it, what it can do
/// (keysweep's own IAM evaluator over the account's policies, confirmed by
/// `SimulatePrincipalPolicy` where allowed), whether it was used since it leaked, which
/// identities appeared since, and what a quarantine leaves open. Online it reads the account
/// through an `AWSAccountReader`; offline it reads snapshots: the same evaluation either way.
package final class AWSBlastRadiusAssessor: CredentialAssessor, @unchecked Sendable {
    package enum Facts: Sendable {
        /// Snapshot files (`--iam-snapshot`): their names, for the report, and what they hold.
        case snapshots([(name: String, snapshot: AWSAccountSnapshot)])
        /// The live account, and the Regions whose CloudTrail to ask.
        case live(any AWSAccountReader, cloudTrailRegions: [String])
    }

    package let provider = "AWS"
    package let source: String
    private let facts: Facts
    /// The live account's snapshot, read once for every key (nil until asked).
    private var liveSnapshot: AWSAnswer<AWSAccountSnapshot>?
    private var analyses: [Int: AWSAnswer<(AWSAccountSnapshot, BlastRadiusAnalysis)>] = [:]
    private let lock = NSLock()

    /// Calls of CloudTrail at most per key and Region.
    static let eventLimit = 200
    /// The most recent destructive or identity-changing calls a report lists.
    static let recentCallsShown = 10

    package init(_ facts: Facts) {
        self.facts = facts
        switch facts {
        case .snapshots(let files): source = files.map { "snapshot \($0.name) (taken \($0.snapshot.taken))" }.joined(separator: ", ")
        case .live(let reader, _): source = "account read live at \(reader.endpoint)"
        }
    }

    package func assess(_ credentials: [Credential]) -> [Assessment] {
        lock.lock()
        defer { lock.unlock() }
        return credentials.map { credential in
            guard let aws = AWSCredential(credential.id) else { return Assessment() }   // a secret alone names no key
            return Assessment(blastRadius: blastRadius(credential, aws))
        }
    }

    private func report(_ danger: BlastRadiusReport.Danger, _ summary: String, unknown: [String] = []) -> BlastRadiusReport {
        var report = BlastRadiusReport(provider: provider, summary: summary, danger: danger, source: source)
        report.unknown = unknown
        return report
    }

    /// A key whose blast radius cannot be known, and why.
    private func unknown(_ reason: String) -> BlastRadiusReport {
        report(.unknown, "unknown: \(reason)", unknown: ["unknown, because \(reason)"])
    }

    private func blastRadius(_ credential: Credential, _ aws: AWSCredential) -> BlastRadiusReport {
        let keyID = credential.value
        if credential.id.isPlaceholder { return report(.none, "placeholder: not a real key", unknown: ["placeholder: not looked up"]) }
        if aws.isCanary { return report(.none, "canary key: not looked up", unknown: ["canary (honeytoken) key: it belongs to a canary service's account, not yours"]) }
        if credential.isRedacted { return unknown("the key id is redacted in the report: scan again, or use a report written without --redact") }

        // Who owns it, and in which snapshot.
        var owner: AWSKeyOwner?
        var found: (AWSAccountSnapshot, BlastRadiusAnalysis)?
        switch facts {
        case .snapshots(let files):
            for (index, file) in files.enumerated() where file.snapshot.accessKeys.contains(where: { $0.id == keyID }) {
                switch analysis(index, { .answered(file.snapshot) }) {
                case .answered(let value): found = value
                case .unknown(let reason): return unknown(reason)
                }
                let key = file.snapshot.accessKeys.first { $0.id == keyID }!
                owner = AWSKeyOwner(userName: key.user, lastUsed: key.lastUsed)
                break
            }
            guard owner != nil else {
                let accounts = files.compactMap(\.snapshot.account)
                let hint = aws.keyID.account.map { " (its id decodes to account \($0))" } ?? ""
                let reason = "the key id is in none of the snapshots given\(accounts.isEmpty ? "" : " (accounts \(accounts.joined(separator: ", ")))")\(hint)"
                return unknown(reason)
            }
        case .live(let reader, _):
            switch reader.keyOwner(keyID) {
            case .unknown(let reason):
                let hint = aws.keyID.account.map { " (its id decodes to account \($0))" } ?? ""
                return unknown(reason + hint)
            case .answered(let answer): owner = answer
            }
            switch analysis(0, { reader.snapshot() }) {
            case .answered(let value): found = value
            case .unknown(let reason):
                var partial = unknown(reason)
                partial.lastUsed = owner?.lastUsed
                return partial
            }
        }
        guard let owner, let (snapshot, analysis) = found else { return unknown("no answer") }
        guard let user = analysis.details.user(named: owner.userName) else {
            let reason = "user \(owner.userName) owns the key but is not in the account's authorization details"
            return unknown(reason)
        }

        let radius = analysis.blastRadius(of: user)
        var result = Self.report(radius, provider: provider, source: source)
        let key = snapshot.accessKeys.first { $0.id == keyID }
        result.status = key?.status
        result.created = key?.created
        result.lastUsed = owner.lastUsed ?? key?.lastUsed
        result.unknown = radius.unknown.map { "unknown, because \($0)" } + snapshot.unknown.map { "unknown, because \($0)" }

        if case .live(let reader, let regions) = facts {
            confirm(&result, radius: radius, reader: reader)
            cloudTrail(&result, keyID: keyID, leakedAt: credential.leakedAt, reader: reader, regions: regions)
        }
        usedSinceLeak(&result, leakedAt: credential.leakedAt)
        newIdentities(&result, snapshot: snapshot, details: analysis.details, keyID: keyID, leakedAt: credential.leakedAt)
        return result
    }

    /// The evaluator over a snapshot's authorization details, made once per snapshot.
    private func analysis(_ index: Int, _ read: () -> AWSAnswer<AWSAccountSnapshot>) -> AWSAnswer<(AWSAccountSnapshot, BlastRadiusAnalysis)> {
        if let known = analyses[index] { return known }
        let answer: AWSAnswer<(AWSAccountSnapshot, BlastRadiusAnalysis)>
        switch read() {
        case .unknown(let reason): answer = .unknown(reason)
        case .answered(let snapshot):
            do {
                answer = .answered((snapshot, BlastRadiusAnalysis(details: try AuthorizationDetails(pages: snapshot.authorizationPages))))
            } catch {
                answer = .unknown("the account's authorization details cannot be read: \(error)")
            }
        }
        analyses[index] = answer
        return answer
    }

    /// The evaluator's answer as the neutral report.
    static func report(_ radius: BlastRadius, provider: String, source: String) -> BlastRadiusReport {
        let capabilities = radius.capabilities
        let mfaOnly = radius.mfaOnly
        let scoped = radius.scoped
        let danger = Self.danger(capabilities, limited: !mfaOnly.isEmpty || !scoped.isEmpty)
        var report = BlastRadiusReport(provider: provider, summary: summary(radius), danger: danger, source: source)
        report.principal = radius.principal
        report.admin = radius.admin
        report.capabilities = capabilities.map(\.rawValue)
        report.mfaOnly = mfaOnly.map(\.rawValue)
        report.scoped = Dictionary(scoped.map { ($0.0.rawValue, $0.1) }, uniquingKeysWith: { a, _ in a })
        report.quarantined = radius.quarantined
        report.leftOpenByQuarantine = radius.leftOpenByQuarantine?.map(\.rawValue)
        for answer in radius.answers where !answer.evidence.isEmpty {
            report.evidence[answer.capability.rawValue] = answer.evidence.map(\.description)
        }
        for answer in radius.answers { report.answeredBy[answer.capability.rawValue] = "evaluator" }
        return report
    }

    /// Worst first: what the key alone can do on everything, else whether anything is allowed
    /// only with MFA or on some resources.
    static func danger(_ capabilities: [BlastCapability], limited: Bool) -> BlastRadiusReport.Danger {
        if capabilities.contains(where: \.endsTheCompany) { return .critical }
        if !capabilities.isEmpty { return .high }
        return limited ? .limited : .none
    }

    /// "a, b and c".
    static func list(_ phrases: [String]) -> String {
        phrases.count <= 1 ? phrases.joined() : phrases.dropLast().joined(separator: ", ") + " and " + phrases.last!
    }

    static let nothing = "can do none of the Code Spaces actions (admin, new identities, deletion, stopping logs)"

    /// "can create IAM users and delete EBS snapshots, without MFA; with MFA also ...".
    static func summary(_ radius: BlastRadius) -> String {
        var parts: [String] = []
        if radius.admin {
            parts.append("can do everything (admin: every action on every resource), without MFA")
        } else if !radius.capabilities.isEmpty {
            parts.append("can \(list(radius.capabilities.map(\.phrase))), without MFA")
        }
        let scoped = radius.scoped
        if !scoped.isEmpty {
            parts.append("can \(list(scoped.map { "\($0.0.phrase) on \($0.1.joined(separator: ", "))" })) only")
        }
        if !radius.mfaOnly.isEmpty { parts.append("with MFA also \(list(radius.mfaOnly.map(\.phrase)))") }
        if parts.isEmpty { return nothing }
        return parts.joined(separator: "; ")
    }

    /// `SimulatePrincipalPolicy` sees what the evaluator cannot (organisation policies): where it
    /// is allowed it confirms each capability, and where the two disagree the simulation wins.
    private func confirm(_ report: inout BlastRadiusReport, radius: BlastRadius, reader: any AWSAccountReader) {
        let capabilities = BlastCapability.allCases.filter { !$0.actions.isEmpty }
        switch reader.simulate(principal: radius.principal, actions: capabilities.flatMap(\.actions), mfa: false) {
        case .unknown(let reason):
            report.unknown.append("unknown, because \(reason): capabilities are keysweep's evaluation alone")
        case .answered(let decisions):
            var allowed = Set(report.capabilities)
            for capability in capabilities {
                let simulated = capability.actions.contains { decisions[$0] == "allowed" }
                let evaluated = allowed.contains(capability.rawValue)
                if simulated == evaluated {
                    report.answeredBy[capability.rawValue] = "evaluator and simulation"
                } else if simulated {
                    allowed.insert(capability.rawValue)
                    report.answeredBy[capability.rawValue] = "simulation (keysweep's evaluator did not allow it)"
                } else {
                    allowed.remove(capability.rawValue)
                    report.answeredBy[capability.rawValue] = "simulation (keysweep's evaluator allowed it: a policy it cannot see denies it)"
                }
            }
            report.capabilities = BlastCapability.allCases.map(\.rawValue).filter { allowed.contains($0) }
            if report.admin != true { Self.rerank(&report) }
        }
    }

    private static func rerank(_ report: inout BlastRadiusReport) {
        let capabilities = report.capabilities.compactMap(BlastCapability.init(rawValue:))
        report.danger = danger(capabilities, limited: !report.mfaOnly.isEmpty || !report.scoped.isEmpty)
        report.summary = capabilities.isEmpty
            ? nothing + " on every resource, as the simulation answers"
            : "can \(list(capabilities.map(\.phrase))), without MFA"
    }

    /// CloudTrail's events of the key since it leaked, per Region asked.
    private func cloudTrail(_ report: inout BlastRadiusReport, keyID: String, leakedAt: String?, reader: any AWSAccountReader, regions: [String]) {
        // CloudTrail keeps 90 days of management events; older leaks are asked from there.
        let window = Date().addingTimeInterval(-90 * 86_400)
        var since = window
        if let leakedAt, let seconds = GitDate.seconds(iso8601: leakedAt) {
            since = max(window, Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        let from = VerificationClock.iso8601(since)
        var events: [AWSEvent] = []
        var answered = false
        for region in regions {
            switch reader.events(keyID: keyID, since: from, region: region, limit: Self.eventLimit) {
            case .answered(let found): events += found; answered = true
            case .unknown(let reason): report.unknown.append("unknown, because \(reason) (CloudTrail in \(region))")
            }
        }
        if !events.isEmpty { report.usedSinceLeak = true }
        else if answered && report.usedSinceLeak == nil && leakedAt != nil { report.usedSinceLeak = false }
        let changing = events.filter { event in !["Get", "List", "Describe", "Lookup", "Head", "Simulate"].contains { event.name.hasPrefix($0) } }
        report.recentCalls = changing.sorted { $0.time > $1.time }.prefix(Self.recentCallsShown)
            .map { BlastRadiusReport.Call(time: $0.time, name: "\($0.source.split(separator: ".").first.map(String.init) ?? $0.source):\($0.name)", region: $0.region) }
    }

    /// From the key's last use as IAM records it: used after the leak, or not since.
    private func usedSinceLeak(_ report: inout BlastRadiusReport, leakedAt: String?) {
        guard report.usedSinceLeak != true else { return }
        guard let leakedAt, let leak = GitDate.seconds(iso8601: leakedAt) else {
            report.unknown.append("unknown, because the leak has no date (not found in git history): use since the leak is not known")
            return
        }
        guard let lastUsed = report.lastUsed else { return }
        if let used = AWSTime.seconds(lastUsed.date) {
            report.usedSinceLeak = used >= leak
        } else {
            report.usedSinceLeak = false   // never used at all
        }
    }

    /// Users, access keys and console passwords created after the leak: Code Spaces' backdoors.
    private func newIdentities(_ report: inout BlastRadiusReport, snapshot: AWSAccountSnapshot, details: AuthorizationDetails,
                               keyID: String, leakedAt: String?) {
        guard let leakedAt, let leak = GitDate.seconds(iso8601: leakedAt) else {
            report.unknown.append("unknown, because the leak has no date (not found in git history): identities created since are not listed")
            return
        }
        func after(_ date: String?) -> Bool { AWSTime.seconds(date).map { $0 > leak } ?? false }
        var found: [BlastRadiusReport.NewIdentity] = []
        for user in details.users where after(user.createDate) {
            found.append(.init(type: "user", name: user.name, created: AWSTime.normalize(user.createDate!)))
        }
        for key in snapshot.accessKeys where key.id != keyID && after(key.created) {
            found.append(.init(type: "access-key", name: "\(key.id) (user \(key.user))", created: AWSTime.normalize(key.created!)))
        }
        for profile in snapshot.loginProfiles where after(profile.created) {
            found.append(.init(type: "login-profile", name: "console password of \(profile.user)", created: AWSTime.normalize(profile.created!)))
        }
        report.newIdentitiesSinceLeak = found.sorted { ($0.created, $0.type, $0.name) < ($1.created, $1.type, $1.name) }
    }
}
