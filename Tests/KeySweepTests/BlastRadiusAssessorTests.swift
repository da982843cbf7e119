import Foundation
import Testing
@testable import KeySweep

/// The AWS module's blast radius over the fixture account (`AuthorizationDetailsFixture`), with an
/// in-process `AWSAccountReader` whose calls can be denied: every denied call must come back as
/// "unknown, because ..." naming the call, never as a guess; `SimulatePrincipalPolicy`, where
/// allowed, overrides the evaluator and says so; dates decide use and identities since the leak.
@Suite struct BlastRadiusAssessorTests {
    /// A reader answering from the fixture, each call deniable.
    struct Reader: AWSAccountReader {
        var account: AWSAccountSnapshot
        var deny: Set<String> = []
        var simulation: AWSSimulation? = nil
        var events: [AWSEvent] = []
        let endpoint = "https://iam.test"

        func denied(_ call: String) -> String { "iam:\(call) was denied (AccessDenied)" }
        func keyOwner(_ keyID: String) -> AWSAnswer<AWSKeyOwner> {
            if deny.contains("GetAccessKeyLastUsed") { return .unknown(denied("GetAccessKeyLastUsed")) }
            guard let key = account.accessKeys.first(where: { $0.id == keyID }) else {
                return .unknown("iam:GetAccessKeyLastUsed answered AccessDenied: the key id is not in this account")
            }
            return .answered(AWSKeyOwner(userName: key.user, lastUsed: key.lastUsed))
        }
        func snapshot() -> AWSAnswer<AWSAccountSnapshot> {
            deny.contains("GetAccountAuthorizationDetails") ? .unknown(denied("GetAccountAuthorizationDetails")) : .answered(account)
        }
        func simulate(principal: String, actions: [String], mfa: Bool) -> AWSAnswer<AWSSimulation> {
            if let simulation { return .answered(simulation) }
            return .unknown(denied("SimulatePrincipalPolicy"))
        }
        func events(keyID: String, since: String, region: String, limit: Int) -> AWSAnswer<[AWSEvent]> {
            deny.contains("LookupEvents") ? .unknown("cloudtrail:LookupEvents was denied (AccessDeniedException)") : .answered(events)
        }
    }

    static let aliceKey = "AKIAQZAVB57H5ALICE01", bobKey = "AKIAQZAVB57H5BOBKEY2", carolKey = "AKIAQZAVB57H5CAROL03"
    static let leak = "2026-01-10T12:00:00Z"

    static func snapshot() -> AWSAccountSnapshot {
        AWSAccountSnapshot(
            account: "123456789012", taken: "2026-02-01T00:00:00Z", endpoint: nil,
            authorizationPages: [Data(AuthorizationDetailsFixture.json.utf8)],
            accessKeys: [
                .init(id: aliceKey, user: "alice", status: "Active", created: "2025-06-01T00:00:00Z",
                      lastUsed: .init(date: "2026-01-20T08:00:00Z", service: "iam", region: "us-east-1")),
                .init(id: bobKey, user: "bob", status: "Active", created: "2025-06-01T00:00:00Z",
                      lastUsed: .init(date: "2025-12-01T08:00:00Z", service: "s3", region: "eu-west-1")),
                .init(id: carolKey, user: "carol", status: "Inactive", created: "2025-06-01T00:00:00Z", lastUsed: nil),
                // Made after the leak: a backdoor key on bob.
                .init(id: "AKIAQZAVB57H5NEWKEY4", user: "bob", status: "Active", created: "2026-01-11T00:00:00Z", lastUsed: nil),
            ],
            mfaDevices: [], loginProfiles: [.init(user: "carol", created: "2026-01-12T00:00:00Z")], unknown: [])
    }

    /// A credential for a key id, leaked in a commit dated `leak`.
    static func credential(_ keyID: String, leakedAt: String? = leak, secret: String? = nil) throws -> Credential {
        let rule = try #require(try RuleSet.builtIn().rules.first { $0.id == "aws-access-key-id" })
        let commit = leakedAt.map { CommitInfo(id: String(repeating: "a", count: 40), author: "Ada <ada@example.org>", date: $0,
                                               time: GitDate.seconds(iso8601: $0) ?? 0, order: 0) }
        let finding = Finding(id: "f-\(keyID)", rule: rule, secret: secret ?? keyID, isPlaceholder: false,
                              occurrences: [Occurrence(commit: commit, provenance: leakedAt == nil ? .stdin : .file(path: "creds"), line: 1, decoding: nil)],
                              inHead: true)
        return Credential(provider: "AWS", id: finding, parts: [:])
    }

