import Foundation
import Testing
@testable import KeySweep
@testable import KeySweepGitHub

/// GitHub's provider module against a real HTTP server: tokens found by a real scan of a real
/// repository are sent to `GET /user`, and each answer (scopes, no scopes, no scope header,
/// 401, rate limit, no server) becomes a verification and a blast radius.
@Suite struct GitHubTokenModuleTests {
    // Valid checksums: the checksum covers only the 30 characters after the prefix, so the
    // bodies of the rules' examples make tokens of any prefix.
    static let full = Secrets.githubToken
    static let noScopes = "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"
    static let fineGrained = "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"
    static let revoked = "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"
    static let rateLimited = "ghu_Ky9Pf34qY6Nb3wWD25RQ4F5ZR3qa7y3gm1IL"
    static let refresh = "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"
    static let all = [full, noScopes, fineGrained, revoked, rateLimited, refresh]

    /// The GitHub credentials a scan of a repository holding every token finds.
    static func credentials() throws -> [Credential] {
        let repo = try GitRepo()
        let text = all.enumerated().map { "TOKEN_\($0.offset)=\($0.element)\n" }.joined()
        try repo.commit("add tokens", ["deploy.env": text])
        let result = try Scanner(rules: try RuleSet.builtIn(), options: ScanOptions()).scan([repo.path])
        let credentials = Credential.all(of: "GitHub", in: result.findings)
        #expect(Set(credentials.map(\.value)) == Set(all), "the scan finds every token: \(credentials.map(\.value))")
        return credentials
    }

    static func user(_ login: String, type: String = "User", siteAdmin: Bool = false) -> [String: Any] {
        ["login": login, "type": type, "site_admin": siteAdmin]
    }

