import Foundation
import KeySweep

/// The owner's read-only view of an AWS account over HTTP (IAM's Query API, CloudTrail's JSON
/// API), signed with the audit credentials, plus the two writes `keysweep contain` makes. Every
/// call answers or says why not, naming the API call and AWS's error code.
package final class AWSAccountClient: AWSAccountReader, AWSAccountWriter {
    static let iamVersion = "2010-05-08"
    /// Pagination stops here even if AWS keeps saying `IsTruncated` (or on a repeated marker).
    static let maxPages = 10_000
    static let lookupEventsTarget = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"

    package let endpoints: AWSEndpoints
    let transport: AWSTransport

    package var endpoint: String { endpoints.iam.absoluteString }

    /// The client for `--blast-radius`, `aws-snapshot` and `contain`: credentials and endpoints
    /// from the environment (see `AWSAuditCredentials`, `AWSEndpoints`), `timeout` seconds per call.
    package convenience init(environment: [String: String] = ProcessInfo.processInfo.environment,
                             timeout: Double = 10) throws(AWSClientError) {
        self.init(credentials: try AWSAuditCredentials(environment: environment),
                  endpoints: try AWSEndpoints(environment: environment), timeout: timeout)
    }

    package init(credentials: AWSAuditCredentials, endpoints: AWSEndpoints, timeout: Double = 10,
                 retries: Int = 3, backoff: Double = 0.5) {
        self.endpoints = endpoints
        transport = AWSTransport(credentials: credentials, timeout: timeout, retries: retries, backoff: backoff)
    }

    // MARK: reader

    package func keyOwner(_ keyID: String) -> AWSAnswer<AWSKeyOwner> {
        switch iam("GetAccessKeyLastUsed", [("AccessKeyId", keyID)]) {
        case .failure(let failure): return .unknown(Self.reason("iam:GetAccessKeyLastUsed", failure))
        case .success(let result):
            guard let user = result.value("UserName"), !user.isEmpty else {
                return .unknown("iam:GetAccessKeyLastUsed answered without a UserName")
            }
            return .answered(AWSKeyOwner(userName: user, lastUsed: Self.lastUse(result)))
        }
    }

    package func snapshot() -> AWSAnswer<AWSAccountSnapshot> {
        let taken = VerificationClock.iso8601(Date())
        let details: [AWSXML]
        switch iamPages("GetAccountAuthorizationDetails", []) {
        case .failure(let failure): return .unknown(Self.reason("iam:GetAccountAuthorizationDetails", failure, "the account's policies unknown"))
        case .success(let pages): details = pages
        }
        var pages: [Data] = []
        for page in details {
            guard let data = try? JSONSerialization.data(withJSONObject: Self.authorizationPage(page), options: [.sortedKeys]) else {
                return .unknown("iam:GetAccountAuthorizationDetails answered something keysweep cannot convert")
            }
            pages.append(data)
        }
        var unknown = Unknowns()
        var users: [(name: String, arn: String?)]
        switch iamPages("ListUsers", []) {
        case .success(let list):
            users = list.flatMap { $0.members("Users") }.compactMap { user in user.value("UserName").map { ($0, user.value("Arn")) } }
        case .failure(let failure):
            unknown.add(Self.reason("iam:ListUsers", failure, "users read from the authorization details instead"))
            users = details.flatMap { $0.members("UserDetailList") }.compactMap { user in user.value("UserName").map { ($0, user.value("Arn")) } }
        }
        var keys: [AWSAccountSnapshot.AccessKey] = [], devices: [AWSAccountSnapshot.MFADevice] = []
        var profiles: [AWSAccountSnapshot.LoginProfile] = []
        for (user, _) in users {
            keys += accessKeys(of: user, unknown: &unknown)
            devices += mfaDevices(of: user, unknown: &unknown)
            profiles += loginProfile(of: user, unknown: &unknown)
        }
        let account = users.lazy.compactMap { $0.arn.flatMap(Self.account(ofARN:)) }.first ?? callerAccount(unknown: &unknown)
        return .answered(AWSAccountSnapshot(account: account, taken: taken, endpoint: endpoint, authorizationPages: pages,
                                            accessKeys: keys, mfaDevices: devices, loginProfiles: profiles, unknown: unknown.lines))
    }

    /// `ListAccessKeys`, and `GetAccessKeyLastUsed` for each key.
    private func accessKeys(of user: String, unknown: inout Unknowns) -> [AWSAccountSnapshot.AccessKey] {
        let list: [AWSXML]
        switch iamPages("ListAccessKeys", [("UserName", user)]) {
        case .failure(let failure): unknown.add(Self.reason("iam:ListAccessKeys", failure, "access keys unknown"), user: user); return []
        case .success(let pages): list = pages.flatMap { $0.members("AccessKeyMetadata") }
        }
        return list.compactMap { key in
            guard let id = key.value("AccessKeyId") else { return nil }
            var lastUsed: BlastRadiusReport.LastUse?
            switch iam("GetAccessKeyLastUsed", [("AccessKeyId", id)]) {
            case .success(let result): lastUsed = Self.lastUse(result)
            case .failure(let failure): unknown.add(Self.reason("iam:GetAccessKeyLastUsed", failure, "keys' last use unknown"), user: user)
            }
            return .init(id: id, user: user, status: key.value("Status") ?? "?",
                         created: key.value("CreateDate").map(AWSTime.normalize), lastUsed: lastUsed)
        }
    }

    private func mfaDevices(of user: String, unknown: inout Unknowns) -> [AWSAccountSnapshot.MFADevice] {
        switch iamPages("ListMFADevices", [("UserName", user)]) {
        case .failure(let failure):
            unknown.add(Self.reason("iam:ListMFADevices", failure, "MFA devices unknown"), user: user)
            return []
        case .success(let pages):
            return pages.flatMap { $0.members("MFADevices") }.compactMap { device in
                device.value("SerialNumber").map { .init(user: user, serial: $0, enabled: device.value("EnableDate").map(AWSTime.normalize)) }
            }
        }
    }

    /// The console password, if any (`NoSuchEntity` is none).
    private func loginProfile(of user: String, unknown: inout Unknowns) -> [AWSAccountSnapshot.LoginProfile] {
        switch iam("GetLoginProfile", [("UserName", user)]) {
        case .success(let result): return [.init(user: user, created: result.value("CreateDate").map(AWSTime.normalize))]
        case .failure(let failure) where failure.code == "NoSuchEntity": return []
        case .failure(let failure):
            unknown.add(Self.reason("iam:GetLoginProfile", failure, "console passwords unknown"), user: user)
            return []
        }
    }

    /// The account of the audit credentials, when no user's ARN names it.
    private func callerAccount(unknown: inout Unknowns) -> String? {
        switch transport.post(endpoints.sts, body: SigV4.getCallerIdentityBody, region: "us-east-1", service: "sts") {
        case .success(let data): return (try? AWSXML.parse(data))?.value("Account")
        case .failure(let failure):
            unknown.add(Self.reason("sts:GetCallerIdentity", failure, "account id unknown"))
            return nil
        }
    }

    package func simulate(principal: String, actions: [String], mfa: Bool) -> AWSAnswer<AWSSimulation> {
        guard !actions.isEmpty else { return .answered([:]) }
        var fields = [("PolicySourceArn", principal)]
        for (index, action) in actions.enumerated() { fields.append(("ActionNames.member.\(index + 1)", action)) }
        fields.append(("ResourceArns.member.1", "*"))
        if mfa {
            fields += [("ContextEntries.member.1.ContextKeyName", "aws:MultiFactorAuthPresent"),
                       ("ContextEntries.member.1.ContextKeyValues.member.1", "true"),
                       ("ContextEntries.member.1.ContextKeyType", "boolean")]
        }
        switch iamPages("SimulatePrincipalPolicy", fields) {
        case .failure(let failure): return .unknown(Self.reason("iam:SimulatePrincipalPolicy", failure))
        case .success(let pages):
            var decisions: AWSSimulation = [:]
            for result in pages.flatMap({ $0.members("EvaluationResults") }) {
                if let action = result.value("EvalActionName"), let decision = result.value("EvalDecision") { decisions[action] = decision }
            }
            return .answered(decisions)
        }
    }

    package func events(keyID: String, since: String, region: String, limit: Int) -> AWSAnswer<[AWSEvent]> {
        guard AWSAuditCredentials.isRegionName(region) else { return .unknown("cloudtrail:LookupEvents: '\(region)' is not a region name") }
        guard let start = AWSTime.date(since) else { return .unknown("cloudtrail:LookupEvents: '\(since)' is not an ISO 8601 time") }
        let url = endpoints.cloudTrail(region: region)
        var events: [AWSEvent] = [], token: String?, seen = Set<String>(), pages = 0
        while events.count < limit && pages < Self.maxPages {
            var request: [String: Any] = [
                "LookupAttributes": [["AttributeKey": "AccessKeyId", "AttributeValue": keyID]],
                "StartTime": Int(start.timeIntervalSince1970), "MaxResults": min(50, limit - events.count),
            ]
            if let token { request["NextToken"] = token }
            let body = (try? JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])) ?? Data()
            let answer: Data
            switch transport.post(url, body: String(decoding: body, as: UTF8.self), contentType: "application/x-amz-json-1.1",
                                  target: Self.lookupEventsTarget, region: region, service: "cloudtrail") {
            case .failure(let failure): return .unknown(Self.reason("cloudtrail:LookupEvents", failure))
            case .success(let data): answer = data
            }
            guard let object = (try? JSONSerialization.jsonObject(with: answer)) as? [String: Any] else {
                return .unknown("cloudtrail:LookupEvents answered something other than a JSON object")
            }
            for event in object["Events"] as? [[String: Any]] ?? [] {
                let time: String
                switch event["EventTime"] {
                case let seconds as NSNumber: time = VerificationClock.iso8601(Date(timeIntervalSince1970: seconds.doubleValue.rounded(.down)))
                case let text as String: time = AWSTime.normalize(text)
                default: continue
                }
                events.append(AWSEvent(time: time, name: event["EventName"] as? String ?? "?",
                                       source: event["EventSource"] as? String ?? "?", region: region))
            }
            pages += 1
            guard let next = object["NextToken"] as? String, !next.isEmpty, seen.insert(next).inserted else { break }
            token = next
        }
        return .answered(Array(events.prefix(max(0, limit))))
    }

    // MARK: writer

    package func deactivate(keyID: String, user: String) -> AWSAnswer<Void> {
        write("UpdateAccessKey", [("UserName", user), ("AccessKeyId", keyID), ("Status", "Inactive")])
    }

    package func putUserPolicy(user: String, name: String, document: String) -> AWSAnswer<Void> {
        write("PutUserPolicy", [("UserName", user), ("PolicyName", name), ("PolicyDocument", document)])
    }

    private func write(_ action: String, _ fields: [(String, String)]) -> AWSAnswer<Void> {
        switch iam(action, fields) {
        case .success: return .answered(())
        case .failure(let failure): return .unknown(Self.reason("iam:\(action)", failure))
        }
    }

    // MARK: IAM calls

    /// One IAM call; its `<ActionResult>` element (the whole answer if there is none).
    func iam(_ action: String, _ fields: [(String, String)]) -> Result<AWSXML, AWSTransport.Failure> {
        let body = AWSTransport.form([("Action", action), ("Version", Self.iamVersion)] + fields)
        switch transport.post(endpoints.iam, body: body, region: "us-east-1", service: "iam") {
        case .failure(let failure): return .failure(failure)
        case .success(let data):
            do {
                let answer = try AWSXML.parse(data)
                return .success(answer.first("\(action)Result") ?? answer)
            } catch {
                return .failure(.init(code: nil, detail: "unreadable answer (\(error.reason))"))
            }
        }
    }

    /// Every page of a paginated IAM call (`IsTruncated`, `Marker`).
    func iamPages(_ action: String, _ fields: [(String, String)]) -> Result<[AWSXML], AWSTransport.Failure> {
        var pages: [AWSXML] = [], marker: String?, seen = Set<String>()
        while pages.count < Self.maxPages {
            switch iam(action, fields + (marker.map { [("Marker", $0)] } ?? [])) {
            case .failure(let failure): return .failure(failure)
            case .success(let page):
                pages.append(page)
                let more = page.children.first { $0.name == "IsTruncated" }?.text.trimmingCharacters(in: .whitespaces) == "true"
                guard more else { return .success(pages) }
                // A view cut short is not an answer: what the missing pages hold could change it.
                guard let next = page.children.first(where: { $0.name == "Marker" })?.text, !next.isEmpty else {
                    return .failure(.init(code: nil, detail: "answer truncated without a Marker after \(pages.count) pages"))
                }
                guard seen.insert(next).inserted else {
                    return .failure(.init(code: nil, detail: "the Marker repeated after \(pages.count) pages"))
                }
                marker = next
            }
        }
        return .failure(.init(code: nil, detail: "more than \(Self.maxPages) pages"))
    }

    // MARK: reading answers

    /// One `GetAccountAuthorizationDetails` page in the JSON shape the SDKs print. A managed
    /// policy without `PolicyName` (moto leaves it out) gets the last part of its ARN, which is
    /// what IAM names it.
    static func authorizationPage(_ result: AWSXML) -> [String: Any] {
        var page = result.jsonObject()
        if let policies = page["Policies"] as? [[String: Any]] {
            page["Policies"] = policies.map { policy in
                guard policy["PolicyName"] == nil, let arn = policy["Arn"] as? String,
                      let name = arn.split(separator: "/").last else { return policy }
                return policy.merging(["PolicyName": String(name)]) { old, _ in old }
            }
        }
        return page
    }

    /// `AccessKeyLastUsed`; IAM says `N/A` for a key never used.
    static func lastUse(_ result: AWSXML) -> BlastRadiusReport.LastUse? {
        guard let used = result.first("AccessKeyLastUsed") else { return nil }
        func known(_ name: String) -> String? { used.value(name).flatMap { $0.isEmpty || $0 == "N/A" ? nil : $0 } }
        let date = known("LastUsedDate").map(AWSTime.normalize), service = known("ServiceName"), region = known("Region")
        // Answered with nothing known ("N/A"): never used, which is an answer, not an unknown.
        return .init(date: date, service: service, region: region)
    }

    /// `arn:aws:iam::123456789012:user/x` → `123456789012`.
    static func account(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn", parts[4].count == 12, parts[4].allSatisfy(\.isNumber) else { return nil }
        return String(parts[4])
    }

    /// "iam:ListMFADevices was denied (AccessDenied): MFA devices unknown".
    static func reason(_ call: String, _ failure: AWSTransport.Failure, _ consequence: String? = nil) -> String {
        let head: String
        if let code = failure.code { head = failure.denied ? "\(call) was denied (\(code))" : "\(call) failed (\(code))" }
        else { head = "\(call) failed: \(failure.detail)" }
        return consequence.map { "\(head): \($0)" } ?? head
    }

    /// The snapshot's `unknown` lines, one per reason, naming the users it happened for.
    struct Unknowns {
        private var order: [String] = []
        private var users: [String: [String]] = [:]

        mutating func add(_ reason: String, user: String? = nil) {
            if users[reason] == nil { order.append(reason); users[reason] = [] }
            if let user, users[reason]?.last != user { users[reason]?.append(user) }
        }

        var lines: [String] {
            order.map { reason in
                let names = users[reason] ?? []
                if names.isEmpty { return reason }
                return "\(reason) (users: \(names.prefix(5).joined(separator: ", "))\(names.count > 5 ? ", and \(names.count - 5) more" : ""))"
            }
        }
    }
}
