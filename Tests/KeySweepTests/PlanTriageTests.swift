import Foundation
import Testing

/// The plan as a triage document, on a repository with several AWS accounts, providers and
/// committers: redacted by default, ranked by what matters, grouped by account, committers
/// named, CloudTrail's reach stated, provider steps, and one private replacements.txt.
@Suite struct PlanTriageTests {
    static let slack = "xoxb-987539749202-2927532291355-1Q5yw88pBJRbMvzW0TfB97Ps"
    static let stripe = "sk_live_bUi22oXtKilTGYsXweBA5V1i"
    static let npm = "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"
    static let gitlab = "glpat-ybbjf3qdp6vIlFMiUtRd"
    static let pypi = "pypi-AgEIcHlwaS5vcmcauM8GZuvDMdG4Qrq2llDchdyyMoQUwfOMN2BwCnMeO3ZarEquGh0KiF38PmvPl0I1spHdOAxVAY21RBPNphnhzsuPn8fIfA5sm4q2vWY_LKP3Ifwya73sqeQ4nqg_nezKffK_SpTILCnoksUyF43LX"
    static let serviceAccount = """
    {
      "type": "service_account",
      "project_id": "billing-prod-2231",
      "private_key_id": "ad47373b1aef77e2e291d6b57ec4b068a79a34d3",
      "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n",
      "client_email": "deployer@billing-prod-2231.iam.gserviceaccount.com"
    }
    """

    struct Fixture {
        let repo: GitRepo
        let otherID = FakeAWS.keyID()
        let otherSecret = FakeAWS.secret()

        init() throws {
            repo = try ReportFixture.repository()          // Ada, Bob, Carol; keyID removed from HEAD
            repo.authorName = "Dan Dev"
            repo.authorEmail = "dan@example.org"
            try repo.commit("more", [
                "app/.env": "SLACK_BOT_TOKEN=\(PlanTriageTests.slack)\nSTRIPE_SECRET_KEY=\(PlanTriageTests.stripe)\nGITLAB_TOKEN=\(PlanTriageTests.gitlab)\n",
                ".npmrc": "//registry.npmjs.org/:_authToken=\(PlanTriageTests.npm)\n",
                ".pypirc": "[pypi]\nusername = __token__\npassword = \(PlanTriageTests.pypi)\n",
                "gcp/key.json": PlanTriageTests.serviceAccount,
                "other/credentials": FakeAWS.credentials(otherID, otherSecret),
            ])
            // A later copy of the first key, by someone else, on a pull-request ref only.
            let main = try repo.git(["rev-parse", "HEAD"])
            try repo.git(["checkout", "-q", "-b", "pr"])
            repo.authorName = "Eve External"
            repo.authorEmail = "eve@example.org"
            try repo.commit("copy", ["deploy/credentials.bak": Secrets.credentials()])
            try repo.git(["update-ref", "refs/pull/7/head", "HEAD"])
            try repo.git(["checkout", "-q", "main"])
            try repo.git(["branch", "-D", "pr"])
            _ = main
        }

        var secrets: [String] {
            [Secrets.secretKey, Secrets.secretKey2, ReportFixture.sessionToken, Secrets.githubToken, PlanTriageTests.slack,
             PlanTriageTests.stripe, PlanTriageTests.npm, PlanTriageTests.gitlab, PlanTriageTests.pypi, otherSecret]
        }
    }

    @Test func triagePlan() throws {
        let fixture = try Fixture()
        let out = TempDirectory("keysweep-plan")
        let result = try Keysweep.run(["scan", fixture.repo.path, "-o", out.file("report.json"), "--format", "json",
                                       "--remediation", out.file("plan.md")])
        #expect(result.status == 1, "\(result.stderr)")
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)