    /// `assess` as the command line calls it, from a thread of its own: a test blocking the
    /// cooperative pool's threads (two on two cores) would leave none for the calls.
    static func assess(_ assessor: GitHubTokenAssessor, _ credentials: [Credential]) async -> [Assessment] {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: assessor.assess(credentials)) }.start()
        }
    }

    /// A server that knows the tokens above (the revoked one excepted), and what it answered.
    static func assessed() async throws -> (server: FakeGitHub, answers: [String: Assessment]) {
        let server = try FakeGitHub()
        try server.setRoutes(["/user": ["tokens": [
            full: ["headers": [["X-OAuth-Scopes", "repo, delete_repo, workflow, gist"]], "object": user("octocat")],
            noScopes: ["headers": [["X-OAuth-Scopes", ""]], "object": user("deploy-bot", type: "Bot")],
            fineGrained: ["object": user("octocat")],
            rateLimited: ["status": 403, "headers": [["X-RateLimit-Remaining", "0"], ["X-RateLimit-Reset", "1900000000"]],
                          "object": ["message": "API rate limit exceeded"]],
        ]]])
        let credentials = try credentials()
        let assessor = GitHubTokenAssessor(apiURL: URL(string: server.api)!, timeout: 10)
        #expect(assessor.provider == "GitHub")
        let answers = await assess(assessor, credentials)
        #expect(answers.count == credentials.count)
        return (server, Dictionary(uniqueKeysWithValues: zip(credentials.map(\.value), answers)))
    }

    @Test func aLiveTokenIsItsOwnerAndItsScopes() async throws {
        let (server, answers) = try await Self.assessed()
        let answer = try #require(answers[Self.full])
        let verification = try #require(answer.verification)
        #expect(verification.verdict == .live)
        #expect(verification.principalName == "octocat")
        #expect(verification.principalType == "user")
        #expect(verification.endpoint == server.api)
        #expect(verification.checkedAt != nil)
        let radius = try #require(answer.blastRadius)
        #expect(radius.provider == "GitHub")
        #expect(radius.principal == "octocat")
        #expect(radius.source == server.api)
        #expect(radius.danger == .critical)
        #expect(radius.admin == false)
        #expect(Set(radius.capabilities) == ["write-private-repos", "delete-repos", "change-workflows", "other-scopes"])
        #expect(radius.evidence["delete-repos"] == ["scope delete_repo"])
        #expect(radius.evidence["other-scopes"] == ["scope gist"])
        #expect(radius.answeredBy["delete-repos"] == "scopes")
        #expect(radius.unknown.isEmpty)
        #expect(radius.summary == "can delete repositories, change workflows (and so read CI secrets), write private repositories and use the scope gist, as octocat")
        // Each token that can call the API once (not the refresh token), to the API's /user and
        // nowhere else, as keysweep.
        let requests = server.requests
        #expect(requests.count == Self.all.count - 1, "\(requests)")
        #expect(requests.allSatisfy { $0.hasPrefix("GET /api/user ua=keysweep/\(KeySweepVersion.current) auth=yes") }, "\(requests)")
    }

    @Test func noScopesIsNoDanger() async throws {
        let answers = try await Self.assessed().answers
        let answer = try #require(answers[Self.noScopes])
        #expect(answer.verification?.verdict == .live)
        #expect(answer.verification?.principalType == "bot")
        let radius = try #require(answer.blastRadius)
        #expect(radius.danger == .none)
        #expect(radius.capabilities.isEmpty)
        #expect(radius.admin == false)
        #expect(radius.summary == "can do nothing beyond public reads (no scopes), as deploy-bot")
    }

    @Test func noScopeHeaderIsUnknownWithTheReason() async throws {
        let answers = try await Self.assessed().answers
        let answer = try #require(answers[Self.fineGrained])
        #expect(answer.verification?.verdict == .live)
        let radius = try #require(answer.blastRadius)
        #expect(radius.danger == .unknown)
        #expect(radius.admin == nil)
        #expect(radius.capabilities.isEmpty)
        #expect(radius.unknown == ["fine-grained token: GitHub does not report its permissions through the API"])
        #expect(radius.summary.hasPrefix("unknown: fine-grained token"))
    }

    @Test func aTokenGitHubDoesNotKnowIsRevoked() async throws {
        let answers = try await Self.assessed().answers
        let answer = try #require(answers[Self.revoked])
        let verification = try #require(answer.verification)
        #expect(verification.verdict == .unknownID)
        #expect(verification.state == "revoked")
        #expect(verification.code == "401")
        #expect(verification.reason == "GitHub answered 401 Bad credentials: revoked, expired or never valid")
        #expect(answer.blastRadius == nil)
    }

    @Test func aRateLimitIsNoVerdict() async throws {
        let answers = try await Self.assessed().answers
        let answer = try #require(answers[Self.rateLimited])
        #expect(answer.verification?.verdict == .couldNotCheck)
        #expect(answer.verification?.code == "403")
        #expect(answer.verification?.reason?.hasPrefix("GitHub rate limit reached") == true, "\(answer.verification?.reason ?? "")")
        #expect(answer.blastRadius == nil)
    }

    @Test func refreshAndRedactedTokensAreNotSent() async throws {
        let server = try FakeGitHub()
        try server.setRoutes(["/user": ["tokens": [String: Any]()]])
        var credentials = try Self.credentials().filter { $0.value == Self.refresh || $0.value == Self.full }
        credentials = credentials.map { credential in
            var credential = credential
            if credential.value == Self.full { credential.id.secret = "ghp_…m1IL" }
            return credential
        }
        let answers = await Self.assess(GitHubTokenAssessor(apiURL: URL(string: server.api)!, timeout: 10), credentials)
        #expect(answers.count == 2)
        for answer in answers {
            #expect(answer.verification?.verdict == .notChecked)
            #expect(answer.verification?.reason?.isEmpty == false)
            #expect(answer.blastRadius == nil)
        }
        #expect(server.requests.isEmpty, "\(server.requests)")
    }

    /// Admin scopes and site admins: `admin`, critical; two scopes of one capability, one capability.
    @Test func adminScopesAndSiteAdmins() {
        let assessor = GitHubTokenAssessor(apiURL: URL(string: "https://api.github.com/")!, timeout: 10)
        #expect(assessor.source == "https://api.github.com")
        let org = assessor.blastRadius(token: Self.full, login: "octocat", scopes: "admin:org,write:repo_hook, admin:repo_hook", siteAdmin: false)
        #expect(org.admin == true)
        #expect(org.danger == .critical)
        #expect(org.capabilities == ["administer-orgs", "change-webhooks"])
        #expect(org.evidence["change-webhooks"] == ["scope admin:repo_hook", "scope write:repo_hook"])
        #expect(org.summary == "can administer organizations and change webhooks, as octocat")
        let hooks = assessor.blastRadius(token: Self.full, login: "octocat", scopes: "write:repo_hook", siteAdmin: false)
        #expect(hooks.danger == .limited)
        #expect(hooks.admin == false)
        let site = assessor.blastRadius(token: Self.fineGrained, login: "root", scopes: nil, siteAdmin: true)
        #expect(site.admin == true)
        #expect(site.danger == .critical)
        #expect(site.answeredBy["administer-instance"] == "user")
        #expect(site.unknown.count == 1)
    }

    /// A body dripped a byte a second, or larger than any `/user` answer, is no verdict: each
    /// call is bounded in time and size. Through the binary, in a process of its own: in this
    /// test process the other tests keep the cooperative pool's threads busy, and the deadline's
    /// timer would wait for one.
    @Test func aSlowOrHugeAnswerIsNoVerdict() throws {
        let server = try FakeGitHub()
        try server.setRoutes(["/user": ["tokens": [
            Self.full: ["drip": true, "headers": [["X-OAuth-Scopes", "repo"]], "object": Self.user("octocat")],
            Self.noScopes: ["object": ["login": "octocat", "bio": String(repeating: "x", count: 2 << 20)]],
        ]]])
        let repo = try GitRepo()
        try repo.commit("tokens", ["ci.env": "A=\(Self.full)\nB=\(Self.noScopes)\n"])
        let out = TempDirectory("keysweep-github-slow")
        let started = Date()
        let result = try Keysweep.run(["scan", repo.path, "--verify", "--verify-timeout", "2", "--github-api-url", server.api,
                                       "--format", "json", "--output", out.file("report.json")])
        // Dripped whole, the answer would take a minute; the 2 s deadline ends it.
        #expect(Date().timeIntervalSince(started) < 30, "the deadline ends the dripped answer")
        #expect(result.status == 1, "\(result.stderr)")
        struct Verification: Decodable { var verdict: String; var reason: String? }
        struct Finding: Decodable { var secret: String; var verification: Verification?; var blast_radius: BlastRadiusReport? }
        struct Report: Decodable { var findings: [Finding] }
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("report.json"))))
        let reasons = Dictionary(uniqueKeysWithValues: report.findings.map { ($0.secret, $0.verification?.reason ?? "") })
        #expect(report.findings.allSatisfy { $0.verification?.verdict == "could-not-check" && $0.blast_radius == nil })
        #expect(reasons[Self.full]?.contains("no complete answer within 2 s") == true, "\(reasons)")
        #expect(reasons[Self.noScopes]?.contains("larger than 1 MiB") == true, "\(reasons)")
    }

    @Test func noServerIsNoVerdictInOneLine() async throws {
        let port = try MotoServer.freePort()
        let credentials = try Self.credentials().filter { $0.value == Self.full }
        let answers = await Self.assess(GitHubTokenAssessor(apiURL: URL(string: "http://127.0.0.1:\(port)/api")!, timeout: 5), credentials)
        let verification = try #require(answers.first?.verification)
        #expect(verification.verdict == .couldNotCheck)
        let reason = try #require(verification.reason)
        #expect(reason.contains("connection refused"), "\(reason)")
        #expect(!reason.contains("\n"))
        #expect(answers.first?.blastRadius == nil)
    }

    /// The module through the command line: `scan --verify --github-api-url` puts the owner and
    /// the scopes' blast radius on the token's finding in the JSON report, the plan ranks the
    /// live token that can delete repositories first and says so, and the text report shows it.
    @Test func scanVerifyReportsTheScopesEndToEnd() throws {
        let server = try FakeGitHub()
        try server.setRoutes(["/user": ["tokens": [
            Self.full: ["headers": [["X-OAuth-Scopes", "repo, delete_repo, workflow"]], "object": Self.user("octocat")],
            Self.noScopes: ["headers": [["X-OAuth-Scopes", ""]], "object": Self.user("deploy-bot", type: "Bot")],
        ]]])
        let repo = try GitRepo()
        try repo.commit("tokens", ["ci.env": "READ_TOKEN=\(Self.noScopes)\nADMIN_TOKEN=\(Self.full)\n"])
        let out = TempDirectory("keysweep-github-verify")
        let result = try Keysweep.run(["scan", repo.path, "--verify", "--github-api-url", server.api, "--format", "json",
                                       "--output", out.file("report.json"), "--remediation", out.file("plan.json")])
        #expect(result.status == 1, "\(result.stderr)")
        struct Radius: Decodable { var principal: String?; var capabilities: [String]; var danger: String }
        struct Verification: Decodable { var verdict: String; var principal_name: String? }
        struct Finding: Decodable { var secret: String; var verification: Verification?; var blast_radius: Radius? }
        struct Report: Decodable { var findings: [Finding] }
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("report.json"))))
        let admin = try #require(report.findings.first { $0.secret == Self.full })
        #expect(admin.verification?.verdict == "live")
        #expect(admin.verification?.principal_name == "octocat")
        #expect(admin.blast_radius?.capabilities.contains("delete-repos") == true)
        #expect(admin.blast_radius?.danger == "critical")
        #expect(report.findings.first { $0.secret == Self.noScopes }?.blast_radius?.danger == "none")

        struct Row: Decodable { var finding: String; var urgency: String; var blast_radius: Radius? }
        struct Plan: Decodable { var rows: [Row] }
        let plan = try JSONDecoder().decode(Plan.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("plan.json"))))
        #expect(plan.rows.first?.blast_radius?.principal == "octocat", "\(plan.rows.map(\.finding))")
        #expect(plan.rows.first?.urgency == "live")

        let text = try Keysweep.run(["scan", repo.path, "--verify", "--github-api-url", server.api])
        #expect(text.stdout.contains("verdict:  live: octocat"), "\(text.stdout)")
        #expect(text.stdout.contains("can do:   CRITICAL: can delete repositories, change workflows (and so read CI secrets) and write private repositories, as octocat\n"), "\(text.stdout)")
    }
}
