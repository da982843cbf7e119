import Foundation

/// What `iam:GetAccountAuthorizationDetails` returns that blast radius needs, read from the JSON
/// the AWS CLI and boto3 print for `aws iam get-account-authorization-details` (pages merged):
/// `UserDetailList`, `GroupDetailList`, `Policies` with their `PolicyVersionList`. Documents are
/// JSON objects there (the SDKs decode them) or URL-encoded strings (the API's own form); both
/// are read. Roles are not read yet: a leaked access key belongs to a user.
struct AuthorizationDetails: Sendable {
    struct InlinePolicy: Sendable {
        let name: String
        let document: IAMPolicy
    }

    struct User: Sendable {
        let name: String
        let arn: String
        let userId: String?
        let createDate: String?
        let groups: [String]
        let inline: [InlinePolicy]
        let attachedARNs: [String]
        let boundaryARN: String?
    }

    struct Group: Sendable {
        let name: String
        let inline: [InlinePolicy]
        let attachedARNs: [String]
    }

    struct ManagedPolicy: Sendable {
        let name: String
        let arn: String
        /// The document of the default version, the one IAM enforces.
        let document: IAMPolicy
    }

    let users: [User]
    let groups: [String: Group]
    let policies: [String: ManagedPolicy]

    /// A whole account's details run to megabytes; a snapshot file larger than this is refused.
    static let limits = IAMJSON.Limits(bytes: 256 * 1024 * 1024, depth: 64)

    init(users: [User], groups: [Group], policies: [ManagedPolicy]) {
        self.users = users
        self.groups = Dictionary(groups.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.policies = Dictionary(policies.map { ($0.arn, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pages of the API's answer (`IsTruncated`, `Marker`), or any split of the CLI's, as one.
    init(pages: [Data]) throws(IAMDocumentError) {
        var users: [User] = [], groups: [Group] = [], policies: [ManagedPolicy] = []
        for page in pages {
            let details = try AuthorizationDetails(json: page)
            users += details.users
            groups += details.groups.values.sorted { $0.name < $1.name }
            policies += details.policies.values.sorted { $0.arn < $1.arn }
        }
        self.init(users: users, groups: groups, policies: policies)
    }

    init(json data: Data) throws(IAMDocumentError) {
        let root = try IAMJSON.parse(data, limits: Self.limits, what: "the authorization details")
        guard let fields = root.object else { throw IAMDocumentError("the authorization details are not a JSON object") }
        var users: [User] = [], groups: [Group] = [], policies: [ManagedPolicy] = []
        for (i, entry) in try Self.list(fields, "UserDetailList").enumerated() {
            users.append(try Self.user(entry, "UserDetailList[\(i)]"))
        }
        for (i, entry) in try Self.list(fields, "GroupDetailList").enumerated() {
            let place = "GroupDetailList[\(i)]"
            let group = try Self.object(entry, place)
            let name = try Self.text(group, "GroupName", place)
            groups.append(Group(name: name, inline: try Self.inline(group, "GroupPolicyList", "group \(name)"),
                                attachedARNs: try Self.attached(group, "group \(name)")))
        }
        for (i, entry) in try Self.list(fields, "Policies").enumerated() {
            policies.append(try Self.managed(entry, "Policies[\(i)]"))
        }
        self.init(users: users, groups: groups, policies: policies)
    }

    func user(named name: String) -> User? { users.first { $0.name == name } }

    // MARK: reading

    private static func user(_ entry: IAMJSON, _ place: String) throws(IAMDocumentError) -> User {
        let user = try object(entry, place)
        let name = try text(user, "UserName", place)
        let here = "user \(name)"
        var groups: [String] = []
        for value in try list(user, "GroupList", in: here) {
            guard let group = value.string else { throw IAMDocumentError("\(here): GroupList holds something other than names") }
            groups.append(group)
        }
        var boundary: String?
        if let value = user["PermissionsBoundary"], value != .null {
            boundary = try text(try object(value, "\(here): PermissionsBoundary"), "PermissionsBoundaryArn", "\(here): PermissionsBoundary")
        }
        return User(name: name, arn: try text(user, "Arn", here), userId: user["UserId"]?.string,
                    createDate: user["CreateDate"]?.string, groups: groups,
                    inline: try inline(user, "UserPolicyList", here), attachedARNs: try attached(user, here),
                    boundaryARN: boundary)
    }

    private static func managed(_ entry: IAMJSON, _ place: String) throws(IAMDocumentError) -> ManagedPolicy {
        let policy = try object(entry, place)
        let arn = try text(policy, "Arn", place)
        var defaults: [IAMJSON] = []
        for version in try list(policy, "PolicyVersionList", in: arn) {
            let fields = try object(version, "\(arn): a policy version")
            if fields["IsDefaultVersion"] == .bool(true) { defaults.append(fields["Document"] ?? .null) }
        }
        guard defaults.count == 1 else {
            throw IAMDocumentError("\(arn) has \(defaults.count) default versions in PolicyVersionList, not one")
        }
        do {
            return ManagedPolicy(name: try text(policy, "PolicyName", arn), arn: arn, document: try IAMPolicy(anyForm: defaults[0]))
        } catch {
            throw IAMDocumentError("\(arn): \(error)")
        }
    }

    private static func inline(_ fields: [String: IAMJSON], _ key: String, _ place: String) throws(IAMDocumentError) -> [InlinePolicy] {
        var result: [InlinePolicy] = []
        for entry in try list(fields, key, in: place) {
            let policy = try object(entry, "\(place): \(key)")
            let name = try text(policy, "PolicyName", "\(place): \(key)")
            do {
                result.append(InlinePolicy(name: name, document: try IAMPolicy(anyForm: policy["PolicyDocument"] ?? .null)))
            } catch {
                throw IAMDocumentError("\(place): inline policy \(name): \(error)")
            }
        }
        return result
    }

    private static func attached(_ fields: [String: IAMJSON], _ place: String) throws(IAMDocumentError) -> [String] {
        var arns: [String] = []
        for entry in try list(fields, "AttachedManagedPolicies", in: place) {
            arns.append(try text(try object(entry, "\(place): AttachedManagedPolicies"), "PolicyArn", "\(place): AttachedManagedPolicies"))
        }
        return arns
    }

    /// A list that may be absent (the CLI leaves out empty ones) but is a list when present.
    private static func list(_ fields: [String: IAMJSON], _ key: String, in place: String = "the authorization details") throws(IAMDocumentError) -> [IAMJSON] {
        guard let value = fields[key] else { return [] }
        guard let list = value.array else { throw IAMDocumentError("\(place): \(key) is not an array") }
        return list
    }

    private static func object(_ value: IAMJSON, _ place: String) throws(IAMDocumentError) -> [String: IAMJSON] {
        guard let fields = value.object else { throw IAMDocumentError("\(place) is not a JSON object") }
        return fields
    }

    private static func text(_ fields: [String: IAMJSON], _ key: String, _ place: String) throws(IAMDocumentError) -> String {
        guard let text = fields[key]?.string else { throw IAMDocumentError("\(place) has no \(key) string") }
        return text
    }
}
