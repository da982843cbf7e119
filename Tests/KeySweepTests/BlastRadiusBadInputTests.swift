import Foundation
import Testing

/// Bad input to `--blast-radius`, `--iam-snapshot`, `aws-snapshot` and `contain`: one line naming
/// the problem, exit status 2, no network call and nothing written to the scanned repository.
@Suite struct BlastRadiusBadInputTests {
    /// No audit credentials anywhere the chain looks.
    static var bare: [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("AWS_") { env.removeValue(forKey: key) }
        env["AWS_SHARED_CREDENTIALS_FILE"] = "/nonexistent/credentials"
        env["AWS_CONFIG_FILE"] = "/nonexistent/config"
        env["HOME"] = "/nonexistent"
        return env
    }

    @Test func flagsAndFilesThatCannotWork() throws {
        let repo = try GitRepo()
        try repo.commit("key", ["creds": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret())])
        let before = try repo.snapshot()
        let dir = TempDirectory("keysweep-blast-bad")
        try "{\"findings\": []}".write(toFile: dir.file("report.json"), atomically: true, encoding: .utf8)
        try String(repeating: "[", count: 100_000).write(toFile: dir.file("deep.json"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["scan", repo.path, "--blast-radius"], "no AWS credentials for --blast-radius"),
            (["scan", repo.path, "--iam-snapshot", dir.file("missing.json")], "missing.json: no such file or directory"),
            (["scan", repo.path, "--iam-snapshot", dir.file("report.json")], "not a keysweep AWS snapshot"),
            (["scan", repo.path, "--iam-snapshot", dir.file("deep.json")], "nests deeper than"),
            (["scan", repo.path, "--iam-snapshot", dir.path], "is a directory, not an AWS snapshot"),
            (["scan", repo.path, "--cloudtrail-region", "eu-west-1"], "--cloudtrail-region needs --blast-radius"),
            (["scan", repo.path, "--blast-radius", "--cloudtrail-region", "eu west\u{1B}[2J"], "is not an AWS Region name"),
            (["scan", repo.path, "--blast-radius", "--iam-snapshot", dir.file("report.json")], "use one"),
            (["aws-snapshot", "-o", dir.file("out.json")], "no AWS credentials"),
            (["contain", "not-a-finding"], "is not an AWS key id"),
            (["contain", "0123456789abcdef", "--report", dir.file("report.json")], "not a keysweep JSON report"),
            (["contain", FakeAWS.keyID(), "--timeout", "-3"], "--timeout"),
        ]
        for (arguments, message) in cases {
            let result = try Keysweep.run(arguments, environment: Self.bare)
            expectOneLineError(result, containing: message)
            #expect(!result.stderr.contains("\u{1B}"), "raw escape in: \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.json")))
        #expect(try repo.snapshot() == before)
    }

    /// `contain` refuses a key id redacted by an older keysweep (today's `--redact` keeps ids
    /// whole) and a temporary key: neither can be deactivated.
    @Test func containNeedsAWholeLongTermKeyID() throws {
        let repo = try GitRepo()
        let temporary = FakeAWS.keyID(prefix: "ASIA")
        try repo.commit("keys", ["a/creds": FakeAWS.credentials(FakeAWS.keyID(), FakeAWS.secret()),
                                 "b/creds": "aws_access_key_id = \(temporary)\n"])
        let dir = TempDirectory("keysweep-contain-bad")
        _ = try Keysweep.run(["scan", repo.path, "--format", "json", "--redact", "--output", dir.file("redacted.json")])
        // As an older keysweep wrote it: the long-term key id cut to its ends.
        var text = try String(contentsOfFile: dir.file("redacted.json"), encoding: .utf8)
        let longTerm = try #require(text.range(of: #"AKIA[A-Z2-7]{16}"#, options: .regularExpression))
        let wholeID = String(text[longTerm])
        text = text.replacingOccurrences(of: wholeID, with: wholeID.prefix(4) + "…" + wholeID.suffix(4))
        try text.write(toFile: dir.file("redacted.json"), atomically: true, encoding: .utf8)
        _ = try Keysweep.run(["scan", repo.path, "--format", "json", "--output", dir.file("whole.json")])
        struct Finding: Decodable { var id: String; var rule: String; var secret: String }
        struct Report: Decodable { var findings: [Finding] }
        let redacted = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: dir.file("redacted.json"))))
        let id = try #require(redacted.findings.first { $0.rule == "aws-access-key-id" && $0.secret.hasPrefix("AKIA") }?.id)
        expectOneLineError(try Keysweep.run(["contain", id, "--report", dir.file("redacted.json")], environment: Self.bare),
                           containing: "the report is redacted")
        let whole = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: dir.file("whole.json"))))
        let temp = try #require(whole.findings.first { $0.secret == temporary }?.id)
        expectOneLineError(try Keysweep.run(["contain", temp, "--report", dir.file("whole.json")], environment: Self.bare),
                           containing: "only long-term user keys can be deactivated")
    }
}
