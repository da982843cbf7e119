import Foundation

/// The ordered steps for one leaked AWS key, by its shape (docs/AWS.md: contain first, history
/// last), with the AWS CLI commands filled in with the id, user, role and account where known.
/// The secret key itself never appears in a step.
struct AWSPlaybook {
    var keyID: String
    var keyType: String
    var account: String?
    var verification: VerificationResult?
    /// What the key can do, from the owner's side (`--blast-radius`): the containment steps
    /// follow from it.
    var blastRadius: BlastRadiusReport? = nil
    /// The key id's finding, for `keysweep contain`.
    var findingID: String = ""
    var exposure: Exposure
    var canary: Bool
    var placeholder: Bool
    var complete: Bool
    /// `Expiration` found next to a temporary key.
    var expiration: String?
    /// ISO 8601 time of the plan: sessions issued before it are revoked.
    var now: String

    typealias Step = RemediationPlan.Step

    func steps() -> [Step] {
        if placeholder {
            return [Step(kind: "none", title: "Nothing to rotate", detail: "A documentation example or test value, not a real key. Replace it with an obvious placeholder if it confuses scanners.", commands: [])]
        }
        if canary {
            return [
                Step(kind: "do-not-use", title: "Do not call AWS with it",
                     detail: "Account \(account ?? "?") is a known canary (honeytoken) account: any API call with this key alerts whoever planted it. keysweep never verifies it.",
                     commands: []),
                Step(kind: "investigate", title: "Find out why it is here",
                     detail: "A canary in a repository is either a deliberate tripwire (leave it, tell its owner it was found) or a copy of someone else's decoy. Ask the committer (\(exposure.first?.author ?? "see first commit")).",
                     commands: []),
            ]
        }
        var steps: [Step] = []
        switch verification?.verdict {
        case .unknownID?:
            steps.append(note("STS does not know this key id", "The key was deleted or never existed (or, for a temporary key, the token is wrong). Nothing to contain; still check what it did while it lived."))
            steps.append(investigate())
        if olderThanEventHistory { steps.append(olderEvents()) }
            return steps
        case .expired?:
            steps.append(note("The temporary key has expired", "It can no longer be used. Check what it did while it was valid, and whether the credentials that minted it leaked too."))
            steps.append(investigate())
        if olderThanEventHistory { steps.append(olderEvents()) }
            steps.append(findSource())
            return steps
        case .wrongSecret?:
            steps.append(note("The key id is real and active, but the leaked secret is wrong", "The leaked secret does not sign for this id (STS answered SignatureDoesNotMatch twice). An id's secret never changes: the leaked one was mistyped, or belongs to another key id; treat the id as exposed, and look for that other id."))
        default: break
        }
        if verification?.principalType == "root" { return steps + root() }
        switch keyType {
        case "long-term": steps += user()
        case "temporary": steps += temporary()
        case "bearer": steps += bearer()
        default: steps += context()
        }
        return steps
    }

    /// A step with nothing to run: what STS said and what it means.
    private func note(_ title: String, _ detail: String) -> Step {
        Step(kind: "note", title: title, detail: detail, commands: [])
    }

    // MARK: shapes

    private var accountNote: String {
        account.map { "Run with administrator credentials of account \($0)." } ?? "Run with administrator credentials of the owning account (the id encodes none: old-generation key)."
    }

    private var userName: String? {
        if verification?.principalType == "user" { return verification?.principalName }
        // arn:aws:iam::123456789012:user/path/name: the name is the last part.
        if let principal = blastRadius?.principal, principal.contains(":user/") { return principal.split(separator: "/").last.map(String.init) }
        return nil
    }
    /// The user name, or a shell variable set by the identify step.
    private var userArg: String { userName.map(Self.quote) ?? "\"$IAM_USER\"" }

    /// When the leak began: the first commit's date; a commit of unknown date leaves a
    /// placeholder to fill in.
    private var since: String? {
        guard let first = exposure.first else { return nil }
        return first.date ?? exposure.exposedSince ?? "<first leak date>"
    }
    /// ` --start-time SINCE`; text outside git history has no date, and without one CloudTrail
    /// gives its whole event history (90 days), not only what happened after the scan.
    private var startTime: String { since.map { " --start-time \($0)" } ?? "" }
    /// The Athena query's lower bound: the day of a date; a placeholder whole, never cut.
    private var sinceDay: String {
        guard let since, GitDate.seconds(iso8601: since) != nil else { return since ?? "<first leak date>" }
        return String(since.prefix(10))
    }