    static func assess(_ reader: Reader, _ credential: Credential, regions: [String] = ["us-east-1"]) throws -> BlastRadiusReport {
        let assessor = AWSBlastRadiusAssessor(.live(reader, cloudTrailRegions: regions))
        return try #require(assessor.assess([credential]).first?.blastRadius)
    }

    @Test func adminThroughAGroupDespiteReadOnlyAttached() throws {
        let radius = try Self.assess(Reader(account: Self.snapshot()), try Self.credential(Self.aliceKey))
        #expect(radius.admin == true)
        #expect(radius.danger == .critical)
        #expect(radius.principal == "arn:aws:iam::123456789012:user/alice")
        #expect(radius.capabilities.contains("create-users") && radius.capabilities.contains("delete-backups"))
        // Last used after the leak: used since it leaked.
        #expect(radius.usedSinceLeak == true)
        #expect(radius.newIdentitiesSinceLeak.map(\.type) == ["access-key", "login-profile"])
        #expect(radius.unknown.contains { $0.hasPrefix("unknown, because iam:SimulatePrincipalPolicy was denied") })
        #expect(radius.answeredBy["create-users"] == "evaluator")
    }

    @Test func bucketScopedDeleteIsNotDeleteS3DataEverywhere() throws {
        let radius = try Self.assess(Reader(account: Self.snapshot()), try Self.credential(Self.bobKey))
        #expect(!radius.capabilities.contains("delete-s3-data"))
        #expect(radius.scoped["delete-s3-data"] == ["arn:aws:s3:::build-artifacts-123456789012/*"])
        #expect(radius.danger == .limited)
        #expect(radius.summary.contains("only"))
        // Last used before the leak, and CloudTrail shows nothing since.
        #expect(radius.usedSinceLeak == false)
    }

    @Test func mfaOnlyCapabilitiesAreSaid() throws {
        let radius = try Self.assess(Reader(account: Self.snapshot()), try Self.credential(Self.carolKey))
        #expect(radius.mfaOnly.contains("create-users"))
        #expect(!radius.capabilities.contains("create-users"))
        #expect(!radius.capabilities.contains("delete-snapshots"))   // Ops' explicit Deny
        #expect(radius.status == "Inactive")
        #expect(radius.usedSinceLeak == false)   // never used
    }

    @Test func deniedCallsAreUnknownWithTheirReason() throws {
        var reader = Reader(account: Self.snapshot())
        reader.deny = ["GetAccessKeyLastUsed"]
        let noOwner = try Self.assess(reader, try Self.credential(Self.aliceKey))
        #expect(noOwner.danger == .unknown)
        #expect(noOwner.admin == nil)
        #expect(noOwner.capabilities.isEmpty)
        #expect(noOwner.unknown.first?.hasPrefix("unknown, because iam:GetAccessKeyLastUsed was denied") == true, "\(noOwner.unknown)")

        reader.deny = ["GetAccountAuthorizationDetails"]
        let noPolicies = try Self.assess(reader, try Self.credential(Self.aliceKey))
        #expect(noPolicies.danger == .unknown && noPolicies.admin == nil)
        #expect(noPolicies.unknown.contains { $0.contains("GetAccountAuthorizationDetails was denied") })

        reader.deny = ["LookupEvents"]
        let noTrail = try Self.assess(reader, try Self.credential(Self.bobKey), regions: ["us-east-1", "eu-west-1"])
        #expect(noTrail.unknown.filter { $0.contains("cloudtrail:LookupEvents was denied") }.count == 2)
        // IAM's own last-used date still answers: used before the leak, not since.
        #expect(noTrail.usedSinceLeak == false)
    }

    @Test func simulationOverridesTheEvaluatorAndSaysSo() throws {
        var reader = Reader(account: Self.snapshot())
        // An organisation policy the evaluator cannot see denies user creation; everything else allowed.
        var decisions: AWSSimulation = [:]
        for capability in BlastCapability.allCases { for action in capability.actions { decisions[action] = "allowed" } }
        decisions["iam:CreateUser"] = "explicitDeny"
        reader.simulation = decisions
        let radius = try Self.assess(reader, try Self.credential(Self.aliceKey))
        #expect(!radius.capabilities.contains("create-users"))
        #expect(radius.answeredBy["create-users"]?.hasPrefix("simulation") == true)
        #expect(radius.answeredBy["delete-backups"] == "evaluator and simulation")
    }

    /// Where the simulation denies every action the evaluator allowed, the words and the danger
    /// follow the simulation, not the evaluator's first answer.
    @Test func aSimulationThatDeniesEverythingLeavesNothingInTheWords() throws {
        var reader = Reader(account: Self.snapshot())
        var decisions: AWSSimulation = [:]
        for capability in BlastCapability.allCases { for action in capability.actions { decisions[action] = "implicitDeny" } }
        reader.simulation = decisions
        let radius = try Self.assess(reader, try Self.credential(Self.carolKey))
        #expect(radius.capabilities.isEmpty)
        #expect(radius.summary.hasPrefix("can do none of the Code Spaces actions"), "\(radius.summary)")
        #expect(radius.danger == .limited)   // user creation with MFA stays
    }

