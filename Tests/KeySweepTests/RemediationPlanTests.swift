import Foundation
import Testing

/// The remediation plan for a repository with a mix of cases, checked row by row; the same plan
/// from `keysweep remediate` on a JSON report; Markdown; redaction; bad input.
@Suite struct RemediationPlanTests {
    struct Mix {
        let repo: GitRepo
        let live = FakeAWS.keyID(), head = FakeAWS.keyID(), feature = FakeAWS.keyID()
        let tagged = FakeAWS.keyID(), removed = FakeAWS.keyID(), idOnly = FakeAWS.keyID()
        let canary = "AKIASP2TPHJSQH3FJRUX"
        let placeholder = "AKIAIOSFODNN7EXAMPLE"
        var commits: [String: String] = [:]

        init() throws {
            repo = try GitRepo()
            commits["c1"] = try repo.commit("add config", [
                "live/credentials": FakeAWS.credentials(live, FakeAWS.secret()),
                "head/credentials": FakeAWS.credentials(head, FakeAWS.secret()),
            ])
            commits["c2"] = try repo.commit("add old key", ["removed/credentials": FakeAWS.credentials(removed, FakeAWS.secret())])
            commits["c3"] = try repo.commit("remove old key", remove: ["removed/credentials"])
            commits["c4"] = try repo.commit("release key", ["tagged/credentials": FakeAWS.credentials(tagged, FakeAWS.secret())])
            try repo.git(["tag", "v1.0"])
            commits["c5"] = try repo.commit("remove release key", remove: ["tagged/credentials"])
            // Alone in its commit: an id next to no secret-shaped value (same-commit pairing would
            // otherwise pair it with a secret from another file of the commit).
            commits["c6"] = try repo.commit("document the upload key", ["docs/ids.txt": "the build uploads with key id \(idOnly)\n"])
            commits["c6b"] = try repo.commit("misc", [
                "canary/credentials": FakeAWS.credentials(canary, FakeAWS.secret()),
                "docs/example.ini": "aws_access_key_id = \(placeholder)\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
                "ci/token": "GITHUB_TOKEN=\(Secrets.githubToken)\n",
            ])
            try repo.git(["checkout", "-q", "-b", "feature"])
            commits["c7"] = try repo.commit("feature key", ["feature/credentials": FakeAWS.credentials(feature, FakeAWS.secret())])
            try repo.git(["checkout", "-q", "main"])
        }
    }

    /// Canned STS: the live key is live; every other call gets an answer that is no verdict.
    static func server(live: String) throws -> CannedSTS {
        try CannedSTS { id in
            id == live
                ? CannedSTS.ok(arn: "arn:aws:iam::222233334444:user/dave", account: "222233334444", userID: "AIDADAVE")
                : CannedSTS.error(400, code: "AccessDenied", message: "not in this test")
        }
    }

