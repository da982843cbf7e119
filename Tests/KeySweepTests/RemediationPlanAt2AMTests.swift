import Foundation
import Testing

/// A plan someone can run at 2 AM: AWS key ids whole in every redacted output, plans of text
/// from standard input or disk that say where it was (no HEAD, no purge), branches that are
/// branches, an empty plan in one line.
@Suite struct RemediationPlanAt2AMTests {
    /// `--redact` keeps the key id whole in every format, and the plan's commands run with it;
    /// the secret never shows. `remediate --verify` of the redacted report says what it needs.
    @Test func redactKeepsAWSKeyIDsWhole() throws {
        let repo = try GitRepo()
        let id = FakeAWS.keyID(), secret = FakeAWS.secret()
        try repo.commit("keys", ["config/credentials": FakeAWS.credentials(id, secret)])
        let out = TempDirectory("keysweep-redact")
        for format in ["text", "json", "sarif", "github", "html"] {
            let result = try Keysweep.run(["scan", repo.path, "--redact", "--format", format])
            #expect(result.status == 1, "\(format): \(result.stderr)")
            #expect(result.stdout.contains(id), "\(format): the key id is not whole")
            #expect(!result.stdout.contains(secret), "\(format): the secret is in full")
        }
        let scan = try Keysweep.run(["scan", repo.path, "--redact", "--format", "json", "-o", out.file("report.json"),
                                     "--remediation", out.file("plan.md")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.contains("aws iam update-access-key --user-name \"$IAM_USER\" --access-key-id \(id) --status Inactive"))
        #expect(!markdown.contains(secret))

        let sts = try CannedSTS { _ in CannedSTS.error(400, code: "AccessDenied", message: "never asked") }
        defer { sts.stop() }
        let verified = try Keysweep.run(["remediate", out.file("report.json"), "--redact", "--verify", "--sts-endpoint", sts.url,
                                         "--remediation", out.file("plan.json")])
        #expect(verified.status == 1, "\(verified.stderr)")
        let row = try #require(try Plan.load(out.file("plan.json")).row(id))
        #expect(row.verification?.verdict == "not-checked")
        #expect(row.verification?.reason == "the report is redacted: the secret is needed; rescan, or use a report written without --redact")
        #expect(sts.requests.isEmpty)
    }

    /// Standard input and a directory: where the text was, never HEAD, refs or a purge; the
    /// CloudTrail commands run (no placeholder date cut, no start time after the leak).
    @Test func plansOfTextOutsideGitSayWhereItWas() throws {
        let id = FakeAWS.keyID(), secret = FakeAWS.secret()
        let out = TempDirectory("keysweep-stdin-plan")
        let stdin = try Keysweep.run(["scan", "-", "--remediation", out.file("stdin.md")], stdin: Data(FakeAWS.credentials(id, secret).utf8))
        #expect(stdin.status == 1, "\(stdin.stderr)")
        out.write("dir/credentials", FakeAWS.credentials(id, secret))
        let dir = try Keysweep.run(["scan", out.file("dir"), "--remediation", out.file("dir.json")])
        #expect(dir.status == 1, "\(dir.stderr)")

        let markdown = try String(contentsOfFile: out.file("stdin.md"), encoding: .utf8)
        #expect(markdown.contains("**Found in:** standard input, line 2 (not in git history)"))
        #expect(markdown.contains("`\(id)` — complete, outside git\n"))
        for never in ["In HEAD", "Ref tips", "Purging git history", "filter-repo", "<first lea'"] {
            #expect(!markdown.contains(never), "\(never) in the plan of standard input")
        }
        #expect(markdown.contains("eventtime >= '<first leak date>'"))
        #expect(!FileManager.default.fileExists(atPath: out.file("replacements.txt")))

        let plan = try Plan.load(out.file("dir.json"))
        let row = try #require(plan.row(id))
        #expect(!row.steps.contains { $0.kind == "purge-history" })
        let lookup = try #require(row.commands.first { $0.contains("lookup-events --region") })
        #expect(!lookup.contains("--start-time"), "CloudTrail's whole event history, not what followed the scan: \(lookup)")
    }

    /// What the plan says of a wrong secret and of a secret found without its id.
    @Test func wrongAndStraySecretsSayWhatIsKnown() throws {
        let id = FakeAWS.keyID()
        let sts = try CannedSTS { _ in
            CannedSTS.error(403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided.")
        }
        defer { sts.stop() }
        let out = TempDirectory("keysweep-wrong-secret")
        let wrong = try Keysweep.run(["scan", "-", "--verify", "--sts-endpoint", sts.url, "--remediation", out.file("wrong.json")],
                                     stdin: Data(FakeAWS.credentials(id, FakeAWS.secret()).utf8))
        #expect(wrong.status == 1, "\(wrong.stderr)")
        let note = try #require(try Plan.load(out.file("wrong.json")).row(id)?.steps.first)
        #expect(note.detail?.contains("belongs to another key id") == true, "\(note)")
        #expect(note.detail?.contains("rotated in place") == false)

        let stray = try Keysweep.run(["scan", "-", "--remediation", out.file("stray.json")],
                                     stdin: Data("aws_secret_access_key = \(FakeAWS.secret())\n".utf8))
        #expect(stray.status == 1, "\(stray.stderr)")
        let row = try #require(try Plan.load(out.file("stray.json")).rows.first { $0.rule == "aws-secret-access-key" })
        #expect(row.steps.first?.title == "List each user's keys: keysweep found no key id near this secret")
    }

    /// Remote-tracking refs are not branches to force-push; the purge is said once for the plan.
    @Test func purgeSectionListsLocalBranchesOnceAndRemoteTrackingApart() throws {
        let origin = try GitRepo()
        try origin.commit("keys", ["a/credentials": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret()),
                                   "b/credentials": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret())])
        let out = TempDirectory("keysweep-purge-refs")
        _ = try origin.git(["clone", "-q", origin.path, out.file("clone")])
        let result = try Keysweep.run(["scan", out.file("clone"), "--remediation", out.file("plan.md")])
        #expect(result.status == 1, "\(result.stderr)")
        _ = try Keysweep.run(["scan", out.file("clone"), "--remediation", out.file("plan.json")])
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.contains("- **Branches to force-push:** `main`\n"), "\(markdown)")
        #expect(markdown.contains("- **Remote-tracking refs**"))
        #expect(markdown.components(separatedBy: "Rewriting history never un-leaks").count == 2, "the purge warning once")
        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("plan.json")))) as! [String: Any]
        let refs = raw["purge_refs"] as! [String: [String]]
        #expect(refs["branches"] == ["refs/heads/main"])
        #expect(refs["remote_tracking"]?.contains("refs/remotes/origin/main") == true)
        let rows = raw["rows"] as! [[String: Any]]
        #expect(!rows.contains { row in (row["steps"] as! [[String: Any]]).contains { $0["kind"] as? String == "purge-history" } })
    }

    @Test func anEmptyPlanIsOneLine() throws {
        let repo = try GitRepo()
        try repo.commit("clean", ["README": "nothing here\n"])
        let out = TempDirectory("keysweep-empty-plan")
        let scan = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.md")])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(try String(contentsOfFile: out.file("plan.md"), encoding: .utf8) == "# Remediation plan\n\nNothing to rotate: no secrets found.\n")
    }
}
