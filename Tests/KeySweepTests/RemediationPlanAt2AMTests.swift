import Foundation
import Testing

/// A plan someone can run at 2 AM: AWS key ids whole in every redacted output.
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
}
