import Foundation
import Testing

/// End-to-end: `--cache DIR` (incremental rescans) and `--all-objects` (objects no ref reaches).
@Suite struct CacheTests {
    /// Everything a finding says, as one comparable string (the report's stats aside).
    static func summary(_ report: Report) -> [String] {
        report.findings.map { f in
            "\(f.id) \(f.rule) \(f.secret) \(f.confidence) \(f.placeholder) \(String(describing: f.aws)) "
                + "\(String(describing: f.first)) \(String(describing: f.occurrences)) \(f.in_head)"
        }.sorted()
    }

    static func history() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello\n"])
        try repo.commit("add config", ["config/prod.env": Secrets.credentials()])
        try repo.commit("token in the message \(Secrets.githubToken)", ["b.txt": "b\n"])
        try repo.git(["mv", "config", "settings"])
        try repo.commit("rename the directory")
        try repo.commit("remove it", ["a.txt": "a\n"], remove: ["settings/prod.env"])
        return repo
    }

    /// Every byte the cache directory holds, database and journals.
    static func bytes(of directory: String) -> Data {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().reduce(into: Data()) { $0 += FileManager.default.contents(atPath: "\(directory)/\($1)") ?? Data() }
    }

    /// The cache holds no secret in clear (also with --redact), in a 0700 directory and 0600
    /// files; a rescan under another key reads nothing it cannot open and finds the same.
    @Test func theCacheHoldsNoSecretInClear() throws {
        let repo = try CacheTests.history()
        let parent = TempDirectory("keysweep-cache")
        let cache = parent.file("cache")
        let (_, plain) = try Keysweep.scanJSON([repo.path])
        let (_, first) = try Keysweep.scanJSON([repo.path, "--cache", cache, "--redact"])
        let (_, second) = try Keysweep.scanJSON([repo.path, "--cache", cache])
        #expect(CacheTests.summary(second) == CacheTests.summary(plain))
        #expect(second.stats.cached_blobs == plain.stats.blobs)
        _ = first
        let stored = CacheTests.bytes(of: cache)
        #expect(!stored.isEmpty)
        for finding in plain.findings {
            #expect(stored.range(of: Data(finding.secret.utf8)) == nil, "\(finding.rule) secret in clear in the cache")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: cache) {
            let mode = (try FileManager.default.attributesOfItem(atPath: "\(cache)/\(name)")[.posixPermissions] as? Int) ?? 0
            #expect(mode & 0o077 == 0, "\(name) is \(String(mode, radix: 8))")
        }
        let directoryMode = (try FileManager.default.attributesOfItem(atPath: cache)[.posixPermissions] as? Int) ?? 0
        #expect(directoryMode == 0o700)
        // Another key: sealed records do not open, their objects are scanned again, nothing is lost.
        let (_, otherKey) = try Keysweep.scanJSON([repo.path, "--cache", cache], environment: ["KEYSWEEP_CACHE_KEY": "another key"])
        #expect(CacheTests.summary(otherKey) == CacheTests.summary(plain))
        #expect((otherKey.stats.cached_blobs ?? 0) < plain.stats.blobs)
    }

    @Test func findingsAreIdenticalWithAndWithoutTheCache() throws {
        let repo = try CacheTests.history()
        let cache = TempDirectory("keysweep-cache")
        let (_, plain) = try Keysweep.scanJSON([repo.path])
        let (_, first) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        let (_, second) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        #expect(!plain.findings.isEmpty)
        #expect(CacheTests.summary(first) == CacheTests.summary(plain))
        #expect(CacheTests.summary(second) == CacheTests.summary(plain))
        #expect(first.stats.cached_blobs == 0)
        #expect(second.stats.cached_blobs == plain.stats.blobs)
        #expect(second.stats.blobs == plain.stats.blobs)
        #expect(second.stats.bytes == plain.stats.bytes)
        #expect(FileManager.default.fileExists(atPath: cache.file("keysweep-cache.sqlite")))
    }

    @Test func afterANewCommitOnlyItsNewBlobsAreRead() throws {
        let repo = try CacheTests.history()
        let cache = TempDirectory("keysweep-cache")
        let (_, before) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        let added = try repo.commit("two new blobs", ["c.txt": "c\n", "deploy.sh": "export AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n"])

        let (_, after) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        #expect(after.stats.blobs == before.stats.blobs + 2)
        #expect(after.stats.cached_blobs == before.stats.blobs)
        #expect(after.finding(secret: Secrets.keyID2)?.first.commit == added)
        let (_, plain) = try Keysweep.scanJSON([repo.path])
        #expect(CacheTests.summary(after) == CacheTests.summary(plain))
    }

    @Test func changingTheRulesEmptiesTheCache() throws {
        let repo = try CacheTests.history()
        try repo.commit("a test token", ["t.txt": "token tt_q7w2k9x4m1z8r5t3v6y0 here\n"])
        let cache = TempDirectory("keysweep-cache")
        let rules = TempDirectory("keysweep-rules")
        rules.write("extra.toml", """
            [[rule]]
            id = "test-token"
            description = "A token only this test knows"
            regex = '''(?<secret>tt_[a-z0-9]{20})'''
            keywords = ["tt_"]
            confidence = "high"
            examples = ["tt_q7w2k9x4m1z8r5t3v6y0"]
            """)
        let (_, first) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        #expect(first.findings(rule: "test-token").isEmpty)

        let (_, extra) = try Keysweep.scanJSON([repo.path, "--cache", cache.path, "--patterns", rules.path])
        #expect(extra.stats.cached_blobs == 0)
        #expect(extra.findings(rule: "test-token").count == 1)

        let (_, again) = try Keysweep.scanJSON([repo.path, "--cache", cache.path, "--patterns", rules.path])
        #expect(again.stats.cached_blobs == again.stats.blobs)
        #expect(CacheTests.summary(again) == CacheTests.summary(extra))
    }

    @Test func anUnusableCacheDirectoryIsAWarningNotAFailure() throws {
        let repo = try CacheTests.history()
        let blocker = TempDirectory("keysweep-cache")
        blocker.write("file", "not a directory\n")
        let (result, report) = try Keysweep.scanJSON([repo.path, "--cache", blocker.file("file")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot use the cache"))
        #expect(report.finding(secret: Secrets.keyID) != nil)
    }
}

@Suite struct AllObjectsTests {
    @Test func aCommitNoRefReachesIsScannedOnlyWithAllObjects() throws {
        let repo = try GitRepo()
        try repo.commit("base", ["a.txt": "a\n"])
        try repo.git(["checkout", "-q", "-b", "leak"])
        let lost = try repo.commit("oops", ["creds": Secrets.credentials()])
        try repo.git(["checkout", "-q", "main"])
        try repo.git(["branch", "-q", "-D", "leak"])   // as a force-push leaves it behind

        let (plainResult, plain) = try Keysweep.scanJSON([repo.path])
        #expect(plainResult.status == 0)
        #expect(plain.findings.isEmpty)

        let (result, report) = try Keysweep.scanJSON([repo.path, "--all-objects"])
        #expect(result.status == 1)
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.commit == lost)
        #expect(finding.first.path == "creds")
        #expect(finding.unreachable_only == true)
        #expect(finding.occurrences.allSatisfy { $0.unreachable == true })
        #expect(report.stats.unreachable_commits == 1)
        #expect(report.stats.commits == 2)

        let text = try Keysweep.run(["scan", repo.path, "--all-objects", "--no-color"])
        #expect(text.stdout.contains("unreachable"))
    }

    @Test func anUnreachableBlobInsideThePackIsNotReportedByDefault() throws {
        // The default scan reads every packed blob ahead of the walk: one no ref reaches must
        // still be dropped, from findings and from the counts alike.
        let repo = try GitRepo()
        try repo.commit("base", ["a.txt": "a\n", "b.txt": "b\n"])
        try repo.git(["checkout", "-q", "-b", "leak"])
        try repo.commit("oops", ["creds": Secrets.credentials()])
        try repo.git(["checkout", "-q", "main"])
        _ = try repo.git(["repack", "-q", "-a", "-d"])   // packed while reachable
        try repo.git(["branch", "-q", "-D", "leak"])
        _ = try repo.git(["reflog", "expire", "--expire=now", "--all"])
        let loose = try repo.git(["count-objects", "-v"])
        #expect(loose.contains("count: 0"), "every object is packed: \(loose)")
        #expect(try repo.git(["cat-file", "--batch-all-objects", "--batch-check"]).split(separator: "\n").count == 7)

        let (result, plain) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 0)
        #expect(plain.findings.isEmpty)
        #expect(plain.stats.blobs == 2)
        #expect(!result.stderr.contains("warning"))

        let (_, report) = try Keysweep.scanJSON([repo.path, "--all-objects"])
        #expect(report.finding(secret: Secrets.keyID)?.unreachable_only == true)
    }

    @Test func aBlobNeverCommittedIsScannedWithoutACommit() throws {
        let repo = try GitRepo()
        try repo.commit("base", ["a.txt": "a\n"])
        repo.write("staged-once", "ghtoken=\(Secrets.githubToken)\n")
        try repo.git(["add", "staged-once"])
        try repo.git(["reset", "-q"])
        try FileManager.default.removeItem(atPath: repo.dir.file("staged-once"))

        let (_, plain) = try Keysweep.scanJSON([repo.path])
        #expect(plain.finding(secret: Secrets.githubToken) == nil)
        let (_, report) = try Keysweep.scanJSON([repo.path, "--all-objects"])
        let finding = try #require(report.finding(secret: Secrets.githubToken))
        #expect(finding.first.commit == nil)
        #expect(finding.first.path == "(unreachable blob)")
        #expect(finding.unreachable_only == true)
    }

    @Test func aSecretAlsoReachableIsNotMarkedUnreachableOnly() throws {
        let repo = try GitRepo()
        let kept = try repo.commit("base", ["creds": Secrets.credentials()])
        try repo.git(["checkout", "-q", "-b", "copy"])
        try repo.commit("copy", ["other/creds": Secrets.credentials() + "# copy\n"])
        try repo.git(["checkout", "-q", "main"])
        try repo.git(["branch", "-q", "-D", "copy"])

        let (_, report) = try Keysweep.scanJSON([repo.path, "--all-objects"])
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.commit == kept)
        #expect(finding.unreachable_only == nil)
        #expect(finding.occurrences.count == 2)
        #expect(finding.occurrences.contains { $0.unreachable == true && $0.path == "other/creds" })
    }
}
