import Foundation
import Testing

/// Scanning what the user means (the work tree's uncommitted files, the repository found upward
/// from a subdirectory) and the pre-commit hook's messages, through real `git commit`s.
@Suite struct WorkTreeAndHookTests {
    /// A repository with a committed secret in `app/config.env`, and uncommitted: `sub/local.ini`
    /// (untracked, a secret), `README.md` (modified, a secret), `debug.log` (ignored, a secret).
    private func repositoryWithUncommittedSecrets() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("initial", ["app/config.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n", "README.md": "hello\n",
                                    ".gitignore": "*.log\n", "sub/notes.txt": "nothing here\n"])
        repo.write("sub/local.ini", "[github]\ntoken = \(Secrets.githubToken)\n")
        repo.write("README.md", "hello\n" + Secrets.credentials(Secrets.keyID2, Secrets.secretKey2))
        repo.write("debug.log", "GITHUB_TOKEN=ghp_Zq8Lm2Nx4Vb6Cd8Fg0Hj2Kl4Mn6Pq8Rs0Tu2V\n")
        return repo
    }

    @Test func untrackedAndModifiedFilesAreScannedBesideTheHistory() throws {
        let repo = try repositoryWithUncommittedSecrets()
        let before = try repo.snapshot()
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")
        let untracked = try #require(report.finding(secret: Secrets.githubToken))
        #expect(untracked.occurrences.map(\.path) == ["sub/local.ini"])
        #expect(untracked.occurrences.allSatisfy { $0.worktree == true && $0.commit == nil && $0.blob == nil })
        let modified = try #require(report.finding(secret: Secrets.keyID2))
        #expect(modified.occurrences.map(\.path) == ["README.md"])
        #expect(modified.occurrences.first?.worktree == true)
        let committed = try #require(report.finding(secret: Secrets.keyID))
        #expect(committed.occurrences.allSatisfy { $0.worktree == nil && $0.commit != nil })
        #expect(!report.findings.contains { $0.secret.hasPrefix("ghp_Zq8") }, "an ignored file is not scanned")
        #expect(try repo.snapshot() == before, "the scan changed nothing, the index included")

        let text = try Keysweep.run(["scan", repo.path])
        #expect(text.stdout.contains("sub/local.ini:2  work tree (uncommitted)"), "\(text.stdout)")
        #expect(text.stdout.contains("id \(untracked.id)"))

        let (without, history) = try Keysweep.scanJSON([repo.path, "--no-worktree"])
        #expect(without.status == 1)
        #expect(history.findings.map(\.secret) == [Secrets.keyID])
    }

    @Test func fromASubdirectoryTheWholeRepositoryIsScannedWithPathsFromThere() throws {
        let repo = try repositoryWithUncommittedSecrets()
        let sub = repo.path + "/sub"
        let (result, report) = try Keysweep.scanJSON([], cwd: sub)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.targets == [".."])
        #expect(report.stats.commits == 1, "the history was scanned, not the folder")
        #expect(report.finding(secret: Secrets.keyID)?.occurrences.first?.path == "app/config.env", "JSON keeps repository paths")
        let text = try Keysweep.run(["scan", "."], cwd: sub)
        #expect(text.stdout.contains("../app/config.env:1"), "\(text.stdout)")
        #expect(text.stdout.contains("    local.ini:2  work tree (uncommitted)"), "\(text.stdout)")
        #expect(text.stdout.contains("../README.md:"), "\(text.stdout)")

        // --staged finds the repository upward too.
        try repo.git(["add", "sub/local.ini"])
        let (staged, stagedReport) = try Keysweep.scanJSON(["--staged"], cwd: sub)
        #expect(staged.status == 1, "\(staged.stderr)")
        #expect(stagedReport.findings.map(\.secret) == [Secrets.githubToken])
        #expect(stagedReport.findings.first?.occurrences.first?.path == "sub/local.ini")

        // A directory named on the command line stays that directory.
        let (named, namedReport) = try Keysweep.scanJSON([sub])
        #expect(named.status == 1)
        #expect(namedReport.stats.commits == 0)
        #expect(namedReport.findings.map(\.secret) == [Secrets.githubToken])
    }

    @Test func stagedOutsideARepositoryIsOneLineError() throws {
        let dir = TempDirectory()
        dir.write("a.txt", "a\n")
        expectOneLineError(try Keysweep.run(["scan", "--staged"], cwd: dir.path, environment: ["GIT_CEILING_DIRECTORIES": dir.path]),
                           containing: "--staged needs a git repository")
    }

    @Test func aBlockedCommitSaysSoWithIdsAndCommandsAndACleanOnePrintsNothing() throws {
        let repo = try GitRepo()
        try repo.commit("initial", ["README.md": "hello\n"])
        #expect(try Keysweep.run(["install-hook", repo.path]).status == 0)

        repo.write("deploy.sh", "export GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "deploy.sh"])
        let before = try repo.git(["rev-parse", "HEAD"])
        let blocked = try repo.gitResult(["commit", "-q", "-m", "add deploy"])
        #expect(blocked.status != 0)
        #expect(try repo.git(["rev-parse", "HEAD"]) == before)
        let output = blocked.stdout + blocked.stderr
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "keysweep: commit blocked: the staged changes add 1 secret", "\(output)")
        let id = try #require(lines.dropFirst().first?.split(separator: " ").first.map(String.init))
        #expect(id.count == 16 && id.allSatisfy(\.isHexDigit), "\(output)")
        #expect(lines[1].contains("github-pat") || lines[1].contains("github"), "\(output)")
        #expect(lines[1].contains("deploy.sh:1"))
        #expect(!output.contains(Secrets.githubToken), "secrets are redacted")
        #expect(output.contains("keysweep ignore \(id) --reason \"why it is safe\""))
        #expect(output.contains("keysweep:allow:\(id)"))
        #expect(output.contains("git commit --no-verify"))

        // The printed command acknowledges it; the commit then goes through and prints nothing.
        let ignore = try Keysweep.run(["ignore", id, "--reason", "test token, revoked"], cwd: repo.path)
        #expect(ignore.status == 0, "\(ignore.stderr)")
        try repo.git(["add", ".keysweepignore"])
        let allowed = try repo.gitResult(["commit", "-q", "-m", "add deploy"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.isEmpty && allowed.stderr.isEmpty, "\(allowed.stdout)\(allowed.stderr)")

        repo.write("notes.txt", "nothing secret\n")
        try repo.git(["add", "notes.txt"])
        let clean = try repo.gitResult(["commit", "-q", "-m", "notes"])
        #expect(clean.status == 0)
        #expect(clean.stdout.isEmpty && clean.stderr.isEmpty, "a clean commit prints nothing: \(clean.stdout)\(clean.stderr)")
    }

    @Test func installHookChainsTheHookThatWasThere() throws {
        let repo = try GitRepo()
        try repo.commit("initial", ["README.md": "hello\n"])
        let hooks = repo.path + "/.git/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let mine = "#!/bin/sh\necho ran >> \"$(git rev-parse --git-dir)/chained-ran\"\n[ ! -e STOP ]\n"
        try mine.write(toFile: hooks + "/pre-commit", atomically: true, encoding: .utf8)
        chmod(hooks + "/pre-commit", 0o755)
        expectOneLineError(try Keysweep.run(["install-hook", repo.path]), containing: "pass --force")
        let forced = try Keysweep.run(["install-hook", repo.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("the previous hook runs first"))
        #expect(try String(contentsOfFile: hooks + "/pre-commit.before-keysweep", encoding: .utf8) == mine)

        // A clean commit runs both.
        try repo.commit("clean", ["a.txt": "a\n"])
        #expect(try String(contentsOfFile: repo.path + "/.git/chained-ran", encoding: .utf8) == "ran\n")
        // The chained hook's failure refuses the commit; keysweep's finding does too.
        let head = try repo.git(["rev-parse", "HEAD"])
        repo.write("STOP", "")
        try repo.git(["add", "STOP"])
        #expect(try repo.gitResult(["commit", "-q", "-m", "stopped"]).status != 0)
        try repo.git(["rm", "-q", "--cached", "STOP"])
        try FileManager.default.removeItem(atPath: repo.path + "/STOP")
        repo.write("ci.sh", "GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "ci.sh"])
        let leaked = try repo.gitResult(["commit", "-q", "-m", "leak"])
        #expect(leaked.status != 0)
        #expect(leaked.stderr.contains("commit blocked"))
        #expect(try repo.git(["rev-parse", "HEAD"]) == head)

        // Installing again keeps the chain.
        #expect(try Keysweep.run(["install-hook", repo.path]).status == 0)
        #expect(try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8).contains("pre-commit.before-keysweep"))
    }

    @Test func installHookChainsThePreCommitFrameworksHook() throws {
        let repo = try GitRepo()
        try repo.commit("initial", ["README.md": "hello\n"])
        let hooks = repo.path + "/.git/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        let framework = "#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\necho framework >> \"$(git rev-parse --git-dir)/framework-ran\"\n"
        try framework.write(toFile: hooks + "/pre-commit", atomically: true, encoding: .utf8)
        chmod(hooks + "/pre-commit", 0o755)
        let forced = try Keysweep.run(["install-hook", repo.path, "--force"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(forced.stderr.contains("the pre-commit framework's hook runs first"), "\(forced.stderr)")
        try repo.commit("clean", ["a.txt": "a\n"])
        #expect(FileManager.default.fileExists(atPath: repo.path + "/.git/framework-ran"))
    }

    @Test func aHookThatIsNotAScriptIsLeftAlone() throws {
        let repo = try GitRepo()
        let hooks = repo.path + "/.git/hooks"
        try FileManager.default.createDirectory(atPath: hooks, withIntermediateDirectories: true)
        try "echo no interpreter line\n".write(toFile: hooks + "/pre-commit", atomically: true, encoding: .utf8)
        expectOneLineError(try Keysweep.run(["install-hook", repo.path, "--force"]), containing: "is not a script")
        #expect(try String(contentsOfFile: hooks + "/pre-commit", encoding: .utf8) == "echo no interpreter line\n")
        #expect(!FileManager.default.fileExists(atPath: hooks + "/pre-commit.before-keysweep"))
        try FileManager.default.removeItem(atPath: hooks + "/pre-commit")
        try FileManager.default.createDirectory(atPath: hooks + "/pre-commit", withIntermediateDirectories: true)
        expectOneLineError(try Keysweep.run(["install-hook", repo.path, "--force"]), containing: "is not a regular file")
        let outside = TempDirectory()
        expectOneLineError(try Keysweep.run(["install-hook", outside.path]), containing: "not a git repository")
    }

    @Test func shallowClonesGetAHintAndAPartialHistoryLine() throws {
        let origin = try GitRepo()
        for n in 1...3 { try origin.commit("c\(n)", ["f\(n).txt": "\(n)\n"]) }
        let clones = TempDirectory()
        let clone = clones.path + "/shallow"
        let cloned = try Run.process("/usr/bin/git", ["clone", "-q", "--depth", "1", "file://\(origin.path)", clone])
        #expect(cloned.status == 0, "\(cloned.stderr)")
        let refused = try Keysweep.run(["scan", clone, "--since", "HEAD~2"])
        expectOneLineError(refused, containing: "unknown revision 'HEAD~2' in --since")
        #expect(refused.stderr.contains("shallow clone") && refused.stderr.contains("fetch-depth: 0")
                && refused.stderr.contains("git fetch --unshallow"), "\(refused.stderr)")
        let text = try Keysweep.run(["scan", clone])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("history is partial (shallow clone"), "\(text.stdout)")
        // A complete clone's unknown revision gets no such hint.
        let plain = try Keysweep.run(["scan", origin.path, "--since", "nosuch"])
        #expect(!plain.stderr.contains("shallow"))
    }
}
