import Foundation
import Testing

/// `--format sarif`, `--format github` and `--fail-on`.
@Suite struct SARIFAndCITests {
    /// A repository where one key id occurs in two files (two occurrences) and a token in one.
    private func repository() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello\n"])
        try repo.commit("config", ["config/prod env.ini": "# prod\n" + Secrets.credentials()])
        try repo.commit("copy", ["deploy/copy.ini": "\n\n" + Secrets.credentials(), "ci.sh": "export GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        return repo
    }

    @Test func sarifIsValidAndHasOneResultPerFinding() throws {
        let repo = try repository()
        let (_, report) = try Keysweep.scanJSON([repo.path])
        for redact in [false, true] {
            let result = try Keysweep.run(["scan", repo.path, "--format", "sarif"] + (redact ? ["--redact"] : []))
            #expect(result.status == 1)
            #expect(try Workflow.sarifSchemaErrors(result.stdout) == nil)
            // SARIF never carries a secret in full; a key id is not one.
            for secret in [Secrets.secretKey, Secrets.githubToken] { #expect(!result.stdout.contains(secret)) }
            #expect(result.stdout.contains(Secrets.keyID))
            let log = try Workflow.json(result.stdout)
            #expect(log["version"] as? String == "2.1.0")
            let run = try #require((log["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            #expect(results.count == report.findings.count)
            let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
            #expect(Set(rules.compactMap { $0["id"] as? String }) == Set(report.findings.map(\.rule)))
            for rule in rules { #expect(((rule["help"] as? [String: Any])?["text"] as? String)?.isEmpty == false) }
            let keyFinding = try #require(report.finding(secret: Secrets.keyID))
            let keyResult = try #require(results.first { ($0["partialFingerprints"] as? [String: String])?["keysweepFinding/v1"] == keyFinding.id })
            #expect(keyResult["ruleId"] as? String == "aws-access-key-id")
            #expect(keyResult["level"] as? String == "error")
            let primary = try #require(((keyResult["locations"] as? [[String: Any]])?.first?["physicalLocation"]) as? [String: Any])
            #expect((primary["artifactLocation"] as? [String: Any])?["uri"] as? String == "config/prod%20env.ini")
            #expect((primary["region"] as? [String: Any])?["startLine"] as? Int == keyFinding.first.line)
            let related = try #require(keyResult["relatedLocations"] as? [[String: Any]])
            #expect(related.count == keyFinding.occurrences.count - 1)
            #expect(((related.first?["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"] as? String == "deploy/copy.ini")
        }
    }

    @Test func sarifOfACleanScanAndOfStdinIsValid() throws {
        let clean = try Keysweep.run(["scan", "-", "--format", "sarif"], stdin: Data("nothing here\n".utf8))
        #expect(clean.status == 0)
        #expect(try Workflow.sarifSchemaErrors(clean.stdout) == nil)
        let stdin = try Keysweep.run(["scan", "-", "--format", "sarif"], stdin: Data(Secrets.credentials().utf8))
        #expect(stdin.status == 1)
        #expect(try Workflow.sarifSchemaErrors(stdin.stdout) == nil)
        #expect(!stdin.stdout.contains(Secrets.secretKey))
        #expect(stdin.stdout.contains(Secrets.keyID), "a key id is not secret")
    }

    @Test func githubAnnotationsAreEscapedAndRedacted() throws {
        let repo = try GitRepo()
        try repo.commit("odd name", ["a,b:c%.env": "x=1\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let result = try Keysweep.run(["scan", repo.path, "--format", "github"])
        #expect(result.status == 1)
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("::error ") })
        #expect(line.hasPrefix("::error file=a%2Cb%3Ac%25.env,line=2,title=keysweep%3A aws-access-key-id [high]::"))
        #expect(line.contains(Secrets.keyID), "a key id is not secret")
    }

    @Test func failOnSetsTheThresholdOfTheExitStatus() throws {
        let dir = TempDirectory()
        dir.write("gitleaks.toml", """
            [[rules]]
            id = "internal-token"
            description = "Internal service token"
            regex = '''itk_[a-z0-9]{20}'''
            keywords = ["itk_"]
            """)
        dir.write("scan/app.env", "TOKEN=itk_a1b2c3d4e5f6g7h8i9j0\n")
        // Imported gitleaks rules are medium confidence.
        let medium = try Keysweep.run(["scan", dir.file("scan"), "--config", dir.file("gitleaks.toml"), "--fail-on", "high", "--format", "json"])
        #expect(medium.status == 0, "\(medium.stderr)")
        #expect(medium.stdout.contains("internal-token")) // still reported
        let failing = try Keysweep.run(["scan", dir.file("scan"), "--config", dir.file("gitleaks.toml"), "--fail-on", "medium"])
        #expect(failing.status == 1)
        dir.write("scan/keys.env", "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n")
        #expect(try Keysweep.run(["scan", dir.file("scan"), "--config", dir.file("gitleaks.toml"), "--fail-on", "high"]).status == 1)
        expectOneLineError(try Keysweep.run(["scan", dir.file("scan"), "--fail-on", "urgent"]), containing: "urgent")
        expectOneLineError(try Keysweep.run(["scan", dir.file("scan"), "--format", "xml"]), containing: "xml")
    }
}
