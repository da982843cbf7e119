import Foundation
import Testing

/// `--verify` answers in the reports themselves (text, JSON, SARIF), checked against a real
/// moto server with authentication on; a JSON report read back (`remediate`) keeps them.
@Suite struct VerificationReportTests {
    @Test func reportsCarryVerification() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let output = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        iam.create_user(UserName="leaky")
        key = iam.create_access_key(UserName="leaky")["AccessKey"]
        print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
        """)
        let key = try JSONDecoder().decode([String].self, from: Data(output.utf8))
        try moto.enableAuthentication()
        let unknown = FakeAWS.keyID()
        let repo = try GitRepo()
        try repo.commit("live", ["live/credentials": FakeAWS.credentials(key[0], key[1])])
        try repo.commit("gone", ["old/credentials": FakeAWS.credentials(unknown, FakeAWS.secret())])
        let env = ["AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_STS": ""]
        let verify = ["--verify", "--sts-endpoint", moto.url]
        let out = TempDirectory("keysweep-verified")

        // JSON: each finding of a credential (id and secret) carries the answer.
        let json = try Keysweep.run(["scan", repo.path, "--format", "json", "-o", out.file("report.json")] + verify, environment: env)
        #expect(json.status == 1, "\(json.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("report.json")))) as! [String: Any]
        let findings = report["findings"] as! [[String: Any]]
        func verification(_ secret: String) -> [String: Any]? {
            findings.first { $0["secret"] as? String == secret }?["verification"] as? [String: Any]
        }
        let live = try #require(verification(key[0]))
        #expect(live["state"] as? String == "live")
        #expect(live["verdict"] as? String == "live")
        #expect(live["arn"] as? String == "arn:aws:iam::123456789012:user/leaky")
        #expect(live["account"] as? String == "123456789012")
        #expect(live["principal_name"] as? String == "leaky")
        let checkedAt = try #require(live["checked_at"] as? String)
        #expect(checkedAt.hasSuffix("Z") && checkedAt.count == 20)
        #expect(verification(key[1])?["state"] as? String == "live", "the secret's finding too")
        let gone = try #require(verification(unknown))
        #expect(gone["state"] as? String == "revoked")
        #expect(gone["verdict"] as? String == "unknown-id")

        // SARIF: in the result's properties and message; a live credential is an error.
        let sarif = try Keysweep.run(["scan", repo.path, "--format", "sarif"] + verify, environment: env)
        let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as! [String: Any]
        let results = ((log["runs"] as! [[String: Any]])[0]["results"] as! [[String: Any]])
        let liveResult = try #require(results.first { (($0["message"] as? [String: Any])?["text"] as? String)?.contains("verified live as arn:aws:iam::123456789012:user/leaky") == true })
        #expect(liveResult["level"] as? String == "error")
        let properties = try #require(liveResult["properties"] as? [String: Any])
        #expect((properties["verification"] as? [String: Any])?["state"] as? String == "live")
        #expect(!sarif.stdout.contains(key[1]), "no secret in SARIF")

        // Text: the verdict line.
        let text = try Keysweep.run(["scan", repo.path, "--no-color"] + verify, environment: env)
        #expect(text.stdout.hasPrefix("2 AWS keys leaked, 2 complete credentials, 1 live, 1 revoked\n"), "\(text.stdout)")
        #expect(text.stdout.contains("verdict:  live: arn:aws:iam::123456789012:user/leaky, checked "))
        #expect(text.stdout.contains("verdict:  revoked (STS does not know the key id)"))

        // Read back without asking STS again (moto is gone): the plan keeps the answers.
        moto.stop()
        let plan = try Keysweep.run(["remediate", out.file("report.json"), "--remediation", out.file("plan.json")])
        #expect(plan.status == 1, "\(plan.stderr)")
        let decoded = try Plan.load(out.file("plan.json"))
        #expect(decoded.verified)
        #expect(decoded.row(key[0])?.verification?.verdict == "live")
        #expect(decoded.row(key[0])?.verification?.arn == "arn:aws:iam::123456789012:user/leaky")
        #expect(decoded.row(key[0])?.urgency == "live")
        #expect(decoded.row(unknown)?.verification?.verdict == "unknown-id")
    }
}
