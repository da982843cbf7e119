import Foundation

/// What blast radius needs of one AWS account, read with the owner's credentials: the account's
/// authorization details (users, groups, managed policies with their default versions), every
/// access key by user with its status, dates and last use, MFA devices and console passwords.
/// `keysweep aws-snapshot -o FILE` writes it; `--iam-snapshot FILE` reads it with no network at
/// all; an online `--blast-radius` run builds the same value in memory, so both give the same
/// answers (CloudTrail facts aside).
package struct AWSAccountSnapshot: Sendable {
    package struct AccessKey: Sendable, Codable, Equatable {
        package var id: String
        package var user: String
        /// `Active` or `Inactive`.
        package var status: String
        package var created: String?
        package var lastUsed: BlastRadiusReport.LastUse?

        package init(id: String, user: String, status: String, created: String?, lastUsed: BlastRadiusReport.LastUse?) {
            self.id = id; self.user = user; self.status = status; self.created = created; self.lastUsed = lastUsed
        }

        enum CodingKeys: String, CodingKey {
            case id, user, status, created
            case lastUsed = "last_used"
        }
    }

    package struct MFADevice: Sendable, Codable, Equatable {
        package var user: String
        package var serial: String
        package var enabled: String?
        package init(user: String, serial: String, enabled: String?) { self.user = user; self.serial = serial; self.enabled = enabled }
    }

    package struct LoginProfile: Sendable, Codable, Equatable {
        package var user: String
        package var created: String?
        package init(user: String, created: String?) { self.user = user; self.created = created }
    }

    package static let version = 1

    /// The account id (from the users' ARNs, or STS GetCallerIdentity).
    package var account: String?
    /// ISO 8601 UTC time it was taken.
    package var taken: String
    /// The IAM endpoint it was read from.
    package var endpoint: String?
    /// `GetAccountAuthorizationDetails`' pages, as the API (or `aws iam
    /// get-account-authorization-details`) gave them.
    package var authorizationPages: [Data]
    package var accessKeys: [AccessKey]
    package var mfaDevices: [MFADevice]
    package var loginProfiles: [LoginProfile]
    /// What could not be read, each with its reason (a denied call): the analysis says so.
    package var unknown: [String]

    package init(account: String?, taken: String, endpoint: String?, authorizationPages: [Data],
                 accessKeys: [AccessKey], mfaDevices: [MFADevice], loginProfiles: [LoginProfile], unknown: [String]) {
        self.account = account; self.taken = taken; self.endpoint = endpoint
        self.authorizationPages = authorizationPages; self.accessKeys = accessKeys
        self.mfaDevices = mfaDevices; self.loginProfiles = loginProfiles; self.unknown = unknown
    }
}

extension AWSAccountSnapshot {
    /// The users its authorization details list.
    package var userCount: Int { (try? AuthorizationDetails(pages: authorizationPages))?.users.count ?? 0 }
}

/// An answer from AWS, or why there is none ("iam:GetAccessKeyLastUsed was denied: AccessDenied").
package enum AWSAnswer<Value: Sendable>: Sendable {
    case answered(Value)
    case unknown(String)

    package var value: Value? { if case .answered(let value) = self { return value } else { return nil } }
    package var reason: String? { if case .unknown(let reason) = self { return reason } else { return nil } }
}

/// The owner of a key id, as `iam:GetAccessKeyLastUsed` tells it.
package struct AWSKeyOwner: Sendable, Equatable {
    package var userName: String
    package var lastUsed: BlastRadiusReport.LastUse?
    package init(userName: String, lastUsed: BlastRadiusReport.LastUse?) { self.userName = userName; self.lastUsed = lastUsed }
}

/// One CloudTrail event of a key (`cloudtrail:LookupEvents`).
package struct AWSEvent: Sendable, Equatable {
    package var time: String
    package var name: String
    package var source: String
    package var region: String
    package init(time: String, name: String, source: String, region: String) {
        self.time = time; self.name = name; self.source = source; self.region = region
    }
}

/// `iam:SimulatePrincipalPolicy`'s decision for one action: `allowed`, `explicitDeny`, `implicitDeny`.
package typealias AWSSimulation = [String: String]

/// The owner's view of an account, read-only, with the audit credentials of the standard AWS
/// chain: `KeySweepVerify`'s `AWSAccountClient` over HTTP. Each call answers or says why not.
package protocol AWSAccountReader: Sendable {
    /// The IAM endpoint, as reports name it.
    var endpoint: String { get }
    /// `iam:GetAccessKeyLastUsed`: the user that owns a key id, in any account the audit
    /// credentials can see (an id of another account is `unknown`).
    func keyOwner(_ keyID: String) -> AWSAnswer<AWSKeyOwner>
    /// The whole snapshot (`GetAccountAuthorizationDetails` pages, `ListUsers`, `ListAccessKeys`
    /// and `GetAccessKeyLastUsed` per key, `ListMFADevices`, `GetLoginProfile`); unknown only when
    /// the authorization details cannot be read, else the parts it could not read are in
    /// `unknown`.
    func snapshot() -> AWSAnswer<AWSAccountSnapshot>
    /// `iam:SimulatePrincipalPolicy` of a user's ARN for `actions` on `*`; with `mfa`, the
    /// context `aws:MultiFactorAuthPresent=true`; without, no MFA key at all (as a request made
    /// with the key alone).
    func simulate(principal: String, actions: [String], mfa: Bool) -> AWSAnswer<AWSSimulation>
    /// `cloudtrail:LookupEvents` with `AccessKeyId` = the key id, from `since`, in `region`; the
    /// most recent first, at most `limit`.
    func events(keyID: String, since: String, region: String, limit: Int) -> AWSAnswer<[AWSEvent]>
}

/// The only writes keysweep makes to an account, for `keysweep contain`.
package protocol AWSAccountWriter: Sendable {
    /// `iam:UpdateAccessKey` to `Inactive`.
    func deactivate(keyID: String, user: String) -> AWSAnswer<Void>
    /// `iam:PutUserPolicy`: an inline policy on the user.
    func putUserPolicy(user: String, name: String, document: String) -> AWSAnswer<Void>
}