    private func user() -> [Step] {
        var steps: [Step] = []
        if userName == nil {
            steps.append(Step(kind: "identify", title: "Find the owner and last use",
                              detail: "\(accountNote) The user name is needed below.",
                              commands: ["aws iam get-access-key-last-used --access-key-id \(keyID)",
                                         "IAM_USER=$(aws iam get-access-key-last-used --access-key-id \(keyID) --query UserName --output text)"]))
        } else {
            steps.append(Step(kind: "identify", title: "Check its last use",
                              detail: "\(accountNote) Owner: IAM user \(userName!).",
                              commands: ["aws iam get-access-key-last-used --access-key-id \(keyID)"]))
        }
        steps.append(Step(kind: "contain", title: "Deactivate the key",
                          detail: "Deactivating is reversible; deletion comes last, once the replacement is deployed."
                            + (blastRadius != nil && userName != nil ? " `keysweep contain \(findingID)` does this step and the next, after showing them." : ""),
                          commands: ["aws iam update-access-key --user-name \(userArg) --access-key-id \(keyID) --status Inactive"]))
        if let blastRadius, !blastRadius.capabilities.isEmpty || blastRadius.danger == .unknown || blastRadius.quarantined == true {
            steps.append(denyStep(blastRadius))
        }
        if let identities = blastRadius?.newIdentitiesSinceLeak, !identities.isEmpty { steps.append(reviewIdentities(identities)) }
        steps.append(investigate())
        if olderThanEventHistory { steps.append(olderEvents()) }
        steps.append(Step(kind: "revoke-sessions", title: "Revoke sessions minted with it",
                          detail: "If CloudTrail shows GetSessionToken or AssumeRole calls with this key, deny every session issued before now.",
                          commands: ["aws iam put-user-policy --user-name \(userArg) --policy-name RevokeOlderSessions --policy-document \(denyBefore)"]))
        steps.append(Step(kind: "rotate", title: "Create a replacement and deploy it",
                          detail: "Better: move the workload to an IAM role and use no long-term key at all.",
                          commands: ["aws iam create-access-key --user-name \(userArg)"]))
        steps.append(Step(kind: "delete", title: "Delete the leaked key",
                          detail: "If AWS attached AWSCompromisedKeyQuarantineV2/V3 to the user, follow the AWS support case before removing that policy.",
                          commands: ["aws iam delete-access-key --user-name \(userArg) --access-key-id \(keyID)"]))
        return steps
    }

    private func root() -> [Step] {
        [
            Step(kind: "contain", title: "Deactivate the root user's key (signed in as root)",
                 detail: "This is a root user access key: full control of account \(account ?? "?"). Act now.",
                 commands: ["aws iam update-access-key --access-key-id \(keyID) --status Inactive"]),
            investigate(),
        ] + (olderThanEventHistory ? [olderEvents()] : []) + [
            Step(kind: "delete", title: "Delete it; never create a replacement root key",
                 detail: "Then check root MFA and change the root password, and open an AWS support case.",
                 commands: ["aws iam delete-access-key --access-key-id \(keyID)",
                            "aws iam get-account-summary --query 'SummaryMap.{MFA:AccountMFAEnabled,RootKeys:AccountAccessKeysPresent}'"]),
        ]
    }

