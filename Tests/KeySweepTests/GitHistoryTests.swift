import Foundation
import Testing

/// End-to-end: real repositories made with `git`, scanned by the built binary.
@Suite struct GitHistoryTests {
    @Test func secretAddedThenRemovedIsFoundWithItsFirstCommit() throws {
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello\n"])
        let added = try repo.commit("add config", ["config/prod.env": "# prod\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        try repo.commit("touch config", ["config/prod.env": "# prod\nAWS_ACCESS_KEY_ID=\(Secrets.keyID)\nREGION=eu-west-1\n"])
        try repo.commit("remove secret", ["config/prod.env": "# prod\nREGION=eu-west-1\n"])

        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1)
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.rule == "aws-access-key-id")
        #expect(finding.in_head == false)
        #expect(finding.first.commit == added)
        #expect(finding.first.path == "config/prod.env")
        #expect(finding.first.line == 2)
        #expect(finding.first.author == "Ada Lovelace <ada@example.org>")
        #expect(finding.occurrences.count == 2) // two blobs held it, each introduced once
        #expect(report.stats.commits == 4)
    }

    /// A commit message and a tag message that each hold more key ids than one content keeps are
    /// named in warnings by their commit and tag while the walk of thousands of older commits
    /// goes on (the workers used to read the walk's growing commit list to name them: a data
    /// race, which the ThreadSanitizer run of this suite showed).
    @Test func messagesPastTheContentLimitAreNamedWhileTheWalkGoesOn() throws {
        let repo = try GitRepo()
        let ids = HoldLimitsTests.keyIDs(10_050)
        let big = "rotate keys\n\n" + HoldLimitsTests.lines(ids)
        // The big message first (the walk goes parents first), then 6,000 commits of a 3,000-file
        // tree: the walk is still appending commits while a worker names the message.
        var stream = "commit refs/heads/main\ncommitter A <a@example.org> 1699999999 +0000\ndata \(big.utf8.count)\n\(big)\n"
        for file in 0..<3_000 { stream += "M 100644 inline file\(file).txt\ndata 2\nx\n\n" }
        for n in 0..<6_000 {
            let message = "change \(n)\n", value = "value \(n)\n"
            stream += "commit refs/heads/main\ncommitter A <a@example.org> \(1_700_000_000 + n) +0000\ndata \(message.utf8.count)\n\(message)"
            stream += "M 100644 inline file\((n * 7) % 3_000).txt\ndata \(value.utf8.count)\n\(value)\n"
        }
        // The big tag message first among 300 tags, whose list grows while it is named.
        stream += "tag a-big\nfrom refs/heads/main\ntagger A <a@example.org> 1700010000 +0000\ndata \(big.utf8.count)\n\(big)\n"
        for t in 0..<300 {
            let message = "release \(t)\n"
            stream += "tag t\(t)\nfrom refs/heads/main\ntagger A <a@example.org> \(1_700_010_001 + t) +0000\ndata \(message.utf8.count)\n\(message)\n"
        }
        let imported = try Run.process("/usr/bin/git", ["-C", repo.path, "fast-import", "--quiet"], stdin: Data(stream.utf8))
        #expect(imported.status == 0, "\(imported.stderr)")
        let first = try repo.git(["rev-list", "--max-parents=0", "main"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let tag = try repo.git(["rev-parse", "a-big"]).trimmingCharacters(in: .whitespacesAndNewlines)

        let (result, report) = try Keysweep.scanJSON([repo.path, "--jobs", "2", "--no-worktree"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("message of commit \(first): rule 'aws-access-key-id' reached the most matches kept from one content"),
                "\(result.stderr.prefix(2000))")
        #expect(result.stderr.contains("message of tag \(tag): rule 'aws-access-key-id' reached the most matches kept from one content"),
                "\(result.stderr.prefix(2000))")
        // 10,050 ids in each message: 50 of each counted, not kept, and the first line says so.
        #expect(report.stats.commits == 6_001)
        #expect(report.stats.omitted_matches == 100)
    }

    @Test func secretOnlyOnAnUnmergedBranch() throws {
        let repo = try GitRepo()
        try repo.commit("base", ["a.txt": "a\n"])
        try repo.git(["checkout", "-q", "-b", "feature"])
        let leak = try repo.commit("wip", ["deploy.sh": "export GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        try repo.git(["checkout", "-q", "main"])
        try repo.commit("main moves on", ["b.txt": "b\n"])

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let finding = try #require(report.finding(secret: Secrets.githubToken))
        #expect(finding.first.commit == leak)
        #expect(finding.in_head == false)
    }

    @Test func secretOnlyInAMergeConflictResolution() throws {
        let repo = try GitRepo()
        try repo.commit("base", ["settings.ini": "[aws]\nregion = us-east-1\n"])
        try repo.git(["checkout", "-q", "-b", "other"])
        try repo.commit("other side", ["settings.ini": "[aws]\nregion = eu-west-1\n"])
        try repo.git(["checkout", "-q", "main"])
        try repo.commit("main side", ["settings.ini": "[aws]\nregion = ap-south-1\n"])
        try repo.git(["merge", "-q", "other"], allowFailure: true) // conflicts
        repo.write("settings.ini", "[aws]\nregion = eu-west-1\n" + Secrets.credentials())
        try repo.git(["add", "settings.ini"])
        try repo.git(["commit", "-q", "--no-edit"])
        let merge = try repo.git(["rev-parse", "HEAD"])
        #expect(try repo.git(["rev-list", "--parents", "-n1", "HEAD"]).split(separator: " ").count == 3)

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.commit == merge)
        #expect(finding.in_head == true)
        #expect(report.finding(secret: Secrets.secretKey)?.first.commit == merge)
    }

    @Test func secretOnlyOnATagOfAnOtherwiseUnreachableCommit() throws {
        let repo = try GitRepo()
        try repo.commit("base", ["a.txt": "a\n"])
        try repo.git(["checkout", "-q", "-b", "temp"])
        let tagged = try repo.commit("release build", ["build/creds.json": "{\"AccessKeyId\": \"\(Secrets.keyID)\"}\n"])
        try repo.git(["tag", "-a", "v1.0", "-m", "release"])
        try repo.git(["checkout", "-q", "main"])
        try repo.git(["branch", "-q", "-D", "temp"])

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.commit == tagged)
        #expect(finding.first.path == "build/creds.json")
    }

    @Test func renamedFileGivesOneFindingWithTwoPaths() throws {
        let repo = try GitRepo()
        let first = try repo.commit("add", ["old/name.cfg": Secrets.credentials()])
        try repo.git(["mv", "old/name.cfg", "new-name.cfg"])
        let renamed = try repo.commit("rename")

        let (_, report) = try Keysweep.scanJSON([repo.path])
        #expect(report.findings(rule: "aws-access-key-id").count == 1)
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(Set(finding.occurrences.map(\.path)) == ["old/name.cfg", "new-name.cfg"])
        #expect(finding.first.commit == first)
        #expect(finding.occurrences.first { $0.path == "new-name.cfg" }?.commit == renamed)
        #expect(Set(finding.occurrences.compactMap(\.blob)).count == 1)
    }

    @Test func sameSecretInThreeFilesAcrossThreeCommits() throws {
        let repo = try GitRepo()
        try repo.commit("start", ["README": "x\n"])
        let c1 = try repo.commit("one", ["a/settings.py": "AWS_KEY = '\(Secrets.keyID)'\n"])
        let c2 = try repo.commit("two", ["b/config.yml": "aws:\n  key: \(Secrets.keyID)\n"])
        let c3 = try repo.commit("three", ["c/.env": "\n\nKEY=\(Secrets.keyID)\n"])

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let findings = report.findings(rule: "aws-access-key-id")
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.occurrences.count == 3)
        #expect(finding.first.commit == c1)
        #expect(finding.occurrences.map(\.commit) == [c1, c2, c3])
        #expect(finding.occurrences.map(\.line) == [1, 2, 3])
        #expect(finding.in_head == true)
    }

    @Test func secretInACommitMessage() throws {
        let repo = try GitRepo()
        try repo.commit("init", ["a": "a\n"])
        let commit = try repo.commit("debug: token was \(Secrets.githubToken), remove later")

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let finding = try #require(report.finding(secret: Secrets.githubToken))
        #expect(finding.first.path == "(commit message)")
        #expect(finding.first.commit == commit)
        #expect(finding.occurrences.first?.blob == nil)
    }

    @Test func annotatedTagMessageIsScannedAndAttributedToTheTag() throws {
        let repo = try GitRepo()
        try repo.commit("init", ["a": "a\n"])
        // The tagged commit is clean; only the tag's message holds the key, and a tag of that tag
        // holds a token.
        try repo.git(["tag", "-a", "v1.0", "-m", "Release 1.0\n\ndeploy with\n" + Secrets.credentials()])
        try repo.git(["tag", "-a", "v1.0-signed-off", "v1.0", "-m", "re-tag: \(Secrets.githubToken)"])
        try repo.git(["tag", "light"])   // a lightweight tag: no object, nothing to scan
        let tag = try repo.git(["rev-parse", "v1.0"])
        let outer = try repo.git(["rev-parse", "v1.0-signed-off"])

        let (_, report) = try Keysweep.scanJSON([repo.path])
        let id = try #require(report.finding(secret: Secrets.keyID))
        #expect(id.first.path == "(message of tag v1.0)")
        #expect(id.first.commit == tag)
        #expect(id.first.author == "Ada Lovelace <ada@example.org>")
        #expect(id.first.line == 5)
        #expect(id.occurrences.first?.blob == nil)
        #expect(id.aws?.paired_secret != nil)
        let token = try #require(report.finding(secret: Secrets.githubToken))
        #expect(token.first.path == "(message of tag v1.0-signed-off)")
        #expect(token.first.commit == outer)

        // The text report names the place the same way, and a report read back keeps it (the plan).
        let text = try Keysweep.run(["scan", repo.path])
        #expect(text.stdout.contains("(message of tag v1.0)"))
        let saved = TempDirectory("keysweep-tag-report")
        let json = try Keysweep.run(["scan", repo.path, "--format", "json"])
        saved.write("report.json", json.stdout)
        let plan = try Keysweep.run(["remediate", saved.file("report.json")])
        #expect(plan.stdout.contains("(message of tag v1.0)"), "\(plan.stdout)")

        // With the cache, the second scan replays the same places.
        let cache = TempDirectory("keysweep-tag-cache")
        for _ in 0..<2 {
            let (_, cached) = try Keysweep.scanJSON([repo.path, "--cache", cache.file("c")])
            #expect(cached.finding(secret: Secrets.keyID)?.first.path == "(message of tag v1.0)")
        }
    }

    @Test func bareRepositoryAndAllRefKinds() throws {
        let repo = try GitRepo()
        try repo.commit("init", ["a": "a\n"])
        // A stash and a note each hold a secret nowhere else.
        repo.write("a", "a\n" + Secrets.credentials())
        try repo.git(["stash", "-q"])
        try repo.git(["notes", "add", "-m", "deploy key \(Secrets.githubToken)", "HEAD"])
        let bare = TempDirectory("keysweep-bare")
        try Run.process("/usr/bin/git", ["clone", "-q", "--mirror", repo.path, bare.path + "/r.git"])

        for target in [repo.path, bare.path + "/r.git"] {
            let (_, report) = try Keysweep.scanJSON([target])
            if target == repo.path { #expect(report.finding(secret: Secrets.keyID) != nil) } // stash is not mirrored
            #expect(report.finding(secret: Secrets.githubToken) != nil, "note in \(target)")
        }
    }

    @Test func scanningChangesNothingInTheRepository() throws {
        let repo = try GitRepo()
        try repo.commit("init", ["creds": Secrets.credentials()])
        let before = try repo.snapshot()
        try Keysweep.run(["scan", repo.path])
        try Keysweep.run(["scan", repo.path, "--format", "json", "--jobs", "1"])
        #expect(try repo.snapshot() == before)
    }

    @Test func jsonReportFieldByField() throws {
        let repo = try GitRepo()
        let commit = try repo.commit("creds", ["home/.aws/credentials": Secrets.credentials()])
        let blob = try repo.git(["rev-parse", "HEAD:home/.aws/credentials"])

        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1)
        #expect(report.version == 1)
        #expect(report.tool.name == "keysweep")
        #expect(report.targets == [repo.path])
        #expect(report.stats.commits == 1)
        #expect(report.stats.blobs == 1)
        #expect(report.stats.bytes == Secrets.credentials().utf8.count) // blob bytes
        #expect(report.findings.count == 2)

        let id = try #require(report.finding(secret: Secrets.keyID))
        #expect(id.rule == "aws-access-key-id")
        #expect(id.confidence == "high")
        #expect(id.id.count == 16)
        #expect(id.aws?.key_type == "long-term")
        #expect(id.aws?.account == "619888638459")
        #expect(id.first.commit == commit)
        #expect(id.first.path == "home/.aws/credentials")
        #expect(id.first.line == 2)
        #expect(id.first.author == "Ada Lovelace <ada@example.org>")
        #expect(id.first.date == "2023-11-14T22:14:20+00:00")
        #expect(id.occurrences.count == 1)
        #expect(id.occurrences[0].blob == blob)
        #expect(id.occurrences[0].line == 2)
        #expect(id.in_head == true)

        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(secret.rule == "aws-secret-access-key")
        #expect(secret.aws == nil)
        #expect(secret.first.line == 3)

        // Same scan, redacted: no secret in the clear anywhere in the output; the key id, not secret, whole.
        let redacted = try Keysweep.run(["scan", repo.path, "--format", "json", "--redact"])
        #expect(redacted.stdout.contains(Secrets.keyID))
        #expect(!redacted.stdout.contains(Secrets.secretKey))
        // Ids are fingerprints, stable across runs.
        let (_, again) = try Keysweep.scanJSON([repo.path, "--jobs", "1"])
        #expect(again.findings.map(\.id).sorted() == report.findings.map(\.id).sorted())
    }

    @Test func oneJobGivesTheSameReportOnOneThread() throws {
        // --jobs 1 walks first and scans afterwards, the queue holding all the work meanwhile:
        // more blobs than the queue's capacity must not stall it.
        let repo = try GitRepo()
        var files: [String: String] = [:]
        for i in 0..<1200 { files["src/f\(i).txt"] = "file \(i)\n" }
        files["src/f600.txt"] = Secrets.credentials()
        try repo.commit("many files", files)
        try repo.commit("token", ["notes.md": "deploy \(Secrets.githubToken)\n"], remove: ["src/f600.txt"])
        func summary(_ report: Report) -> [String] {
            report.findings.map { f in "\(f.id) " + f.occurrences.map { "\($0.commit ?? "-") \($0.path):\($0.line)" }.joined(separator: ",") }.sorted()
        }
        let (_, one) = try Keysweep.scanJSON([repo.path, "--jobs", "1"])
        let (_, two) = try Keysweep.scanJSON([repo.path, "--jobs", "2"])
        #expect(one.stats.blobs == 1201 && one.stats.commits == 2)
        #expect(one.findings.count == 3)
        #expect(summary(one) == summary(two))
        #expect((one.stats.blobs, one.stats.bytes) == (two.stats.blobs, two.stats.bytes))
    }

    @Test func cleanRepositoryExitsZero() throws {
        let repo = try GitRepo()
        try repo.commit("init", ["main.c": "int main(void) { return 0; }\n"])
        let result = try Keysweep.run(["scan", repo.path])
        #expect(result.status == 0)
        #expect(result.stdout.contains("no secrets found"))
    }
}