    @Test func keysNotInTheAccountRedactedOrUndatedAreSaid() throws {
        let snapshot = Self.snapshot()
        let offline = AWSBlastRadiusAssessor(.snapshots([("account.json", snapshot)]))
        let other = try #require(offline.assess([try Self.credential("AKIAQZAVB57H5OTHER05")]).first?.blastRadius)
        #expect(other.danger == .unknown)
        #expect(other.unknown.first?.contains("in none of the snapshots given (accounts 123456789012)") == true, "\(other.unknown)")

        let redacted = try #require(offline.assess([try Self.credential(Self.aliceKey, secret: "AKIA…CE01")]).first?.blastRadius)
        #expect(redacted.danger == .unknown && redacted.unknown.first?.contains("redacted") == true)

        // From standard input: no leak date, so no "since the leak" answers, said so.
        let undated = try #require(offline.assess([try Self.credential(Self.aliceKey, leakedAt: nil)]).first?.blastRadius)
        #expect(undated.admin == true)
        #expect(undated.usedSinceLeak == nil)
        #expect(undated.newIdentitiesSinceLeak.isEmpty)
        #expect(undated.unknown.contains { $0.contains("the leak has no date") })
    }

    @Test func snapshotFilesRoundTripAndBadOnesAreOneLine() throws {
        let dir = TempDirectory("keysweep-snapshot")
        try AWSSnapshotFile.write(Self.snapshot(), to: dir.file("a.json"))
        let read = try AWSSnapshotFile.read(dir.file("a.json"))
        #expect(read.accessKeys == Self.snapshot().accessKeys)
        #expect(try AuthorizationDetails(pages: read.authorizationPages).users.count
                == (try AuthorizationDetails(pages: Self.snapshot().authorizationPages)).users.count)
        for (name, text) in [("empty.json", ""), ("other.json", "{\"findings\": []}"), ("deep.json", String(repeating: "[", count: 5000)),
                             ("version.json", "{\"keysweep_aws_snapshot\": 9, \"taken\": \"x\", \"access_keys\": [], \"mfa_devices\": [], \"login_profiles\": [], \"unknown\": [], \"authorization_details\": []}")] {
            try text.write(toFile: dir.file(name), atomically: true, encoding: .utf8)
            #expect(throws: AWSSnapshotFile.Failure.self) { _ = try AWSSnapshotFile.read(dir.file(name)) }
            do { _ = try AWSSnapshotFile.read(dir.file(name)) } catch {
                #expect(!error.description.contains("\n") && error.description.hasPrefix(dir.file(name)), "\(error)")
            }
        }
    }

    /// The offline route through the binary, then `merge`: a report without blast radius first
    /// and one with it second merge to one finding that keeps it.
    @Test func aSnapshotScanAndAMergeKeepTheBlastRadius() throws {
        let key = FakeAWS.keyID()
        var snapshot = Self.snapshot()
        snapshot.accessKeys.append(.init(id: key, user: "alice", status: "Active", created: "2020-01-01T00:00:00Z", lastUsed: nil))
        let dir = TempDirectory("keysweep-snapshot-merge")
        try AWSSnapshotFile.write(snapshot, to: dir.file("account.json"))
        let repo = try GitRepo()
        try repo.commit("key", ["creds": FakeAWS.credentials(key, FakeAWS.secret())])
        _ = try Keysweep.run(["scan", repo.path, "--format", "json", "--output", dir.file("plain.json")])
        let assessed = try Keysweep.run(["scan", repo.path, "--format", "json", "--output", dir.file("radius.json"),
                                         "--iam-snapshot", dir.file("account.json")])
        #expect(assessed.stderr.contains("1 can end the company"), "\(assessed.stderr)")
        let merged = try Keysweep.run(["merge", dir.file("plain.json"), dir.file("radius.json"), "--format", "json", "-o", dir.file("merged.json")])
        #expect(merged.status == 1, "\(merged.stderr)")
        struct Radius: Decodable { var admin: Bool?; var principal: String?; var source: String }
        struct Finding: Decodable { var secret: String; var blast_radius: Radius? }
        struct Report: Decodable { var findings: [Finding] }
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: dir.file("merged.json"))))
        let radius = try #require(report.findings.first { $0.secret == key }?.blast_radius)
        #expect(radius.admin == true)
        #expect(radius.principal == "arn:aws:iam::123456789012:user/alice")
        #expect(radius.source.contains("account.json"))
    }
}