    private func temporary() -> [Step] {
        var steps: [Step] = []
        let role = verification?.principalType == "assumed-role" ? verification?.principalName : nil
        if let role {
            steps.append(Step(kind: "contain", title: "Revoke every session of role \(role) issued before now",
                              detail: "A temporary key cannot be deleted; it expires\(exposureExpiry). GetCallerIdentity keeps answering until then. \(accountNote)",
                              commands: ["aws iam put-role-policy --role-name \(Self.quote(role)) --policy-name AWSRevokeOlderSessions --policy-document \(denyBefore)"]))
        } else if verification?.principalType == "federated-user" {
            steps.append(Step(kind: "contain", title: "Revoke the federated session at its issuing user",
                              detail: "Federated sessions come from GetFederationToken with a user's long-term key: deny sessions issued before now on that user (\(verification?.principalName ?? "?")) and rotate its key. \(accountNote)",
                              commands: ["aws iam put-user-policy --user-name \"$ISSUING_USER\" --policy-name RevokeOlderSessions --policy-document \(denyBefore)"]))
        } else {
            steps.append(Step(kind: "contain", title: "Find its role and revoke its sessions",
                              detail: "A temporary key cannot be deleted; it expires\(exposureExpiry). Find the role it belongs to (CloudTrail's userIdentity.sessionContext), then deny every session issued before now. \(accountNote)",
                              commands: ["aws cloudtrail lookup-events --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=\(keyID) --max-results 5",
                                         "aws iam put-role-policy --role-name \"$ROLE\" --policy-name AWSRevokeOlderSessions --policy-document \(denyBefore)"]))
        }
        steps.append(investigate())
        if olderThanEventHistory { steps.append(olderEvents()) }
        steps.append(findSource(role: role))
        return steps
    }

    private func bearer() -> [Step] {
        [
            Step(kind: "contain", title: "Revoke the sessions of the principal that minted it",
                 detail: "An STS service bearer token (ABIA) is short-lived and scoped to a service and Region; it cannot be deleted. Deny sessions issued before now on the role or user that requested it. \(accountNote)",
                 commands: ["aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=GetServiceBearerToken\(startTime)"]),
            investigate(),
        ]
    }

    private func context() -> [Step] {
        [
            Step(kind: "contain", title: "Identify the credential and contact AWS",
                 detail: "A context-specific or unrecognised AWS credential: little is documented. Find it in CloudTrail and open an AWS support case. \(accountNote)",
                 commands: []),
            investigate(),
        ]
    }

    /// The explicit deny that closes what the key (and AWS's quarantine policy) leaves open.
    private func denyStep(_ radius: BlastRadiusReport) -> Step {
        var detail = "An explicit Deny beats every Allow: it closes the Code Spaces actions for user \(userName ?? "$IAM_USER") whatever key or session is used"
        if let open = radius.leftOpenByQuarantine, !open.isEmpty {
            detail += ", including what AWS's quarantine policy leaves open (\(open.joined(separator: ", ")))"
        }
        detail += ". It blocks the user's legitimate use of those actions too: remove it once the key is deleted and the user reviewed."
        return Step(kind: "contain", title: "Deny what it can still do",
                    detail: detail,
                    commands: ["aws iam put-user-policy --user-name \(userArg) --policy-name \(ContainmentPolicy.name) --policy-document \(Self.quote(ContainmentPolicy.compactDocument()))"])
    }

    /// Identities made after the leak: a way back in until someone owns them.
    private func reviewIdentities(_ identities: [BlastRadiusReport.NewIdentity]) -> Step {
        var commands: [String] = []
        for identity in identities {
            switch identity.type {
            case "user":
                commands.append("aws iam list-access-keys --user-name \(Self.quote(identity.name))")
                commands.append("aws iam list-attached-user-policies --user-name \(Self.quote(identity.name))")
            case "access-key":
                // "AKIA... (user NAME)"
                let parts = identity.name.split(separator: " ", maxSplits: 2)
                if parts.count == 3, parts[1] == "(user" {
                    let user = String(parts[2].dropLast())
                    commands.append("aws iam update-access-key --user-name \(Self.quote(user)) --access-key-id \(parts[0]) --status Inactive")
                }
            case "login-profile":
                if let user = identity.name.components(separatedBy: "console password of ").last {
                    commands.append("aws iam delete-login-profile --user-name \(Self.quote(user))")
                }
            default: break
            }
        }
        let list = identities.map { "\($0.type) \($0.name) (\($0.created))" }.joined(separator: "; ")
        return Step(kind: "review-identities", title: "Review the identities created since the leak",
                    detail: "Created after the key leaked: \(list). If nobody on your team made them, they are a way back in: deactivate their keys and passwords, then delete them.",
                    commands: commands)
    }

    // MARK: shared steps

    private var exposureExpiry: String { expiration.map { " (Expiration next to it: \($0))" } ?? "" }

    /// CloudTrail's event history: what `lookup-events` reaches.
    static let eventHistoryDays = 90

