import Foundation
import Testing
@testable import KeySweep
@testable import KeySweepVerify
#if canImport(Glibc)
import Glibc
#endif

/// The owner-side AWS client: the account snapshot, key owners and the two writes against a real
/// moto server with authentication on (moto enforces the audit user's IAM policies, so denied
/// calls are real denials); `SimulatePrincipalPolicy` and CloudTrail `LookupEvents`, which moto
/// does not implement, against a loopback stub answering AWS's documented shapes; and the audit
/// credential chain from the environment and profile files.
@Suite struct AWSAccountClientTests {
    struct Setup: Decodable {
        struct Key: Decodable { var id: String; var secret: String }
        var alice: Key, bob: Key, auditor: Key, ops: Key, narrow: Key
    }

    /// Group `admins` (AdministratorAccess) with alice in it (also ReadOnlyAccess, an MFA device
    /// and a console password); bob with one inline `s3:PutObject` policy; the audit users
    /// auditor (SecurityAudit), ops (IAMFullAccess) and narrow (only
    /// GetAccountAuthorizationDetails and ListUsers). Authentication is on afterwards.
    static func account() throws -> (MotoServer, Setup) {
        let moto = try MotoServer(environment: ["MOTO_IAM_LOAD_MANAGED_POLICIES": "true"])
        let output = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        def key(user):
            k = iam.create_access_key(UserName=user)["AccessKey"]
            return {"id": k["AccessKeyId"], "secret": k["SecretAccessKey"]}
        iam.create_group(GroupName="admins")
        iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        iam.create_user(UserName="alice")
        iam.add_user_to_group(GroupName="admins", UserName="alice")
        iam.attach_user_policy(UserName="alice", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        iam.create_user(UserName="bob")
        iam.put_user_policy(UserName="bob", PolicyName="drop-box", PolicyDocument=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::drop-box/*"}]}))
        mfa = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")["VirtualMFADevice"]
        iam.enable_mfa_device(UserName="alice", SerialNumber=mfa["SerialNumber"], AuthenticationCode1="123456", AuthenticationCode2="654321")
        iam.create_login_profile(UserName="alice", Password="Correct-Horse-9")
        out = {"alice": key("alice"), "bob": key("bob")}
        for user, policy in [("auditor", "SecurityAudit"), ("ops", "IAMFullAccess")]:
            iam.create_user(UserName=user)
            iam.attach_user_policy(UserName=user, PolicyArn="arn:aws:iam::aws:policy/" + policy)
            out[user] = key(user)
        iam.create_user(UserName="narrow")
        iam.put_user_policy(UserName="narrow", PolicyName="details-only", PolicyDocument=json.dumps({"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": ["iam:GetAccountAuthorizationDetails", "iam:ListUsers"], "Resource": "*"}]}))
        out["narrow"] = key("narrow")
        print(json.dumps(out))
        """)
        let setup = try JSONDecoder().decode(Setup.self, from: Data(output.utf8))
        try moto.enableAuthentication()
        return (moto, setup)
    }

    static func client(_ moto: MotoServer, _ key: Setup.Key) throws -> AWSAccountClient {
        try AWSAccountClient(environment: ["AWS_ACCESS_KEY_ID": key.id, "AWS_SECRET_ACCESS_KEY": key.secret,
                                           "AWS_ENDPOINT_URL": moto.url], timeout: 30)
    }

    @Test func motoSnapshotKeyOwnersAndWrites() throws {
        let (moto, keys) = try Self.account()
        defer { moto.stop() }
        let auditor = try Self.client(moto, keys.auditor)
        #expect(auditor.endpoint == moto.url)

        let snapshot = try #require(auditor.snapshot().value)
        #expect(snapshot.unknown.isEmpty, "\(snapshot.unknown)")
        #expect(snapshot.account == "123456789012")
        #expect(snapshot.endpoint == moto.url)
        let alice = try #require(snapshot.accessKeys.first { $0.id == keys.alice.id })
        #expect(alice.user == "alice")
        #expect(alice.status == "Active")
        let created = try #require(alice.created)
        #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(created)")
        #expect(alice.lastUsed == .init(date: nil, service: nil, region: nil))   // moto's "N/A": never used, an answer
        #expect(snapshot.accessKeys.contains { $0.id == keys.bob.id && $0.user == "bob" && $0.status == "Active" })
        #expect(snapshot.mfaDevices == [.init(user: "alice", serial: "arn:aws:iam::123456789012:mfa/alice-phone", enabled: snapshot.mfaDevices.first?.enabled)])
        #expect(snapshot.mfaDevices.first?.enabled != nil)
        #expect(snapshot.loginProfiles.map(\.user) == ["alice"])

        // The pages read as authorization details, as an `--iam-snapshot` file would.
        let details = try AuthorizationDetails(pages: snapshot.authorizationPages)
        let aliceDetails = try #require(details.user(named: "alice"))
        #expect(aliceDetails.groups == ["admins"])
        #expect(aliceDetails.attachedARNs == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        let bobDetails = try #require(details.user(named: "bob"))
        #expect(bobDetails.inline.map(\.name) == ["drop-box"])
        #expect(bobDetails.inline.first?.document.statements.first?.actions == .listed(["s3:PutObject"]))
        #expect(details.groups["admins"]?.attachedARNs == ["arn:aws:iam::aws:policy/AdministratorAccess"])
        let admin = try #require(details.policies["arn:aws:iam::aws:policy/AdministratorAccess"])
        #expect(admin.document.statements.map(\.actions) == [.listed(["*"])])

        // Key owners.
        #expect(auditor.keyOwner(keys.alice.id).value?.userName == "alice")
        #expect(auditor.keyOwner(keys.bob.id).value?.userName == "bob")
        let stranger = auditor.keyOwner("AKIAAAAAAAAAAAAAAAAA")
        #expect(stranger.reason?.hasPrefix("iam:GetAccessKeyLastUsed failed (NoSuchEntity)") == true, "\(stranger.reason ?? "")")

        // Writes: the auditor may not; ops may.
        #expect(auditor.deactivate(keyID: keys.bob.id, user: "bob").reason == "iam:UpdateAccessKey was denied (AccessDenied)")
        let operatorClient = try Self.client(moto, keys.ops)
        #expect(operatorClient.deactivate(keyID: keys.bob.id, user: "bob").value != nil)
        let document = #"{"Version":"2012-10-17","Statement":[{"Sid":"Quarantine","Effect":"Deny","Action":"*","Resource":"*"}]}"#
        #expect(operatorClient.putUserPolicy(user: "bob", name: "keysweep-quarantine", document: document).value != nil)
        let check = try moto.python("""
        import boto3, json
        iam = boto3.client("iam", aws_access_key_id="\(keys.ops.id)", aws_secret_access_key="\(keys.ops.secret)")
        status = {k["AccessKeyId"]: k["Status"] for k in iam.list_access_keys(UserName="bob")["AccessKeyMetadata"]}
        print(json.dumps({"status": status["\(keys.bob.id)"],
                          "policy": json.dumps(iam.get_user_policy(UserName="bob", PolicyName="keysweep-quarantine")["PolicyDocument"])}))
        """)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(check.utf8)) as? [String: String])
        #expect(answer["status"] == "Inactive")
        let policy = try IAMPolicy(json: try #require(answer["policy"]))
        #expect(policy.statements.map { $0.sid } == ["Quarantine"])
        #expect(policy.statements.first?.effect == .deny)
    }

    @Test func motoDeniedCallsAreUnknownNamingTheCallAndCode() throws {
        let (moto, keys) = try Self.account()
        defer { moto.stop() }
        let narrow = try Self.client(moto, keys.narrow)
        let snapshot = try #require(narrow.snapshot().value)
        // The details and users were allowed; everything per user was denied, one line per call.
        #expect(Set(snapshot.accessKeys.map(\.id)).isEmpty)
        #expect(try AuthorizationDetails(pages: snapshot.authorizationPages).user(named: "bob") != nil)
        for (call, what) in [("ListAccessKeys", "access keys unknown"), ("ListMFADevices", "MFA devices unknown"),
                             ("GetLoginProfile", "console passwords unknown")] {
            #expect(snapshot.unknown.contains { $0.hasPrefix("iam:\(call) was denied (AccessDenied): \(what)") }, "\(call): \(snapshot.unknown)")
        }
        #expect(snapshot.unknown.count == 3, "\(snapshot.unknown)")
        #expect(snapshot.account == "123456789012")   // from the users' ARNs
        #expect(narrow.keyOwner(keys.alice.id).reason == "iam:GetAccessKeyLastUsed was denied (AccessDenied)")

        // Without GetAccountAuthorizationDetails the whole snapshot is unknown.
        let bob = try Self.client(moto, keys.bob)
        #expect(bob.snapshot().reason == "iam:GetAccountAuthorizationDetails was denied (AccessDenied): the account's policies unknown")
    }

    // MARK: loopback stub

    static let stubKey = AWSAuditCredentials(keyID: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    static func stubClient(_ server: StubHTTPServer) -> AWSAccountClient {
        let url = URL(string: "http://127.0.0.1:\(server.port)")!
        return AWSAccountClient(credentials: stubKey, endpoints: AWSEndpoints(iam: url, sts: url, cloudTrail: url),
                                timeout: 10, retries: 2, backoff: 0.01)
    }

    static func simulation(_ results: [(String, String)], marker: String?) -> String {
        let members = results.map { action, decision in
            "<member><EvalResourceName>*</EvalResourceName><EvalActionName>\(action)</EvalActionName><EvalDecision>\(decision)</EvalDecision><MatchedStatements/><MissingContextValues/></member>"
        }.joined()
        return """
        <SimulatePrincipalPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
          <SimulatePrincipalPolicyResult>
            <IsTruncated>\(marker == nil ? "false" : "true")</IsTruncated>\(marker.map { "<Marker>\($0)</Marker>" } ?? "")
            <EvaluationResults>\(members)</EvaluationResults>
          </SimulatePrincipalPolicyResult>
          <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
        </SimulatePrincipalPolicyResponse>
        """
    }

    static func expectSigned(_ request: StubHTTPServer.Request, service: String, region: String) {
        #expect(request.headers["user-agent"] == "keysweep/\(KeySweepVersion.current)")
        let authorization = request.headers["authorization"] ?? ""
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"), "\(authorization)")
        #expect(authorization.contains("/\(region)/\(service)/aws4_request"), "\(authorization)")
        #expect(!authorization.contains(stubKey.secret))
    }

    @Test func simulateSendsTheMFAContextOnlyWhenAskedAndFollowsMarkers() throws {
        let server = try StubHTTPServer { request in
            guard request.body.contains("Action=SimulatePrincipalPolicy&Version=2010-05-08") else { return (400, "text/xml", "") }
            if request.body.contains("Marker=page2") {
                return (200, "text/xml", Self.simulation([("iam:CreateUser", "implicitDeny")], marker: nil))
            }
            return (200, "text/xml", Self.simulation([("s3:PutObject", "allowed"), ("s3:GetObject", "explicitDeny")], marker: "page2"))
        }
        defer { server.stop() }
        let client = Self.stubClient(server)
        let actions = ["s3:PutObject", "s3:GetObject", "iam:CreateUser"]
        let plain = client.simulate(principal: "arn:aws:iam::123456789012:user/bob", actions: actions, mfa: false)
        #expect(plain.value == ["s3:PutObject": "allowed", "s3:GetObject": "explicitDeny", "iam:CreateUser": "implicitDeny"])
        let first = try #require(server.requests.first)
        Self.expectSigned(first, service: "iam", region: "us-east-1")
        #expect(first.body.contains("PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Auser%2Fbob"))
        #expect(first.body.contains("ActionNames.member.3=iam%3ACreateUser"))
        #expect(first.body.contains("ResourceArns.member.1=%2A"))
        #expect(!server.requests.contains { $0.body.contains("ContextEntries") })
        #expect(server.requests.count == 2)

        let withMFA = client.simulate(principal: "arn:aws:iam::123456789012:user/bob", actions: actions, mfa: true)
        #expect(withMFA.value?.count == 3)
        let mfaRequest = server.requests[2]
        #expect(mfaRequest.body.contains("ContextEntries.member.1.ContextKeyName=aws%3AMultiFactorAuthPresent"))
        #expect(mfaRequest.body.contains("ContextEntries.member.1.ContextKeyValues.member.1=true"))
        #expect(mfaRequest.body.contains("ContextEntries.member.1.ContextKeyType=boolean"))
    }

    static func event(_ seconds: Int, _ name: String) -> String {
        #"{"EventId":"e\#(seconds)","EventName":"\#(name)","EventSource":"s3.amazonaws.com","EventTime":\#(seconds).0,"Username":"bob","ReadOnly":"false","Resources":[],"CloudTrailEvent":"{}"}"#
    }

    @Test func lookupEventsPagesUpToTheLimit() throws {
        let server = try StubHTTPServer { request in
            guard request.headers["x-amz-target"] == AWSAccountClient.lookupEventsTarget,
                  request.headers["content-type"] == "application/x-amz-json-1.1" else { return (400, "application/x-amz-json-1.1", "{}") }
            if request.body.contains(#""NextToken":"t2""#) {
                return (200, "application/x-amz-json-1.1", #"{"Events":[\#(Self.event(1_796_515_200, "GetObject"))]}"#)
            }
            return (200, "application/x-amz-json-1.1",
                    #"{"Events":[\#(Self.event(1_796_601_600, "PutObject")),\#(Self.event(1_796_600_800, "ListBuckets"))],"NextToken":"t2"}"#)
        }
        defer { server.stop() }
        let client = Self.stubClient(server)
        let events = try #require(client.events(keyID: "AKIAIOSFODNN7EXAMPLE", since: "2026-12-01T00:00:00Z", region: "eu-west-1", limit: 10).value)
        #expect(events == [
            AWSEvent(time: "2026-12-07T00:00:00Z", name: "PutObject", source: "s3.amazonaws.com", region: "eu-west-1"),
            AWSEvent(time: "2026-12-06T23:46:40Z", name: "ListBuckets", source: "s3.amazonaws.com", region: "eu-west-1"),
            AWSEvent(time: "2026-12-06T00:00:00Z", name: "GetObject", source: "s3.amazonaws.com", region: "eu-west-1"),
        ])
        #expect(server.requests.count == 2)
        let first = try #require(server.requests.first)
        Self.expectSigned(first, service: "cloudtrail", region: "eu-west-1")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as? [String: Any])
        #expect(body["StartTime"] as? Int == 1_796_083_200)
        #expect(body["MaxResults"] as? Int == 10)
        #expect(body["NextToken"] == nil)
        let attributes = body["LookupAttributes"] as? [[String: String]]
        #expect(attributes == [["AttributeKey": "AccessKeyId", "AttributeValue": "AKIAIOSFODNN7EXAMPLE"]])

        // The limit stops paging: two events are on the first page.
        #expect(client.events(keyID: "AKIAIOSFODNN7EXAMPLE", since: "2026-12-01T00:00:00Z", region: "eu-west-1", limit: 2).value?.count == 2)
        #expect(server.requests.count == 3)
    }

    @Test func deniedAndThrottledAnswers() throws {
        let server = try StubHTTPServer { request in
            if request.headers["x-amz-target"] != nil {
                return (400, "application/x-amz-json-1.1", #"{"__type":"AccessDeniedException","message":"User: bob is not authorized to perform: cloudtrail:LookupEvents"}"#)
            }
            if request.body.contains("Action=GetAccessKeyLastUsed") {
                return (400, "text/xml", "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>")
            }
            return (403, "text/xml", """
            <ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:SimulatePrincipalPolicy</Message></Error><RequestId>1</RequestId></ErrorResponse>
            """)
        }
        defer { server.stop() }
        let client = Self.stubClient(server)
        #expect(client.simulate(principal: "arn:aws:iam::123456789012:user/bob", actions: ["s3:GetObject"], mfa: false).reason
                == "iam:SimulatePrincipalPolicy was denied (AccessDenied)")
        #expect(client.events(keyID: "AKIAIOSFODNN7EXAMPLE", since: "2026-12-01T00:00:00Z", region: "us-east-1", limit: 5).reason
                == "cloudtrail:LookupEvents was denied (AccessDeniedException)")
        #expect(server.requests.count == 2)   // a denial is not retried
        // Throttling is retried (twice here), then reported with its code.
        #expect(client.keyOwner("AKIAIOSFODNN7EXAMPLE").reason == "iam:GetAccessKeyLastUsed failed (Throttling)")
        #expect(server.requests.count == 5)
    }

    @Test func snapshotFollowsMarkersAndAsksSTSForTheAccount() throws {
        let document = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let firstPage = """
            <UserDetailList/><GroupDetailList><member><GroupName>g</GroupName><Arn>arn:aws:iam::210987654321:group/g</Arn>\
            <GroupPolicyList/><AttachedManagedPolicies><member><PolicyName>S3</PolicyName><PolicyArn>arn:aws:iam::210987654321:policy/S3</PolicyArn></member></AttachedManagedPolicies></member></GroupDetailList>\
            <Policies><member><PolicyName>S3</PolicyName><Arn>arn:aws:iam::210987654321:policy/S3</Arn><IsAttachable>true</IsAttachable><PolicyVersionList>\
            <member><Document>\(document)</Document><VersionId>v1</VersionId><IsDefaultVersion>true</IsDefaultVersion></member></PolicyVersionList></member></Policies>
            """
        let server = try StubHTTPServer { request in
            let body = request.body
            func iam(_ action: String, _ result: String) -> (Int, String, String) {
                (200, "text/xml", "<\(action)Response><\(action)Result>\(result)</\(action)Result></\(action)Response>")
            }
            if body.contains("Action=GetAccountAuthorizationDetails") {
                if body.contains("Marker=m1") {
                    return iam("GetAccountAuthorizationDetails", "<UserDetailList/><GroupDetailList/><Policies/><IsTruncated>false</IsTruncated>")
                }
                return iam("GetAccountAuthorizationDetails", firstPage + "<IsTruncated>true</IsTruncated><Marker>m1</Marker>")
            }
            if body.contains("Action=ListUsers") { return iam("ListUsers", "<Users/><IsTruncated>false</IsTruncated>") }
            if body.contains("Action=GetCallerIdentity") {
                return iam("GetCallerIdentity", "<Arn>arn:aws:iam::210987654321:user/audit</Arn><UserId>AIDA</UserId><Account>210987654321</Account>")
            }
            return (400, "text/xml", "<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>")
        }
        defer { server.stop() }
        let snapshot = try #require(Self.stubClient(server).snapshot().value)
        #expect(snapshot.unknown.isEmpty, "\(snapshot.unknown)")
        #expect(snapshot.account == "210987654321")
        #expect(snapshot.authorizationPages.count == 2)
        let details = try AuthorizationDetails(pages: snapshot.authorizationPages)
        #expect(details.groups["g"]?.attachedARNs == ["arn:aws:iam::210987654321:policy/S3"])
        #expect(details.policies["arn:aws:iam::210987654321:policy/S3"]?.document.statements.first?.actions == .listed(["s3:*"]))
        let calls = server.requests.map { $0.body.split(separator: "&").first.map(String.init) ?? "" }
        #expect(calls == ["Action=GetAccountAuthorizationDetails", "Action=GetAccountAuthorizationDetails", "Action=ListUsers", "Action=GetCallerIdentity"])
        Self.expectSigned(server.requests[3], service: "sts", region: "us-east-1")
    }

    /// A listing whose next page names a marker already followed (or none) is cut short: the
    /// policies on the pages never read could change every answer, so it is unknown, not partial.
    @Test func aRepeatedOrMissingMarkerMakesTheSnapshotUnknown() throws {
        for tail in ["<IsTruncated>true</IsTruncated><Marker>m1</Marker>", "<IsTruncated>true</IsTruncated>"] {
            let server = try StubHTTPServer { request in
                (200, "text/xml", "<GetAccountAuthorizationDetailsResponse><GetAccountAuthorizationDetailsResult><UserDetailList/><GroupDetailList/><Policies/>\(tail)</GetAccountAuthorizationDetailsResult></GetAccountAuthorizationDetailsResponse>")
            }
            defer { server.stop() }
            let reason = Self.stubClient(server).snapshot().reason ?? ""
            #expect(reason.hasPrefix("iam:GetAccountAuthorizationDetails failed"), "\(reason)")
            #expect(reason.contains("Marker"), "\(reason)")
            #expect(server.requests.count <= 2)
        }
    }

    @Test func oversizedAnswersAndAbsentServers() throws {
        let huge = String(repeating: "x", count: AWSTransport.maxAnswerBytes + 1)
        let server = try StubHTTPServer { _ in (200, "text/xml", huge) }
        defer { server.stop() }
        #expect(Self.stubClient(server).keyOwner("AKIAIOSFODNN7EXAMPLE").reason
                == "iam:GetAccessKeyLastUsed failed: the answer is larger than 16 MiB")

        let port = try MotoServer.freePort()   // nothing listens there
        let url = URL(string: "http://127.0.0.1:\(port)")!
        let absent = AWSAccountClient(credentials: Self.stubKey, endpoints: AWSEndpoints(iam: url, sts: url, cloudTrail: url), timeout: 1)
        let reason = absent.snapshot().reason ?? ""
        #expect(reason.hasPrefix("iam:GetAccountAuthorizationDetails failed: cannot connect to 127.0.0.1:\(port)"), "\(reason)")
    }

    // MARK: audit credentials and endpoints

    @Test func credentialsFromTheEnvironment() throws {
        let credentials = try AWSAuditCredentials(environment: [
            "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
            "AWS_DEFAULT_REGION": "eu-west-2", "AWS_PROFILE": "absent", "HOME": "/nonexistent",
        ])
        #expect(credentials == AWSAuditCredentials(keyID: "AKIAIOSFODNN7EXAMPLE", secret: "secret", sessionToken: "token",
                                                   region: "eu-west-2", source: "environment"))
        #expect(throws: AWSClientError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")) {
            try AWSAuditCredentials(environment: ["AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE"])
        }
    }

    @Test func credentialsFromProfiles() throws {
        let home = TempDirectory("keysweep-aws-home")
        home.write(".aws/credentials", """
        [default]
        aws_access_key_id = AKIADEFAULTEXAMPLE00
        aws_secret_access_key = default-secret

        # the CI profile
        [ci]
        aws_access_key_id=AKIACIEXAMPLE0000000
        aws_secret_access_key=ci-secret
        aws_session_token = ci-token
        """)
        home.write(".aws/config", """
        [default]
        region = ap-south-1
        [profile ci]
        region = eu-central-1
        s3 =
          max_concurrent_requests = 4
        """)
        let byDefault = try AWSAuditCredentials(environment: ["HOME": home.path])
        #expect(byDefault == AWSAuditCredentials(keyID: "AKIADEFAULTEXAMPLE00", secret: "default-secret", region: "ap-south-1", source: "profile default"))
        let ci = try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "ci"])
        #expect(ci == AWSAuditCredentials(keyID: "AKIACIEXAMPLE0000000", secret: "ci-secret", sessionToken: "ci-token",
                                          region: "eu-central-1", source: "profile ci"))
        #expect(try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "ci", "AWS_REGION": "us-west-2"]).region == "us-west-2")

        // Files named by the environment; keys only in the config file.
        let elsewhere = TempDirectory("keysweep-aws-files")
        elsewhere.write("config", "[profile ops]\naws_access_key_id = AKIAOPSEXAMPLE000000\naws_secret_access_key = ops-secret\n")
        let ops = try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "ops",
                                                        "AWS_CONFIG_FILE": elsewhere.file("config"),
                                                        "AWS_SHARED_CREDENTIALS_FILE": elsewhere.file("none")])
        #expect(ops.keyID == "AKIAOPSEXAMPLE000000")
        #expect(!"\(ops)".contains("ops-secret"))
        // A symbolic link to the file is followed; a directory in its place is refused.
        try FileManager.default.createSymbolicLink(atPath: elsewhere.file("linked"), withDestinationPath: elsewhere.file("config"))
        #expect(try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "ops", "AWS_CONFIG_FILE": elsewhere.file("linked")]).keyID
                == "AKIAOPSEXAMPLE000000")
        #expect(throws: AWSClientError("\(home.path)/.aws is not a regular file")) {
            try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_CONFIG_FILE": home.file(".aws")])
        }
        #expect(ops.region == "us-east-1")
        #expect(throws: AWSClientError.self) { try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "nope"]) }
    }

    @Test func credentialProcessIsRefusedNotRun() throws {
        let home = TempDirectory("keysweep-aws-process")
        let marker = home.file("ran")
        home.write(".aws/config", "[profile proc]\ncredential_process = /bin/sh -c 'touch \(marker)'\n")
        do {
            _ = try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "proc"])
            Issue.record("credential_process was accepted")
        } catch {
            #expect(error.description.contains("credential_process"))
            #expect(error.description.contains("does not support"))
            #expect(!error.description.contains("\n"))
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        // Keys in the credentials file come before credential_process, as in the AWS CLI.
        home.write(".aws/credentials", "[proc]\naws_access_key_id = AKIAPROCEXAMPLE00000\naws_secret_access_key = s\n")
        #expect(try AWSAuditCredentials(environment: ["HOME": home.path, "AWS_PROFILE": "proc"]).keyID == "AKIAPROCEXAMPLE00000")
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func missingCredentialsAndOversizedFiles() throws {
        let home = TempDirectory("keysweep-aws-empty")
        #expect(throws: AWSClientError("no AWS credentials for --blast-radius: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")) {
            try AWSAuditCredentials(environment: ["HOME": home.path])
        }
        home.write(".aws/credentials", "[default]\naws_access_key_id = AKIADEFAULTEXAMPLE00\naws_secret_access_key = s\n"
                   + String(repeating: "#", count: 1 << 20))
        do {
            _ = try AWSAuditCredentials(environment: ["HOME": home.path])
            Issue.record("an oversized credentials file was read")
        } catch {
            #expect(error.description.contains("larger than 1 MiB"))
        }
    }

    @Test func endpointsFollowTheSDKOrder() throws {
        let both = try AWSEndpoints(environment: ["AWS_ENDPOINT_URL_IAM": "http://127.0.0.1:1", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"])
        #expect(both.iam.absoluteString == "http://127.0.0.1:1")
        #expect(both.sts.absoluteString == "http://127.0.0.1:2")
        #expect(both.cloudTrail(region: "eu-west-1").absoluteString == "http://127.0.0.1:2")
        let cloudTrailOnly = try AWSEndpoints(environment: ["AWS_ENDPOINT_URL_CLOUDTRAIL": "https://ct.example"])
        #expect(cloudTrailOnly.cloudTrail(region: "eu-west-1").absoluteString == "https://ct.example")
        let none = try AWSEndpoints(environment: [:])
        #expect(none.iam.absoluteString == "https://iam.amazonaws.com")
        #expect(none.sts.absoluteString == "https://sts.amazonaws.com")
        #expect(none.cloudTrail(region: "eu-west-1").absoluteString == "https://cloudtrail.eu-west-1.amazonaws.com")
        #expect(throws: AWSClientError("AWS_ENDPOINT_URL_IAM 'file:///etc/passwd' is not an http(s) endpoint URL (scheme://host[:port])")) {
            try AWSEndpoints(environment: ["AWS_ENDPOINT_URL_IAM": "file:///etc/passwd"])
        }
        #expect(throws: AWSClientError.self) { try AWSAccountClient(environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_ENDPOINT_URL": "ftp://x"]) }
    }

    @Test func timesAndXML() throws {
        #expect(AWSTime.normalize("2026-12-07T08:00:00Z") == "2026-12-07T08:00:00Z")
        #expect(AWSTime.normalize("2026-12-07T08:00:00.974536Z") == "2026-12-07T08:00:00Z")
        #expect(AWSTime.normalize("2026-12-07T09:00:00.5+01:00") == "2026-12-07T08:00:00Z")
        let xml = try AWSXML.parse(Data(#"<?xml version="1.0"?><R a="x>y"><!-- c --><L><member>a &amp; b</member><member><![CDATA[<c>]]></member></L><E/><IsX>true</IsX></R>"#.utf8))
        #expect(xml.members("L").map(\.text) == ["a & b", "<c>"])
        let json = xml.jsonObject()
        #expect(json["L"] as? [String] == ["a & b", "<c>"])
        #expect(json["IsX"] as? Bool == true)
        #expect(json["E"] as? String == "")
        #expect(throws: AWSXML.Invalid.self) { try AWSXML.parse(Data("<a><b></a>".utf8)) }
        #expect(throws: AWSXML.Invalid.self) { try AWSXML.parse(Data(String(repeating: "<a>", count: 100).utf8)) }
    }
}

/// A real HTTP/1.1 server on 127.0.0.1 and a free port, one blocking thread, one request per
/// connection (`Connection: close`); it records each request and answers with `handler`.
final class StubHTTPServer: @unchecked Sendable {
    struct Request {
        /// Names lower-cased.
        var headers: [String: String]
        var body: String
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var recorded: [Request] = []
    private let handler: @Sendable (Request) -> (Int, String, String)

    var requests: [Request] { lock.withLock { recorded } }

    init(_ handler: @escaping @Sendable (Request) -> (Int, String, String)) throws {
        self.handler = handler
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = listener
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok, listen(listener, 16) == 0 else { close(listener); throw TestFailure("stub server: cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            if let request = Self.read(connection) {
                lock.withLock { recorded.append(request) }
                let (status, type, body) = handler(request)
                let answer = "HTTP/1.1 \(status) Stub\r\nContent-Type: \(type)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
                var bytes = Array(answer.utf8)[...]
                while !bytes.isEmpty {
                    let sent = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if sent <= 0 { break }
                    bytes = bytes.dropFirst(sent)
                }
            }
            close(connection)
        }
    }

    private static func read(_ connection: Int32) -> Request? {
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if let end = headerEnd, data.count >= end + contentLength { break }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            data += buffer[..<count]
            if headerEnd == nil, let range = data.firstRange(of: Array("\r\n\r\n".utf8)) {
                headerEnd = range.upperBound
                let head = String(decoding: data[..<range.lowerBound], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        let end = headerEnd!
        var headers: [String: String] = [:]
        for line in String(decoding: data[..<(end - 4)], as: UTF8.self).split(separator: "\r\n").dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(headers: headers, body: String(decoding: data[end..<(end + contentLength)], as: UTF8.self))
    }
}