    func checkMix(_ plan: Plan, _ mix: Mix, verified: Bool, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let keys = plan.rows.map(\.key)
        // Live first, then complete credentials by exposure (in HEAD, on more refs, longer), the
        // provider never deciding: the GitHub token in HEAD (main and feature) comes before the
        // AWS keys only at a branch or tag tip.
        let token = "ghp_…m1IL"
        if verified {
            #expect(Array(keys.prefix(7)) == [mix.live, mix.head, token, mix.feature, mix.tagged, mix.removed, mix.idOnly],
                    "order: \(keys)", sourceLocation: sourceLocation)
        } else {
            // Unverified, the two keys of the first commit tie: both are complete, in HEAD, on three refs.
            #expect(Set(keys.prefix(2)) == [mix.live, mix.head], "order: \(keys)", sourceLocation: sourceLocation)
            #expect(Array(keys.dropFirst(2).prefix(5)) == [token, mix.feature, mix.tagged, mix.removed, mix.idOnly],
                    "order: \(keys)", sourceLocation: sourceLocation)
        }
        #expect(plan.rows.map(\.rank) == Array(1...plan.rows.count), sourceLocation: sourceLocation)
        #expect(plan.refs_checked, sourceLocation: sourceLocation)

        let live = try #require(plan.row(mix.live))
        #expect(live.urgency == (verified ? "live" : "complete, in HEAD or a branch tip"))
        #expect(live.leaked == "id + secret" && live.complete)
        #expect(live.exposure.in_head)
        #expect(live.exposure.ref_tips == ["refs/heads/feature", "refs/heads/main", "refs/tags/v1.0"])
        #expect(live.exposure.removed_by == nil)
        #expect(live.exposure.first?.commit == mix.commits["c1"])
        #expect(live.exposure.first?.author == "Ada Lovelace <ada@example.org>")
        #expect(live.exposure.exposed_since == "2023-11-14")
        if verified {
            #expect(live.verification?.verdict == "live")
            #expect(live.account == "222233334444")
            #expect(live.commands.contains("aws iam update-access-key --user-name dave --access-key-id \(mix.live) --status Inactive"))
        } else {
            #expect(live.verification == nil)
            #expect(live.commands.contains("aws iam update-access-key --user-name \"$IAM_USER\" --access-key-id \(mix.live) --status Inactive"))
        }
        #expect(live.commands.contains { $0.contains("cloudtrail lookup-events") && $0.contains("AttributeValue=\(mix.live)") && $0.contains("--start-time 2023-11-14T") })

        let head = try #require(plan.row(mix.head))
        #expect(head.urgency == "complete, in HEAD or a branch tip")
        #expect(head.exposure.in_head)
        #expect(head.type == "long-term user key")
        #expect(head.account?.count == 12)
        if verified { #expect(head.verification?.verdict == "could-not-check") }

        let feature = try #require(plan.row(mix.feature))
        #expect(feature.urgency == "complete, in HEAD or a branch tip")
        #expect(!feature.exposure.in_head)
        #expect(feature.exposure.ref_tips == ["refs/heads/feature"])
        #expect(feature.exposure.removed_by == nil, "never on main")
        #expect(feature.exposure.first?.commit == mix.commits["c7"])

        let tagged = try #require(plan.row(mix.tagged))
        #expect(tagged.urgency == "complete, at a tag tip")
        #expect(!tagged.exposure.in_head)
        #expect(tagged.exposure.ref_tips == ["refs/tags/v1.0"])
        #expect(tagged.exposure.removed_by?.commit == mix.commits["c5"])
        #expect(tagged.exposure.default_branch == "refs/heads/main")

        let removed = try #require(plan.row(mix.removed))
        #expect(removed.urgency == "complete, history only")
        #expect(!removed.exposure.in_head)
        #expect(removed.exposure.ref_tips == [])
        #expect(removed.exposure.removed_by?.commit == mix.commits["c3"])
        #expect(removed.exposure.removed_by?.author == "Ada Lovelace <ada@example.org>")
        #expect(removed.exposure.first?.commit == mix.commits["c2"])
        #expect(removed.exposure.commits == 1 && removed.exposure.paths == ["removed/credentials"])

        let idOnly = try #require(plan.row(mix.idOnly))
        #expect(idOnly.urgency == "key id only")
        #expect(idOnly.leaked == "id only" && !idOnly.complete)
        #expect(idOnly.secret_finding == nil)
        if verified { #expect(idOnly.verification?.verdict == "not-checked") }

        let github = try #require(plan.rows.first { $0.rule.hasPrefix("github-") })
        #expect(github.provider == "GitHub")
        #expect(github.key == "ghp_…m1IL", "redacted by default")
        #expect(github.rank == 3)
        #expect(github.commands.contains { $0.contains("https://api.github.com/credentials/revoke") })

        let canary = try #require(plan.row(mix.canary))
        #expect(canary.rank == 8)
        #expect(canary.canary && canary.urgency == "canary")
        #expect(canary.account == "171436882533")
        #expect(canary.commands.isEmpty, "nothing to run against a canary")
        if verified { #expect(canary.verification?.verdict == "not-checked") }

        let placeholders = plan.rows.filter(\.placeholder)
        #expect(placeholders.contains { $0.key == mix.placeholder })
        #expect(plan.rows.suffix(placeholders.count).allSatisfy { $0.placeholder }, "placeholders last")
        #expect(placeholders.allSatisfy { $0.urgency == "placeholder" })
    }

    @Test func mixedRepositoryRowByRow() throws {
        let mix = try Mix()
        let server = try Self.server(live: mix.live)
        defer { server.stop() }
        let out = TempDirectory("keysweep-plan")
        let result = try Keysweep.run(["scan", mix.repo.path, "--include-placeholders", "--verify", "--sts-endpoint", server.url,
                                       "--remediation", out.file("plan.json"), "-o", out.file("report.json"), "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        let plan = try Plan.load(out.file("plan.json"))
        try checkMix(plan, mix, verified: true)
        #expect(!server.requests.contains { $0.keyID == mix.canary || $0.keyID == mix.placeholder || $0.keyID == mix.idOnly })

        // The same facts without rescanning, from the JSON report (no --verify: no network call);
        // the report carries the scan's verification, so the plan is the verified one.
        let before = server.requests.count
        let again = try Keysweep.run(["remediate", out.file("report.json"), "--remediation", out.file("plan2.json")], cwd: out.path)
        #expect(again.status == 1, "\(again.stderr)")
        try checkMix(try Plan.load(out.file("plan2.json")), mix, verified: true)
        #expect(server.requests.count == before)
    }

    /// Credentials paired in their rule files (not AWS): an id with its part is complete, an id
    /// alone is an id only.
    @Test func ruleDeclaredPairsMakeCompleteCredentials() throws {
        let repo = try GitRepo()
        try repo.commit("monitoring", [
            "datadog.env": "DD_API_KEY=85af44ab2001e48eabbbc5a2f5960221\nDD_APP_KEY=4cc06b5b19d48c89d4ce8346a7c0f54611234df7\n",
            "search.env": "ALGOLIA_APP_ID=K6ZQ4TIUFE\n",
        ])
        let out = TempDirectory("keysweep-plan")
        let result = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.json")])
        #expect(result.status == 1, "\(result.stderr)")
        let plan = try Plan.load(out.file("plan.json"))
        let datadog = try #require(plan.rows.first { $0.rule == "datadog-api-key" })
        #expect(datadog.complete && datadog.leaked == "id + application_key")
        #expect(datadog.urgency == "complete, in HEAD or a branch tip")
        let algolia = try #require(plan.rows.first { $0.rule == "algolia-application-id" })
        #expect(!algolia.complete && algolia.leaked == "id only")
        #expect(algolia.urgency == "key id only")
    }

    /// The report carries the ref facts: `remediate` on the JSON report of a repository deleted
    /// since gives the plan made during the scan (ref tips, removing commits, everything but the
    /// time it was made).
    @Test func remediateAfterTheRepositoryIsGone() throws {
        let mix = try Mix()
        let out = TempDirectory("keysweep-plan")
        let scan = try Keysweep.run(["scan", mix.repo.path, "--include-placeholders", "--remediation", out.file("during.json"),
                                     "-o", out.file("report.json"), "--format", "json"])
        #expect(scan.status == 1, "\(scan.stderr)")
        try FileManager.default.removeItem(atPath: mix.repo.path)
        let after = try Keysweep.run(["remediate", out.file("report.json"), "--remediation", out.file("after.json")], cwd: out.path)
        #expect(after.status == 1, "\(after.stderr)")
        try checkMix(try Plan.load(out.file("after.json")), mix, verified: false)
        // Everything but the time the plan was made (also written into the session-revoking commands).
        func facts(_ name: String) throws -> NSDictionary {
            var text = try String(contentsOfFile: out.file(name), encoding: .utf8)
            let generated = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])["generated"] as? String
            text = text.replacingOccurrences(of: try #require(generated), with: "NOW")
            return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
        }
        #expect(try facts("during.json") == facts("after.json"), "the plan from the report differs from the scan's")

        // A report written before ref facts were recorded still makes a plan, saying refs are unknown;
        // a rule the current rules do not know is carried as the report names it.
        var report = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("report.json")))) as? [String: Any])
        var findings = try #require(report["findings"] as? [[String: Any]])
        for index in findings.indices {
            findings[index]["refs"] = nil
            if findings[index]["secret"] as? String == Secrets.githubToken {
                findings[index]["rule"] = "my-own-token"
                findings[index]["description"] = "A token of my own"
                findings[index]["provider"] = "Mine"
            }
        }
        report["findings"] = findings
        out.write("old.json", try JSONSerialization.data(withJSONObject: report))
        let old = try Keysweep.run(["remediate", out.file("old.json"), "--remediation", out.file("old-plan.json")], cwd: out.path)
        #expect(old.status == 1, "\(old.stderr)")
        let plan = try Plan.load(out.file("old-plan.json"))
        #expect(!plan.refs_checked)
        #expect(Set(plan.rows.map(\.key)) == Set(try Plan.load(out.file("after.json")).rows.map(\.key)))
        #expect(plan.row(mix.removed)?.exposure.ref_tips == nil && plan.row(mix.removed)?.exposure.removed_by == nil)
        let mine = try #require(plan.rows.first { $0.finding == github(in: out.file("report.json")) })
        #expect(mine.rule == "my-own-token" && mine.type == "A token of my own")
    }

    /// The finding id of the GitHub token in a JSON report.
    func github(in path: String) -> String? {
        let report = try? JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        return (report?["findings"] as? [[String: Any]])?.first { $0["secret"] as? String == Secrets.githubToken }?["id"] as? String
    }

    /// A history the cache replays (no ref moved) gets the same ref facts as the walk that filled it.
    @Test func refFactsAfterACacheReplay() throws {
        let mix = try Mix()
        let out = TempDirectory("keysweep-plan")
        let first = try Keysweep.run(["scan", mix.repo.path, "--cache", out.file("cache"), "--format", "json"])
        let second = try Keysweep.run(["scan", mix.repo.path, "--cache", out.file("cache"), "--format", "json"])
        #expect(first.status == 1 && second.status == 1, "\(first.stderr)\(second.stderr)")
        func refs(_ data: Data) throws -> [String: NSObject] {
            let report = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
            let findings = try #require(report["findings"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: findings.map { ($0["id"] as! String, ($0["refs"] ?? NSNull()) as! NSObject) })
        }
        let walked = try refs(first.stdoutData), replayed = try refs(second.stdoutData)
        #expect(!walked.isEmpty && walked == replayed)
        #expect(second.stdout.contains("\"cached_blobs\" : 0") == false, "the second scan replays the cache")
    }

    @Test func markdownPlan() throws {
        let mix = try Mix()
        let out = TempDirectory("keysweep-plan")
        let result = try Keysweep.run(["scan", mix.repo.path, "--include-placeholders", "--remediation", out.file("plan.md")])
        #expect(result.status == 1, "\(result.stderr)")
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("# Remediation plan\n"))
        #expect(markdown.contains("Not verified (no `--verify`): no network call was made."))
        #expect(markdown.contains("| # | urgency | can do | provider | key | type | account | leaked | exposure | committed by | verification |"))
        let tableRows = markdown.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| #") }
        #expect(tableRows.prefix(2).contains { $0.contains("`\(mix.head)`") })
        #expect(tableRows.contains { $0.contains("`\(mix.tagged)`") && $0.contains("tips: tag v1.0") })
        #expect(markdown.contains("`\(mix.head)` — complete, in HEAD or a branch tip\n"))
        #expect(markdown.contains("**Removed from main by:** `\(mix.commits["c3"]!.prefix(12))`"))
        #expect(markdown.contains("(CANARY: do not use)"))
        #expect(markdown.contains("(PLACEHOLDER)"))
        #expect(markdown.contains("```sh\n   aws iam update-access-key --user-name \"$IAM_USER\" --access-key-id \(mix.head) --status Inactive"))

        // --redact: no secret in full anywhere in the plan; key ids (not secret) whole, for the commands.
        let redacted = try Keysweep.run(["scan", mix.repo.path, "--redact", "--remediation", out.file("redacted.md")])
        #expect(redacted.status == 1)
        let text = try String(contentsOfFile: out.file("redacted.md"), encoding: .utf8)
        #expect(!text.contains(Secrets.githubToken), "the token in the redacted plan")
        for key in [mix.live, mix.head, mix.tagged, mix.removed, mix.idOnly] {
            #expect(text.contains("--access-key-id \(key)"), "\(key) not whole in the redacted plan")
        }
    }

    @Test func remediateFromAStdoutReportAndNothingFound() throws {
        let repo = try GitRepo()
        try repo.commit("clean", ["README": "nothing here\n"])
        let out = TempDirectory("keysweep-plan")
        let report = try Keysweep.run(["scan", repo.path, "--format", "json"])
        #expect(report.status == 0)
        out.write("report.json", report.stdoutData)
        let plan = try Keysweep.run(["remediate", out.file("report.json")])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("Nothing to rotate"))
    }

    // MARK: bad input: one line on stderr, status 2

    @Test func remediateMissingFile() throws {
        expectOneLineError(try Keysweep.run(["remediate", "/nonexistent/report.json"]), containing: "/nonexistent/report.json: no such file or directory")
    }

    @Test func remediateNotJSON() throws {
        let dir = TempDirectory()
        dir.write("report.json", "this is not json\n{")
        expectOneLineError(try Keysweep.run(["remediate", dir.file("report.json")]), containing: "not a JSON object")
        dir.write("other.json", #"{"hello": "world"}"#)
        expectOneLineError(try Keysweep.run(["remediate", dir.file("other.json")]), containing: "not a keysweep JSON report")
    }

    @Test func remediateWrongVersion() throws {
        let dir = TempDirectory()
        dir.write("report.json", #"{"version": 2, "targets": [], "findings": []}"#)
        expectOneLineError(try Keysweep.run(["remediate", dir.file("report.json")]), containing: "report version 2 is not supported")
    }

    @Test func remediateMalformedFinding() throws {
        let dir = TempDirectory()
        dir.write("report.json", #"{"version": 1, "targets": [], "findings": [{"id": "x"}]}"#)
        expectOneLineError(try Keysweep.run(["remediate", dir.file("report.json")]), containing: "malformed report")
    }

    @Test func badEndpointFailsBeforeScanning() throws {
        let repo = try GitRepo()
        try repo.commit("k", ["credentials": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret())])
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--verify", "--sts-endpoint", "ftp://nowhere"]), containing: "is not an http(s) endpoint URL")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--verify", "--verify-timeout", "0"]), containing: "--verify-timeout")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--sts-endpoint", "http://127.0.0.1:9"]), containing: "--sts-endpoint needs --verify")
    }

    @Test func unwritablePlanIsAOneLineError() throws {
        let repo = try GitRepo()
        try repo.commit("k", ["credentials": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret())])
        let before = try repo.git(["status", "--porcelain", "--ignored"])
        let out = TempDirectory()
        // scan: the report is out already when the plan cannot be written; the status says so.
        let scan = try Keysweep.run(["scan", repo.path, "--format", "json", "--remediation", out.file("no/such/dir/plan.md")])
        #expect(scan.status == 2)
        #expect(scan.stderr.split(separator: "\n").count == 1)
        #expect(scan.stderr.hasPrefix("keysweep: cannot write \(out.file("no/such/dir/plan.md"))"), "\(scan.stderr)")
        #expect(try repo.git(["status", "--porcelain", "--ignored"]) == before, "nothing written to the scanned repository")

        let report = try Keysweep.run(["scan", repo.path, "--format", "json"])
        out.write("report.json", report.stdoutData)
        expectOneLineError(try Keysweep.run(["remediate", out.file("report.json"), "--remediation", out.file("no/such/dir/plan.json")]),
                           containing: "cannot write \(out.file("no/such/dir/plan.json"))")
    }
}