    private func investigate() -> Step {
        Step(kind: "investigate", title: "Check what it did, in every Region, " + (exposure.first == nil ? "as far back as CloudTrail goes (the text has no commit date)" : "since \(exposure.exposedSince ?? "it leaked")"),
             detail: "Look for new users, keys, roles and policies, GetSessionToken/AssumeRole, new instances, and deleted backups or logs. CloudTrail's event history (lookup-events) holds only the last \(Self.eventHistoryDays) days of management events, per Region, at 2 requests a second; older events and data events are only in a trail's logs (next step).",
             commands: ["for region in $(aws ec2 describe-regions --query 'Regions[].RegionName' --output text); do aws cloudtrail lookup-events --region \"$region\" --lookup-attributes AttributeKey=AccessKeyId,AttributeValue=\(keyID)\(startTime); done"])
    }

    /// Events older than the event history: a trail's logs in S3, queried with Athena (a table
    /// made from the CloudTrail console's "Create Athena table", here `cloudtrail_logs`).
    private func olderEvents() -> Step {
        let query = "SELECT eventtime, awsregion, eventsource, eventname, sourceipaddress, useragent FROM cloudtrail_logs WHERE useridentity.accesskeyid = '\(keyID)' AND eventtime >= '\(sinceDay)' ORDER BY eventtime"
        return Step(kind: "investigate-older", title: "Events older than \(Self.eventHistoryDays) days: query the trail's logs",
                    detail: "Only a trail keeps events past \(Self.eventHistoryDays) days. Find the trail and its S3 bucket, create its Athena table (CloudTrail console > Event history > Create Athena table), then query it. Without a trail, what the key did before then cannot be known.",
                    commands: ["aws cloudtrail describe-trails --query 'trailList[].[Name,S3BucketName,IsMultiRegionTrail]' --output text",
                               "aws athena start-query-execution --query-string \"\(query)\" --result-configuration OutputLocation=s3://YOUR-ATHENA-RESULTS-BUCKET/"])
    }

    /// Whether the leak began before the event history's reach (unknown dates count as older).
    private var olderThanEventHistory: Bool {
        guard let date = exposure.first?.date, let seconds = GitDate.seconds(iso8601: date),
              let nowSeconds = GitDate.seconds(iso8601: now) else { return true }
        return nowSeconds - seconds > Int64(Self.eventHistoryDays) * 86_400
    }

    private func findSource(role: String? = nil) -> Step {
        Step(kind: "find-source", title: "Find who minted it",
             detail: "A temporary key comes from AssumeRole (or GetSessionToken, GetFederationToken) with other credentials: if those leaked too, rotate them.",
             commands: ["aws cloudtrail lookup-events --lookup-attributes AttributeKey=EventName,AttributeValue=AssumeRole\(startTime)"
                        + (role.map { " --query \"Events[?contains(CloudTrailEvent, '\($0)')]\"" } ?? "")])
    }

    /// A Deny-all policy for sessions issued before the plan was made, as a quoted shell word.
    private var denyBefore: String {
        "'{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"\(now)\"}}}]}'"
    }

    /// Quotes a word for the shell when it needs it.
    static func quote(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "+=,.@_-".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension AWSPlaybook {
    /// The playbooks of AWS parts found without their key id (rule files name them by
    /// `playbook`): the plan's AWS rows need a key id, so these go through `ProviderPlaybooks`.
    static let parts: [ProviderPlaybook] = [
        ProviderPlaybook(id: "aws-secret-alone", name: "AWS", steps: [
            RemediationPlan.Step(kind: "identify", title: "List each user's keys: keysweep found no key id near this secret",
                 detail: "A secret access key without its id, which it never reveals: list each user's keys and rotate every key that could be this one (its last use and creation date narrow them down).",
                 commands: ["aws iam list-users --query 'Users[].UserName' --output text | xargs -n1 aws iam list-access-keys --user-name"]),
        ]),
        ProviderPlaybook(id: "aws-session-token-alone", name: "AWS", steps: [
            RemediationPlan.Step(kind: "contain", title: "Revoke the sessions of the role it belongs to",
                 detail: "A session token alone is not usable without its key id and secret, but revoke older sessions of its role if those leaked elsewhere.",
                 commands: []),
        ]),
    ]
}
