import Foundation
import Testing

/// `--since`, `--range`, `--staged`, `--no-history` and `install-hook`, on real repositories.
@Suite struct RangeAndStagedTests {
    /// main: base (secret A) ─ main-side ─ merge (resolution adds secret C)
    ///                       └ feature: wip (secret B) ─┘  (second parent)
    private func mergedRepository() throws -> (repo: GitRepo, base: String, wip: String, merge: String) {
        let repo = try GitRepo()
        try repo.commit("base", ["settings.ini": "[aws]\nregion = us-east-1\n", "old.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        let base = try repo.git(["rev-parse", "HEAD"])
        try repo.git(["tag", "base"])
        try repo.git(["checkout", "-q", "-b", "feature"])
        let wip = try repo.commit("wip", ["deploy.sh": "export GITHUB_TOKEN=\(Secrets.githubToken)\n",
                                          "settings.ini": "[aws]\nregion = eu-west-1\n"])
        try repo.git(["checkout", "-q", "main"])
        // The old secret moves to another file inside the range: the same blob, already seen at BASE.
        try repo.commit("main side", ["settings.ini": "[aws]\nregion = ap-south-1\n", "moved.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"],
                        remove: ["old.env"])
        try repo.git(["merge", "-q", "--no-ff", "feature"], allowFailure: true) // conflicts in settings.ini
        repo.write("settings.ini", "[aws]\nregion = eu-west-1\n" + Secrets.credentials(Secrets.keyID2, Secrets.secretKey2))
        try repo.git(["add", "settings.ini"])
        try repo.git(["commit", "-q", "--no-edit"])
        let merge = try repo.git(["rev-parse", "HEAD"])
        return (repo, base, wip, merge)
    }

    @Test func rangeCoversMergeResolutionsAndSecondParentsButNotWhatBaseReaches() throws {
        let (repo, base, wip, merge) = try mergedRepository()
        for arguments in [["--since", "base"], ["--range", "\(base)..HEAD"], ["--range", "base.."], ["--range", "base..main"]] {
            let (result, report) = try Keysweep.scanJSON([repo.path] + arguments)
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(report.finding(secret: Secrets.keyID2)?.first.commit == merge, "\(arguments)")
            #expect(report.finding(secret: Secrets.secretKey2)?.first.commit == merge, "\(arguments)")
            #expect(report.finding(secret: Secrets.githubToken)?.first.commit == wip, "\(arguments)")
            #expect(report.finding(secret: Secrets.keyID) == nil, "\(arguments): a secret BASE already had is not reported")
            #expect(report.stats.commits == 3, "\(arguments)")
        }
        // Without a range everything is found.
        let (_, full) = try Keysweep.scanJSON([repo.path])
        #expect(full.finding(secret: Secrets.keyID) != nil)
        // A range that holds nothing new: clean, exit 0.
        let (empty, emptyReport) = try Keysweep.scanJSON([repo.path, "--since", "HEAD"])
        #expect(empty.status == 0)
        #expect(emptyReport.findings.isEmpty)
        #expect(emptyReport.stats.commits == 0)
    }

    @Test func rangeScansCommitMessagesInsideItOnly() throws {
        let repo = try GitRepo()
        try repo.commit("first: token \(Secrets.githubToken)", ["a.txt": "a\n"])
        try repo.commit("second", ["b.txt": "b\n"])
        try repo.commit("third: key \(Secrets.keyID2)", ["c.txt": "c\n"])
        let (_, report) = try Keysweep.scanJSON([repo.path, "--since", "HEAD~1"])
        #expect(report.finding(secret: Secrets.keyID2)?.first.path == "(commit message)")
        #expect(report.finding(secret: Secrets.githubToken) == nil)
    }

    @Test func shallowCloneScansWhatIsPresent() throws {
        let repo = try GitRepo()
        try repo.commit("old", ["old.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        try repo.commit("mid", ["mid.txt": "nothing\n"])
        try repo.commit("new", ["deploy.sh": "export GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        let clone = TempDirectory("keysweep-shallow")
        let cloned = try Run.process("/usr/bin/git", ["clone", "-q", "--depth", "2", "file://\(repo.path)", clone.path + "/c"])
        #expect(cloned.status == 0, "\(cloned.stderr)")
        let (result, report) = try Keysweep.scanJSON([clone.path + "/c", "--since", "HEAD~1"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.stats.shallow)
        #expect(report.finding(secret: Secrets.githubToken) != nil)
        #expect(report.finding(secret: Secrets.keyID) == nil)
    }

    @Test func stagedScansWhatTheNextCommitAdds() throws {
        let repo = try GitRepo()
        try repo.commit("old secret", ["committed.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        repo.write("new.env", "x=1\nGITHUB_TOKEN=\(Secrets.githubToken)\n")
        repo.write("copy.env", "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n") // same blob as HEAD's: nothing new
        try repo.git(["add", "new.env", "copy.env"])
        repo.write("unstaged.env", "AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n") // not staged: not what the commit adds
        let (result, report) = try Keysweep.scanJSON([repo.path, "--staged"])
        #expect(result.status == 1)
        #expect(report.findings.count == 1)
        let finding = try #require(report.finding(secret: Secrets.githubToken))
        #expect(finding.first.path == "new.env")
        #expect(finding.first.line == 2)
        #expect(finding.first.commit == nil)
        // Nothing staged: clean.
        try repo.git(["reset", "-q"])
        #expect(try Keysweep.scanJSON([repo.path, "--staged"]).0.status == 0)
    }

    @Test func stagedInARepositoryWithoutCommits() throws {
        let repo = try GitRepo()
        repo.write("first.env", "GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "first.env"])
        let (result, report) = try Keysweep.scanJSON([repo.path, "--staged"])
        #expect(result.status == 1)
        #expect(report.finding(secret: Secrets.githubToken)?.first.path == "first.env")
    }

    @Test func noHistoryScansHeadsTreeOnly() throws {
        let repo = try GitRepo()
        try repo.commit("leak", ["old.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"])
        try repo.commit("remove", [:], remove: ["old.env"])
        let head = try repo.commit("current", ["src/deploy.sh": "export GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        repo.write("uncommitted.env", "AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n")
        let (result, report) = try Keysweep.scanJSON([repo.path, "--no-history"])
        #expect(result.status == 1)
        #expect(report.findings.count == 1)
        let finding = try #require(report.finding(secret: Secrets.githubToken))
        #expect(finding.first.path == "src/deploy.sh")
        #expect(finding.first.commit == head)
        #expect(finding.in_head)
    }

    @Test func preCommitHookRefusesACommitThatAddsASecret() throws {
        let repo = try GitRepo()
        try repo.commit("initial", ["README.md": "hello\n"])
        let install = try Keysweep.run(["install-hook", repo.path])
        #expect(install.status == 0, "\(install.stderr)")
        let hook = repo.path + "/.git/hooks/pre-commit"
        let script = try String(contentsOfFile: hook, encoding: .utf8)
        #expect(script.contains("keysweep-managed-hook"))
        #expect(script.contains("scan --staged"))
        #expect(FileManager.default.isExecutableFile(atPath: hook))

        repo.write("deploy.sh", "export GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "deploy.sh"])
        let before = try repo.git(["rev-parse", "HEAD"])
        let refused = try repo.git(["commit", "-q", "-m", "add deploy"], allowFailure: true)
        _ = refused
        #expect(try repo.git(["rev-parse", "HEAD"]) == before, "the commit with a secret was refused")

        repo.write("deploy.sh", "export GITHUB_TOKEN=\"$(cat /run/secrets/token)\"\n")
        try repo.git(["add", "deploy.sh"])
        try repo.git(["commit", "-q", "-m", "add deploy"])
        #expect(try repo.git(["rev-parse", "HEAD"]) != before, "a clean commit goes through")

        // Installing again updates keysweep's own hook.
        #expect(try Keysweep.run(["install-hook", repo.path]).status == 0)
    }

    @Test func installHookKeepsAForeignHookUnlessForced() throws {
        let repo = try GitRepo()
        let hook = repo.path + "/.git/hooks/pre-commit"
        try FileManager.default.createDirectory(atPath: repo.path + "/.git/hooks", withIntermediateDirectories: true)
        try "#!/bin/sh\necho mine\n".write(toFile: hook, atomically: true, encoding: .utf8)
        expectOneLineError(try Keysweep.run(["install-hook", repo.path]), containing: "pass --force")
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        let forced = try Keysweep.run(["install-hook", repo.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOfFile: hook, encoding: .utf8).contains("keysweep-managed-hook"))
        #expect(try String(contentsOfFile: hook + ".before-keysweep", encoding: .utf8) == "#!/bin/sh\necho mine\n")
    }

    @Test func installHookHonoursCoreHooksPath() throws {
        let repo = try GitRepo()
        try repo.commit("initial", ["README.md": "hello\n"])
        try repo.git(["config", "core.hooksPath", ".githooks"])
        #expect(try Keysweep.run(["install-hook", repo.path]).status == 0)
        #expect(FileManager.default.isExecutableFile(atPath: repo.path + "/.githooks/pre-commit"))
        repo.write("ci.sh", "GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "ci.sh"])
        let before = try repo.git(["rev-parse", "HEAD"])
        try repo.git(["commit", "-q", "-m", "leak"], allowFailure: true)
        #expect(try repo.git(["rev-parse", "HEAD"]) == before)
    }

    @Test func preCommitFrameworkManifestIsShipped() throws {
        let manifest = try String(contentsOfFile: Workflow.testsDirectory + "/../.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(manifest.contains("- id: keysweep"))
        #expect(manifest.contains("scan --staged"))
    }

    @Test func badRangeAndModeInput() throws {
        let repo = try GitRepo()
        try repo.commit("one", ["a.txt": "a\n"])
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--since", "no-such-rev"]), containing: "unknown revision 'no-such-rev' in --since")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--range", "nosuch..HEAD"]), containing: "unknown revision 'nosuch' in --range")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--range", "HEAD"]), containing: "is not BASE..TIP")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--since", "HEAD", "--staged"]), containing: "cannot be used together")
        let dir = TempDirectory()
        dir.write("a.txt", "a\n")
        expectOneLineError(try Keysweep.run(["scan", dir.path, "--staged"]), containing: "--staged needs a git repository")
        expectOneLineError(try Keysweep.run(["scan", "-", "--since", "HEAD"], stdin: Data()), containing: "needs a git repository")
        expectOneLineError(try Keysweep.run(["install-hook", dir.path]), containing: "not a git repository")
    }
}
