/// The fixed vocabulary of what a leaked key can do to end a company, after Code Spaces (2014):
/// the attacker made backdoor users and keys, then deleted instances, volumes, snapshots, images
/// and backups. Each capability is the IAM actions behind it (docs/blast-radius.md); it is
/// allowed when any of them is.
enum BlastCapability: String, Sendable, CaseIterable, Codable, Comparable {
    case admin = "admin"
    case createUsers = "create-users"
    case createAccessKeys = "create-access-keys"
    case createLoginProfiles = "create-login-profiles"
    case escalatePrivileges = "escalate-privileges"
    case terminateInstances = "terminate-instances"
    case deleteVolumes = "delete-volumes"
    case deleteSnapshots = "delete-snapshots"
    case deregisterImages = "deregister-images"
    case deleteDBSnapshots = "delete-db-snapshots"
    case deleteBackups = "delete-backups"
    case deleteS3Data = "delete-s3-data"
    case stopLogging = "stop-logging"

    /// The actions behind it; empty for `admin`, which is every action (`*` on `*`).
    var actions: [String] {
        switch self {
        case .admin: return []
        case .createUsers: return ["iam:CreateUser"]
        case .createAccessKeys: return ["iam:CreateAccessKey"]
        case .createLoginProfiles: return ["iam:CreateLoginProfile", "iam:UpdateLoginProfile"]
        case .escalatePrivileges:
            // Any of these gives the key (or a principal it controls) more than it has.
            return ["iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachGroupPolicy", "iam:PutGroupPolicy",
                    "iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion",
                    "iam:UpdateAssumeRolePolicy", "iam:PassRole", "iam:AddUserToGroup"]
        case .terminateInstances: return ["ec2:TerminateInstances"]
        case .deleteVolumes: return ["ec2:DeleteVolume"]
        case .deleteSnapshots: return ["ec2:DeleteSnapshot"]
        case .deregisterImages: return ["ec2:DeregisterImage"]
        case .deleteDBSnapshots: return ["rds:DeleteDBSnapshot", "rds:DeleteDBClusterSnapshot"]
        case .deleteBackups: return ["backup:DeleteRecoveryPoint", "backup:DeleteBackupVault"]
        case .deleteS3Data:
            // A lifecycle rule expiring every object deletes as surely as DeleteObject.
            return ["s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutLifecycleConfiguration"]
        case .stopLogging:
            // Blinding: CloudTrail stopped, deleted or redirected, GuardDuty removed.
            return ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "guardduty:DeleteDetector"]
        }
    }

    /// Destructive actions of the kill chain outside the vocabulary's names, closed by the
    /// containment policy all the same.
    static let otherDestructiveActions = ["rds:DeleteDBInstance", "kms:ScheduleKeyDeletion"]

    static func < (a: BlastCapability, b: BlastCapability) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

extension BlastCapability {
    /// Can end the company on its own: total control, identities for a way back in, rights
    /// raised, backups destroyed or the logs blinded.
    var endsTheCompany: Bool {
        switch self {
        case .admin, .createUsers, .createAccessKeys, .createLoginProfiles, .escalatePrivileges,
             .deleteSnapshots, .deleteDBSnapshots, .deleteBackups, .stopLogging: return true
        case .terminateInstances, .deleteVolumes, .deregisterImages, .deleteS3Data: return false
        }
    }

    /// What the plan says the key can do: "can <phrase>".
    var phrase: String {
        switch self {
        case .admin: return "do everything (admin)"
        case .createUsers: return "create IAM users"
        case .createAccessKeys: return "create access keys"
        case .createLoginProfiles: return "give users console passwords"
        case .escalatePrivileges: return "raise its own rights (attach or put policies, pass roles)"
        case .terminateInstances: return "terminate EC2 instances"
        case .deleteVolumes: return "delete EBS volumes"
        case .deleteSnapshots: return "delete EBS snapshots"
        case .deregisterImages: return "deregister AMIs"
        case .deleteDBSnapshots: return "delete RDS snapshots"
        case .deleteBackups: return "delete AWS Backup recovery points and vaults"
        case .deleteS3Data: return "delete S3 data"
        case .stopLogging: return "stop or delete CloudTrail logging"
        }
    }
}