        // Redacted by default: no secret in full; key ids whole (every command needs them).
        for secret in fixture.secrets { #expect(!markdown.contains(secret), "\(secret.prefix(8)) in the plan") }
        #expect(!markdown.contains("MIIEowIBAAKCAQEA"))
        #expect(markdown.contains(Secrets.keyID))
        #expect(markdown.contains("`xoxb…97Ps`"))

        // replacements.txt: beside the plan, 0600, every secret, never a key id.
        let replacements = try String(contentsOfFile: out.file("replacements.txt"), encoding: .utf8)
        let mode = try FileManager.default.attributesOfItem(atPath: out.file("replacements.txt"))[.posixPermissions] as! Int
        #expect(mode == 0o600)
        let lines = replacements.split(separator: "\n").map(String.init)
        for secret in fixture.secrets { #expect(lines.contains("\(secret)==>REMOVED"), "\(secret.prefix(8)) missing") }
        #expect(lines.contains(String(ReportFixture.pem.split(separator: "\n")[3]) + "==>REMOVED"), "a PEM block line by line")
        for id in [Secrets.keyID, Secrets.temporaryKeyID, fixture.otherID] { #expect(!replacements.contains(id)) }
        #expect(lines.allSatisfy { $0.hasSuffix("==>REMOVED") })
        #expect(!markdown.contains("printf"), "no per-key file writes")

        // Grouped by AWS account, committers named, CloudTrail's 90 days, purge refs.
        #expect(markdown.contains("## AWS account 619888638459"))
        #expect(markdown.contains("## AWS account 609629065308"))
        #expect(markdown.contains("## Other secrets"))
        #expect(markdown.contains("**Committed by:** Ada Lovelace <ada@example.org> (first commit, 2023-11-14); Eve External <eve@example.org> (1 later commit)"))
        #expect(markdown.contains("only the last 90 days"))
        #expect(markdown.contains("aws athena start-query-execution"))
        #expect(markdown.contains("## Purging git history"))
        #expect(markdown.contains("`refs/pull/7/head`"))
        #expect(markdown.contains("`tag v1.0`"))
        #expect(markdown.contains("forks"))

        // The JSON plan, from the report: ranks, accounts, provider steps.
        let json = try Keysweep.run(["remediate", out.file("report.json"), "--remediation", out.file("plan.json")])
        #expect(json.status == 1, "\(json.stderr)")
        let plan = try Plan.load(out.file("plan.json"))
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("plan.json")))) as! [String: Any]
        let accounts = raw["accounts"] as! [[String: Any]]
        #expect(Set(accounts.compactMap { $0["account"] as? String }).isSuperset(of: ["619888638459", "609629065308"]))
        #expect(raw["replacements_file"] as? String == "replacements.txt")
        let purge = raw["purge_refs"] as! [String: [String]]
        #expect(purge["pull_requests"] == ["refs/pull/7/head"])
        #expect(purge["tags"]?.contains("refs/tags/v1.0") == true)

        // Ranking: complete credentials in HEAD first; the key removed from HEAD after them; ids alone never first.
        let ranked = plan.rows.map(\.key)
        let inHead = try #require(ranked.firstIndex(of: fixture.otherID))
        let removed = try #require(ranked.firstIndex(of: Secrets.keyID))
        #expect(inHead < removed)
        #expect(plan.rows.first?.urgency.hasPrefix("complete") == true)

        func steps(_ provider: String) -> [Plan.Step] { plan.rows.first { $0.provider == provider }?.steps ?? [] }
        #expect(steps("GitHub").flatMap(\.commands).contains { $0.contains("https://api.github.com/credentials/revoke") })
        #expect(steps("Slack").flatMap(\.commands).contains { $0.contains("https://slack.com/api/auth.revoke") })
        #expect(steps("Stripe").contains { $0.detail?.contains("Roll key") == true })
        #expect(steps("npm").flatMap(\.commands).contains("npm token revoke TOKEN_ID"))
        #expect(steps("PyPI").contains { $0.detail?.contains("pypi.org/manage/account/token") == true })
        #expect(steps("GitLab").flatMap(\.commands).contains { $0.contains("/api/v4/personal_access_tokens/self") })
        #expect(plan.rows.contains { $0.rule == "google-service-account-key" && $0.steps.flatMap(\.commands).contains { $0.hasPrefix("gcloud iam service-accounts keys delete") } })
        #expect(steps("Private keys").contains { $0.detail?.contains("authorized_keys") == true })
        // The purge is the plan's one section, never a step of each row.
        #expect(!plan.rows.contains { row in row.steps.contains { $0.kind == "purge-history" } })

        // --show-secrets: the secrets are in the plan, which says so.
        let shown = try Keysweep.run(["remediate", out.file("report.json"), "--show-secrets", "--remediation", out.file("shown.md")])
        #expect(shown.status == 1)
        let shownText = try String(contentsOfFile: out.file("shown.md"), encoding: .utf8)
        #expect(shownText.contains(PlanTriageTests.slack))
        #expect(shownText.contains("do not forward it"))

        #expect(try String(contentsOfFile: out.file("replacements.txt"), encoding: .utf8) == replacements, "rewritten whole, not per key")
    }

    @Test func redactAndShowSecretsTogetherIsAnError() throws {
        let dir = TempDirectory()
        dir.write("report.json", "{}")
        let result = try Keysweep.run(["remediate", dir.file("report.json"), "--redact", "--show-secrets"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--redact and --show-secrets cannot be used together"))
    }

    /// replacements.txt is never written through a symbolic link planted beside the plan.
    @Test func replacementsNeverFollowASymlink() throws {
        let repo = try GitRepo()
        try repo.commit("token", ["t": "GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        let out = TempDirectory("keysweep-plan")
        try FileManager.default.createSymbolicLink(atPath: out.file("replacements.txt"), withDestinationPath: out.file("elsewhere"))
        let result = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.md")])
        #expect(result.status == 2)
        #expect(result.stderr.contains("replacements.txt"))
        #expect(!FileManager.default.fileExists(atPath: out.file("elsewhere")))
    }
}
