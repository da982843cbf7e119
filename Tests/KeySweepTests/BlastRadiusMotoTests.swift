import Foundation
import Testing

/// `--blast-radius` from the owner's side against a real moto server (IAM with AWS's managed
/// policies loaded) and a loopback CloudTrail: the Code Spaces case. Two keys leak in one commit:
/// one whose user is an administrator through a group while `ReadOnlyAccess` is attached to it
/// directly (a managed-policy-name heuristic calls it read-only), one that can only put objects
/// into one bucket. After the leak a backdoor user appears. The plan must put the admin key
/// first and say what it can do; the JSON must carry both blast radii; the snapshot route must
/// give the same capabilities with no network.
@Suite(.serialized) struct BlastRadiusMotoTests {
    struct Setup: Decodable {
        var admin_id: String; var admin_secret: String
        var uploader_id: String; var uploader_secret: String
        var audit_id: String; var audit_secret: String
    }

    /// Users, groups, policies and keys made before the leak; auth switched on after.
    static func account(_ moto: MotoServer) throws -> Setup {
        let output = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        iam.create_group(GroupName="admins")
        iam.attach_group_policy(GroupName="admins", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        iam.create_user(UserName="ops-admin")
        iam.add_user_to_group(GroupName="admins", UserName="ops-admin")
        iam.attach_user_policy(UserName="ops-admin", PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess")
        admin = iam.create_access_key(UserName="ops-admin")["AccessKey"]
        iam.create_user(UserName="uploader")
        iam.put_user_policy(UserName="uploader", PolicyName="put-reports", PolicyDocument=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports-bucket/*"}]}))
        uploader = iam.create_access_key(UserName="uploader")["AccessKey"]
        iam.create_user(UserName="auditor")
        iam.attach_user_policy(UserName="auditor", PolicyArn="arn:aws:iam::aws:policy/SecurityAudit")
        audit = iam.create_access_key(UserName="auditor")["AccessKey"]
        print(json.dumps({"admin_id": admin["AccessKeyId"], "admin_secret": admin["SecretAccessKey"],
                          "uploader_id": uploader["AccessKeyId"], "uploader_secret": uploader["SecretAccessKey"],
                          "audit_id": audit["AccessKeyId"], "audit_secret": audit["SecretAccessKey"]}))
        """)
        return try JSONDecoder().decode(Setup.self, from: Data(output.utf8))
    }

    /// The repository: both keys leak in one commit dated now.
    static func leak(_ setup: Setup) throws -> GitRepo {
        let repo = try GitRepo()
        repo.clock = Int(Date().timeIntervalSince1970) - 60   // the commit is dated a minute on: now
        try repo.commit("deploy settings", [
            "ops/credentials": FakeAWS.credentials(setup.admin_id, setup.admin_secret),
            "upload/.env": "AWS_ACCESS_KEY_ID=\(setup.uploader_id)\nAWS_SECRET_ACCESS_KEY=\(setup.uploader_secret)\n",
        ])
        return repo
    }

    static func environment(_ moto: MotoServer, _ setup: Setup, cloudTrail: String? = nil) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("AWS_") { env.removeValue(forKey: key) }
        env["AWS_ENDPOINT_URL"] = moto.url
        if let cloudTrail { env["AWS_ENDPOINT_URL_CLOUDTRAIL"] = cloudTrail }
        env["AWS_ACCESS_KEY_ID"] = setup.audit_id
        env["AWS_SECRET_ACCESS_KEY"] = setup.audit_secret
        env["AWS_REGION"] = "us-east-1"
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent"
        env["AWS_CONFIG_FILE"] = "/nonexistent"
        return env
    }

    struct Radius: Decodable {
        var provider: String; var principal: String?; var admin: Bool?; var capabilities: [String]; var mfa_only: [String]
        var danger: String; var summary: String; var used_since_leak: Bool?; var quarantined: Bool?
        var left_open_by_quarantine: [String]?; var evidence: [String: [String]]; var unknown: [String]
        var answered_by: [String: String]; var status: String?; var source: String
        struct Identity: Decodable { var type: String; var name: String; var created: String }
        var new_identities_since_leak: [Identity]
        struct Call: Decodable { var time: String; var name: String; var region: String? }
        var recent_calls: [Call]
    }
    struct Finding: Decodable { var id: String; var rule: String; var secret: String; var blast_radius: Radius? }
    struct JSONReport: Decodable { var findings: [Finding] }
    struct PlanRow: Decodable { var rank: Int; var key: String; var blast_radius: Radius?; var steps: [Plan.Step] }
    struct PlanFile: Decodable { var rows: [PlanRow] }

    @Test func ownerSideBlastRadiusRanksTheAdminKeyFirst() throws {
        let moto = try MotoServer(environment: ["MOTO_IAM_LOAD_MANAGED_POLICIES": "true"])
        defer { moto.stop() }
        let setup = try Self.account(moto)
        let repo = try Self.leak(setup)
        // The backdoor: made after the leak, with a key of its own.
        sleep(2)
        _ = try moto.python("""
        import boto3
        iam = boto3.client("iam")
        iam.create_user(UserName="svc-backup2")
        iam.create_access_key(UserName="svc-backup2")
        """)
        try moto.enableAuthentication()
        // CloudTrail (moto has no LookupEvents): one event of the admin key after the leak.
        let eventTime = Int(Date().timeIntervalSince1970)
        let trail = try CannedSTS { _ in
            .respond(status: 200, body: "{\"Events\": [{\"EventId\": \"1\", \"EventName\": \"CreateUser\", \"EventTime\": \(eventTime), \"EventSource\": \"iam.amazonaws.com\", \"Username\": \"ops-admin\"}]}")
        }
        defer { trail.stop() }

        let out = TempDirectory("keysweep-blast")
        let env = Self.environment(moto, setup, cloudTrail: trail.url)
        let result = try Run.process(Keysweep.binary, ["scan", repo.path, "--format", "json", "--output", out.file("report.json"),
                                                       "--remediation", out.file("plan.json"), "--blast-radius"], environment: env)
        #expect(result.status == 1, "\(result.stderr)")
        let report = try JSONDecoder().decode(JSONReport.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("report.json"))))
        let admin = try #require(report.findings.first { $0.secret == setup.admin_id }?.blast_radius)
        let uploader = try #require(report.findings.first { $0.secret == setup.uploader_id }?.blast_radius)

        #expect(admin.principal == "arn:aws:iam::123456789012:user/ops-admin")
        #expect(admin.admin == true)
        #expect(admin.danger == "critical")
        for capability in ["admin", "create-users", "create-access-keys", "delete-snapshots", "delete-backups", "stop-logging"] {
            #expect(admin.capabilities.contains(capability), "\(capability) missing: \(admin.capabilities)")
        }
        #expect(admin.evidence["admin"]?.contains { $0.contains("AdministratorAccess") && $0.contains("admins") } == true, "\(admin.evidence)")
        #expect(admin.summary.hasPrefix("can do everything"))
        #expect(admin.new_identities_since_leak.contains { $0.type == "user" && $0.name == "svc-backup2" }, "\(admin.new_identities_since_leak) \(admin.unknown) \((try? String(contentsOfFile: out.file("report.json"), encoding: .utf8))?.prefix(4000) ?? "")")
        #expect(admin.new_identities_since_leak.contains { $0.type == "access-key" && $0.name.contains("svc-backup2") })
        #expect(!admin.new_identities_since_leak.contains { $0.name == "ops-admin" || $0.name == "uploader" })
        #expect(admin.used_since_leak == true)
        #expect(admin.recent_calls.contains { $0.name == "iam:CreateUser" })
        #expect(admin.quarantined == false)
        #expect(admin.left_open_by_quarantine?.contains("delete-snapshots") == true)
        #expect(admin.status == "Active")
        // moto has no SimulatePrincipalPolicy: said, not guessed.
        #expect(admin.unknown.contains { $0.contains("SimulatePrincipalPolicy") }, "\(admin.unknown)")
        #expect(admin.answered_by["create-users"] == "evaluator")

        #expect(uploader.principal == "arn:aws:iam::123456789012:user/uploader")
        #expect(uploader.admin == false)
        #expect(uploader.capabilities.isEmpty, "\(uploader.capabilities)")
        #expect(uploader.danger == "none")
        #expect(!uploader.capabilities.contains("delete-s3-data"))

        let plan = try JSONDecoder().decode(PlanFile.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("plan.json"))))
        let awsRows = plan.rows.filter { $0.key.hasPrefix("AKIA") }
        #expect(awsRows.first?.key == setup.admin_id, "\(awsRows.map(\.key))")
        let adminRow = try #require(awsRows.first)
        let commands = adminRow.steps.flatMap(\.commands)
        #expect(commands.contains("aws iam update-access-key --user-name ops-admin --access-key-id \(setup.admin_id) --status Inactive"))
        #expect(commands.contains { $0.hasPrefix("aws iam put-user-policy --user-name ops-admin --policy-name KeySweepContainment") })
        #expect(adminRow.steps.contains { $0.kind == "review-identities" && $0.commands.contains { $0.contains("svc-backup2") } })

        // The answer line says how many can end the company.
        #expect(result.stderr.contains("1 can end the company"), "\(result.stderr)")
        // The Markdown plan says it in words.
        let markdown = try Run.process(Keysweep.binary, ["remediate", out.file("report.json")], environment: env)
        #expect(markdown.stdout.contains("**What it can do:** can do everything (admin"), "\(markdown.stdout.prefix(3000))")
        #expect(markdown.stdout.contains("user `svc-backup2`"))

        // Offline: a snapshot, then the same capabilities with no endpoint that answers.
        let snapshot = try Run.process(Keysweep.binary, ["aws-snapshot", "-o", out.file("account.json")], environment: env)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        var offline = Self.environment(moto, setup)
        offline["AWS_ENDPOINT_URL"] = "http://127.0.0.1:9"   // nothing listens: any call would fail
        let again = try Run.process(Keysweep.binary, ["scan", repo.path, "--format", "json", "--output", out.file("offline.json"),
                                                      "--iam-snapshot", out.file("account.json")], environment: offline)
        #expect(again.status == 1, "\(again.stderr)")
        let offlineReport = try JSONDecoder().decode(JSONReport.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("offline.json"))))
        for (key, online) in [(setup.admin_id, admin), (setup.uploader_id, uploader)] {
            let radius = try #require(offlineReport.findings.first { $0.secret == key }?.blast_radius)
            #expect(radius.capabilities == online.capabilities)
            #expect(radius.admin == online.admin)
            #expect(radius.principal == online.principal)
            #expect(radius.danger == online.danger)
            #expect(radius.new_identities_since_leak.map(\.name) == online.new_identities_since_leak.map(\.name))
            #expect(radius.source.contains("snapshot"))
            // Offline, no CloudTrail: IAM's record of the key (moto: never used) answers alone.
            #expect(radius.used_since_leak == false)
        }
    }

    /// `contain` deactivates the key and attaches a deny policy that parses, after showing them;
    /// without `--yes` and with standard input not a terminal it refuses and changes nothing.
    @Test func containDeactivatesAndDenies() throws {
        let moto = try MotoServer(environment: ["MOTO_IAM_LOAD_MANAGED_POLICIES": "true"])
        defer { moto.stop() }
        let setup = try Self.account(moto)
        let env = Self.environment(moto, setup)

        let refused = try Run.process(Keysweep.binary, ["contain", setup.admin_id], stdin: Data(), environment: env)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--yes"), "\(refused.stderr)")
        let dry = try Run.process(Keysweep.binary, ["contain", setup.admin_id, "--dry-run"], environment: env)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("aws iam update-access-key --user-name ops-admin --access-key-id \(setup.admin_id) --status Inactive"))
        let untouched = try moto.python("""
        import boto3
        print(boto3.client("iam").list_access_keys(UserName="ops-admin")["AccessKeyMetadata"][0]["Status"])
        """)
        #expect(untouched.trimmingCharacters(in: .whitespacesAndNewlines) == "Active")

        let done = try Run.process(Keysweep.binary, ["contain", setup.admin_id, "--yes"], environment: env)
        #expect(done.status == 0, "\(done.stderr)")
        let after = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        status = iam.list_access_keys(UserName="ops-admin")["AccessKeyMetadata"][0]["Status"]
        document = iam.get_user_policy(UserName="ops-admin", PolicyName="KeySweepContainment")["PolicyDocument"]
        if isinstance(document, str):
            import urllib.parse
            document = json.loads(urllib.parse.unquote(document))
        denied = sorted(a for s in document["Statement"] if s["Effect"] == "Deny" for a in (s["Action"] if isinstance(s["Action"], list) else [s["Action"]]))
        print(json.dumps({"status": status, "denied": denied}))
        """)
        struct After: Decodable { var status: String; var denied: [String] }
        let state = try JSONDecoder().decode(After.self, from: Data(after.utf8))
        #expect(state.status == "Inactive")
        for action in ["iam:CreateUser", "ec2:DeleteSnapshot", "backup:DeleteRecoveryPoint", "cloudtrail:StopLogging", "ec2:TerminateInstances"] {
            #expect(state.denied.contains(action), "\(action) not denied")
        }
    }
}
