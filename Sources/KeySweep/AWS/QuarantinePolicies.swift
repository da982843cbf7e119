/// The AWS managed policies AWS attaches to a user whose key it finds public. Their documents
/// are read from the account's authorization details when there; otherwise keysweep uses the
/// transcriptions below.
enum QuarantinePolicies {
    static let v1 = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine"
    static let v2 = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2"
    static let v3 = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV3"
    static let arns = [v1, v2, v3]

    static func isQuarantine(_ arn: String) -> Bool { arns.contains(arn) }

    /// Transcribed from AWS's published `AWSCompromisedKeyQuarantineV3`, policy version of
    /// 2026-03-16, as docs/blast-radius.md describes it, and only what that description states:
    /// it denies identity creation and policy changes, `s3:Delete*` on buckets and objects,
    /// `ec2:RunInstances`, `lambda:CreateFunction` and `kms:ScheduleKeyDeletion`. "Identity
    /// creation" is spelled as the IAM Create actions of users, keys, login profiles and roles,
    /// "policy changes" as the actions that write identity or trust policies. Anything the
    /// description does not name (`iam:PassRole`, `iam:AddUserToGroup`,
    /// `iam:UpdateLoginProfile`, `s3:PutLifecycleConfiguration`) counts as left open here; the
    /// document in the account's authorization details, when there, replaces this one.
    static let v3Actions = [
        "iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:CreateRole",
        "iam:Attach*Policy", "iam:Put*Policy", "iam:Detach*Policy", "iam:Delete*Policy",
        "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:UpdateAssumeRolePolicy",
        "s3:Delete*", "ec2:RunInstances", "lambda:CreateFunction", "kms:ScheduleKeyDeletion",
    ]
    /// V2 is described as V3's denials plus `cloudtrail:LookupEvents` (the investigation itself).
    static let v2Actions = v3Actions + ["cloudtrail:LookupEvents"]

    /// The transcribed document of a quarantine policy; nil for the first version, whose
    /// content keysweep's sources do not describe.
    static func transcribed(_ arn: String) -> IAMPolicy? {
        let actions: [String]
        switch arn {
        case v3: actions = v3Actions
        case v2: actions = v2Actions
        default: return nil
        }
        return IAMPolicy(version: "2012-10-17", statements: [
            .init(sid: "TranscribedQuarantine", index: 0, effect: .deny, actions: .listed(actions), resources: .listed(["*"]), conditions: []),
        ])
    }
}
