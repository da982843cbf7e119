import Foundation
import Testing

/// Inline `keysweep:allow`, `.keysweepignore` and `keysweep ignore`, `--baseline`, `--report-unused-ignores`.
@Suite struct SuppressionTests {
    @Test func inlineAllowCommentSuppressesItsLineOnly() throws {
        let repo = try GitRepo()
        try repo.commit("config", ["test.env": """
            AWS_ACCESS_KEY_ID=\(Secrets.keyID)  # keysweep:allow test fixture
            GITHUB_TOKEN=\(Secrets.githubToken)

            """])
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1)
        #expect(report.finding(secret: Secrets.keyID) == nil)
        #expect(report.finding(secret: Secrets.githubToken) != nil)
    }

    @Test func inlineAllowWithAnIDDoesNotHideADifferentSecretOnTheLine() throws {
        let repo = try GitRepo()
        try repo.commit("one", ["a.env": "x=1\n"])
        try repo.commit("key", ["a.env": "x=1\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let (_, first) = try Keysweep.scanJSON([repo.path])
        let id = try #require(first.finding(secret: Secrets.keyID)?.id)
        try repo.commit("allow", ["a.env": "x=1\nAWS_ACCESS_KEY_ID=\(Secrets.keyID) # keysweep:allow:\(id) rotated\n"])
        try repo.commit("moved", ["a.env": "x=1\ny=2\nz=3\nAWS_ACCESS_KEY_ID=\(Secrets.keyID) # keysweep:allow:\(id) rotated\n"])
        // Only the commit before the comment still holds it without the comment.
        let (_, allowed) = try Keysweep.scanJSON([repo.path])
        #expect(allowed.finding(secret: Secrets.keyID)?.occurrences.count == 1)
        // A different key on the same line, same comment: reported.
        try repo.commit("new key", ["a.env": "x=1\ny=2\nz=3\nAWS_ACCESS_KEY_ID=\(Secrets.keyID2) # keysweep:allow:\(id) rotated\n"])
        let (_, after) = try Keysweep.scanJSON([repo.path])
        #expect(after.finding(secret: Secrets.keyID2) != nil)
    }

    @Test func ignoreEntrySurvivesMovesButNotADifferentSecret() throws {
        let repo = try GitRepo()
        try repo.commit("key", ["config/app.env": "REGION=eu\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let id = try #require(report.finding(secret: Secrets.keyID)?.id)

        let ignore = try Keysweep.run(["ignore", id, repo.path, "--reason", "rotated 2026-11-20"])
        #expect(ignore.status == 0, "\(ignore.stderr)")
        let file = try String(contentsOfFile: repo.path + "/.keysweepignore", encoding: .utf8)
        #expect(file.contains("reason = \"rotated 2026-11-20\""))
        #expect(file.contains("hmac-sha256:"))
        #expect(!file.contains(Secrets.keyID), "the ignore file never holds the secret")
        #expect(!file.contains("AKIAZAVB"), "nor a recognisable part of it")
        try repo.commit("acknowledge", [:])

        let (clean, cleanReport) = try Keysweep.scanJSON([repo.path])
        #expect(clean.status == 0, "\(clean.stdout)")
        #expect(cleanReport.findings.isEmpty)
        #expect(try Keysweep.run(["scan", repo.path]).stdout.contains("1 suppressed"))

        // The line moves, and the key is copied to another file: still suppressed.
        try repo.commit("move", ["config/app.env": "# header\n\nREGION=eu\nOTHER=1\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\n",
                                 "deploy/copy.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        #expect(try Keysweep.scanJSON([repo.path]).1.findings.isEmpty)

        // A different secret on the same line: reported.
        try repo.commit("new key", ["config/app.env": "# header\n\nREGION=eu\nOTHER=1\nAWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n"])
        let (_, after) = try Keysweep.scanJSON([repo.path])
        #expect(after.finding(secret: Secrets.keyID2) != nil)
        #expect(after.finding(secret: Secrets.keyID) == nil)
    }

    @Test func committedIgnoreFileIsReadFromHeadInABareClone() throws {
        let repo = try GitRepo()
        try repo.commit("key", ["app.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let id = try #require(try Keysweep.scanJSON([repo.path]).1.finding(secret: Secrets.keyID)?.id)
        #expect(try Keysweep.run(["ignore", id, repo.path, "--reason", "test value"]).status == 0)
        try repo.commit("acknowledge", [:])
        let clone = TempDirectory("keysweep-bare")
        #expect(try Run.process("/usr/bin/git", ["clone", "-q", "--bare", repo.path, clone.path + "/b.git"]).status == 0)
        let (result, report) = try Keysweep.scanJSON([clone.path + "/b.git"])
        #expect(result.status == 0)
        #expect(report.findings.isEmpty)
    }

    @Test func pathLimitedEntryAndExplicitIgnoreFile() throws {
        let repo = try GitRepo()
        try repo.commit("fixtures", ["tests/fixtures/creds.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n",
                                     "src/app.env": "KEY=\(Secrets.keyID)\n"])
        let id = try #require(try Keysweep.scanJSON([repo.path]).1.finding(secret: Secrets.keyID)?.id)
        let elsewhere = TempDirectory()
        let ignoreFile = elsewhere.file("team.keysweepignore")
        let added = try Keysweep.run(["ignore", String(id.prefix(10)), repo.path, "--reason", "fixture", "--path", "tests/**",
                                      "--ignore-file", ignoreFile])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/.keysweepignore"))
        let (_, withoutFile) = try Keysweep.scanJSON([repo.path])
        #expect(withoutFile.finding(secret: Secrets.keyID)?.occurrences.count == 2)
        let (_, report) = try Keysweep.scanJSON([repo.path, "--ignore-file", ignoreFile])
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.occurrences.map(\.path) == ["src/app.env"])
    }

    @Test func baselineReportsOnlyNewFindings() throws {
        let repo = try GitRepo()
        try repo.commit("old", ["old.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let dir = TempDirectory()
        let old = try Keysweep.run(["scan", repo.path, "--format", "json", "--redact", "-o", dir.file("baseline.json")])
        #expect(old.status == 1)
        #expect(try Keysweep.run(["scan", repo.path, "--baseline", dir.file("baseline.json")]).status == 0)
        try repo.commit("new", ["new.sh": "GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        let (result, report) = try Keysweep.scanJSON([repo.path, "--baseline", dir.file("baseline.json")])
        #expect(result.status == 1)
        #expect(report.findings.map(\.secret) == [Secrets.githubToken])
        // A SARIF log works as a baseline too.
        let sarif = try Keysweep.run(["scan", repo.path, "--format", "sarif", "-o", dir.file("baseline.sarif")])
        #expect(sarif.status == 1)
        #expect(try Keysweep.run(["scan", repo.path, "--baseline", dir.file("baseline.sarif")]).status == 0)
    }

    @Test func unusedIgnoresAreListed() throws {
        let repo = try GitRepo()
        try repo.commit("key", ["app.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n", "ci.sh": "T=\(Secrets.githubToken)\n"])
        let (_, report) = try Keysweep.scanJSON([repo.path])
        for secret in [Secrets.keyID, Secrets.githubToken] {
            let id = try #require(report.finding(secret: secret)?.id)
            #expect(try Keysweep.run(["ignore", id, repo.path, "--reason", "rotated \(secret.prefix(4))"]).status == 0)
        }
        try repo.commit("remove token", [:], remove: ["ci.sh"])
        let used = try Keysweep.run(["scan", repo.path, "--report-unused-ignores"])
        #expect(used.status == 0)
        #expect(!used.stderr.contains("unused ignore"))
        // Scanning only HEAD's tree, the token entry matches nothing.
        let unused = try Keysweep.run(["scan", repo.path, "--no-history", "--report-unused-ignores"])
        #expect(unused.status == 0)
        let lines = unused.stderr.split(separator: "\n").filter { $0.contains("unused ignore") }
        #expect(lines.count == 1, "\(unused.stderr)")
        #expect(lines.first?.contains("github-token") == true)
        #expect(lines.first?.contains("rotated ghp_") == true)
    }

    @Test func badSuppressionInput() throws {
        let repo = try GitRepo()
        try repo.commit("key", ["app.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--baseline", "/nonexistent/old.json"]), containing: "/nonexistent/old.json: cannot read baseline report")
        let dir = TempDirectory()
        dir.write("bad.json", "not json")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--baseline", dir.file("bad.json")]), containing: "baseline is not a keysweep JSON report")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--ignore-file", "/nonexistent/ignore"]), containing: "cannot read ignore file")
        dir.write("bad.ignore", "[[ignore]]\nrule = \"x\"\n")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--ignore-file", dir.file("bad.ignore")]), containing: "missing or malformed hash")
        expectOneLineError(try Keysweep.run(["ignore", "0123456789abcdef", repo.path, "--reason", "x"]), containing: "no finding 0123456789abcdef")
        expectOneLineError(try Keysweep.run(["ignore", "zz", repo.path, "--reason", "x"]), containing: "is not a finding id")
        expectOneLineError(try Keysweep.run(["ignore", "0123456789abcdef", repo.path]), containing: "--reason")
    }
}
