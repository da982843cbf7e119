import Foundation
import Testing

/// Remote targets end to end: the built binary clones from real servers on 127.0.0.1 (smart
/// HTTP through `git http-backend`, `git daemon`, `file://`) and lists through a GitHub-shaped
/// REST API. ssh (and so the scp-like `user@host:path` form) cannot be served here: that form
/// is checked as far as its parsing and a failed connection.
@Suite(.serialized) struct RemoteTargetTests {
    /// A repository whose history holds `Secrets.keyID` (added, then removed).
    static func leakyRepo(_ secret: String = Secrets.credentials()) throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello\n"])
        try repo.commit("add creds", ["config/creds.ini": secret])
        try repo.commit("remove creds", [:], remove: ["config/creds.ini"])
        return repo
    }

    /// Environment of a scan: its own TMPDIR (to prove clones are cleaned up) and no token
    /// unless one is given.
    static func environment(tmp: TempDirectory, token: String? = nil) -> [String: String] {
        var env = ["TMPDIR": tmp.path, "GITHUB_TOKEN": "", "KEYSWEEP_GITHUB_TOKEN": ""]
        if let token { env["GITHUB_TOKEN"] = token }
        return env
    }

    static func leftovers(_ tmp: TempDirectory) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? []
    }

    @Test func smartHTTPCloneFindsEveryRefAndDeduplicatesAcrossRepositories() throws {
        let server = try FakeGitHub()
        let one = try Self.leakyRepo()
        // A pull-request head only the server has: fetched because every ref is.
        let pr = try one.commit("pr", ["pr.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n"])
        try one.git(["update-ref", "refs/pull/7/head", pr])
        try one.git(["reset", "-q", "--hard", "HEAD~1"])
        let two = try Self.leakyRepo()
        let url1 = try server.serve(one, as: "acme/one")
        let url2 = try server.serve(two, as: "acme/two")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON([url1, url2], environment: Self.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        let key = try #require(report.findings.first { $0.secret == Secrets.keyID })
        // One finding, seen in both repositories.
        #expect(Set(key.occurrences.compactMap(\.target)) == [url1, url2])
        #expect(key.occurrences.allSatisfy { $0.remote?.kind == "repository" })
        #expect(key.in_head == false)
        let prKey = try #require(report.findings.first { $0.secret == Secrets.keyID2 })
        #expect(prKey.occurrences.first?.path == "pr.env")
        let fetched = try #require(report.stats.fetched?.first { $0.target == url1 })
        #expect(fetched.refs["pull"] == 1 && fetched.refs["heads"] == 1)
        #expect(report.targets == [url1, url2])
        // The private temporary directory is gone.
        #expect(Self.leftovers(tmp).isEmpty)
    }

    @Test func privateRepositoryTakesTheTokenThroughTheCredentialCallbackOnly() throws {
        let server = try FakeGitHub()
        let url = try server.serve(try Self.leakyRepo(), as: "private/secret-repo")
        let tmp = TempDirectory("keysweep-tmp")
        // No token: a one-line error, exit 2.
        let denied = try Keysweep.run(["scan", url], environment: Self.environment(tmp: tmp))
        #expect(denied.status == 2)
        #expect(denied.stderr.contains("authentication required"), "\(denied.stderr)")
        #expect(denied.stderr.split(separator: "\n").count == 1)

        // With the token, through the API's host (127.0.0.1 via --github-api-url): cloned, and
        // the token appears nowhere: outputs, the kept clone, argv of every process seen.
        let clones = TempDirectory("keysweep-clones")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Keysweep.binary)
        process.arguments = ["scan", url, "--github-api-url", server.api, "--clone-dir", clones.path, "--format", "json",
                             "-o", tmp.file("report.json"), "--remediation", tmp.file("plan.md")]
        var env = ProcessInfo.processInfo.environment.merging(Self.environment(tmp: tmp, token: server.token)) { _, new in new }
        env["XDG_STATE_HOME"] = Keysweep.stateHome
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        var cmdlines = ""
        while process.isRunning {
            for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
                if let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") { cmdlines += String(decoding: data, as: UTF8.self) }
            }
            usleep(20_000)
        }
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 1, "\(stderr) \(server.requests) \(server.log)")
        #expect(!cmdlines.isEmpty)
        #expect(!cmdlines.contains(server.token))
        #expect(!stderr.contains(server.token))
        let report = try String(contentsOfFile: tmp.file("report.json"), encoding: .utf8)
        #expect(report.contains(Secrets.keyID))
        #expect(!report.contains(server.token))
        #expect(!(try String(contentsOfFile: tmp.file("plan.md"), encoding: .utf8)).contains(server.token))
        let grep = try Run.process("/usr/bin/grep", ["-r", "-l", "-a", server.token, clones.path])
        #expect(grep.status == 1, "token found in \(grep.stdout)")
        #expect(server.requests.contains { $0.contains("/git/private/") && $0.hasSuffix("auth=yes") })

        // The token is not offered to a host that is not GitHub's or the API's ("localhost" here).
        let other = try Keysweep.run(["scan", url.replacingOccurrences(of: "127.0.0.1", with: "localhost"),
                                      "--github-api-url", server.api], environment: Self.environment(tmp: tmp, token: server.token))
        #expect(other.status == 2)
        #expect(other.stderr.contains("authentication required"), "\(other.stderr)")
    }

    @Test func gitDaemonAndFileURLs() throws {
        let repo = try Self.leakyRepo()
        let root = TempDirectory("keysweep-daemon")
        let bare = root.file("team/app.git")
        #expect(try Run.process("/usr/bin/git", ["clone", "-q", "--mirror", repo.path, bare]).status == 0)
        let daemon = try GitDaemon(root: root.path)
        let tmp = TempDirectory("keysweep-tmp")
        for url in ["git://127.0.0.1:\(daemon.port)/team/app.git", "file://\(bare)"] {
            let (result, report) = try Keysweep.scanJSON([url], environment: Self.environment(tmp: tmp))
            #expect(result.status == 1, "\(url): \(result.stderr)")
            let key = try #require(report.findings.first { $0.secret == Secrets.keyID })
            #expect(key.first.path == "config/creds.ini")
            #expect(key.occurrences.first?.target == url)
        }
        #expect(Self.leftovers(tmp).isEmpty)
    }

    @Test func cloneDirIsKeptAndFetchedIntoOnTheNextRun() throws {
        let server = try FakeGitHub()
        let repo = try Self.leakyRepo()
        let url = try server.serve(repo, as: "acme/app")
        let clones = TempDirectory("keysweep-clones")
        let tmp = TempDirectory("keysweep-tmp")
        let (first, report1) = try Keysweep.scanJSON([url, "--clone-dir", clones.path], environment: Self.environment(tmp: tmp))
        #expect(first.status == 1)
        #expect(!report1.findings.contains { $0.secret == Secrets.keyID2 })
        let kept = clones.file("127.0.0.1_\(server.port)/git/acme/app.git")
        #expect(FileManager.default.fileExists(atPath: kept + "/HEAD"))
        // A new commit on the server: the next run fetches it into the same clone.
        try repo.commit("new key", ["later.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n"])
        try server.serve(repo, as: "acme/app-next")
        try FileManager.default.removeItem(atPath: server.root.file("repos/acme/app.git"))
        try FileManager.default.moveItem(atPath: server.root.file("repos/acme/app-next.git"), toPath: server.root.file("repos/acme/app.git"))
        let (_, report2) = try Keysweep.scanJSON([url, "--clone-dir", clones.path], environment: Self.environment(tmp: tmp))
        #expect(report2.findings.contains { $0.secret == Secrets.keyID2 })
        #expect((try FileManager.default.contentsOfDirectory(atPath: clones.file("127.0.0.1_\(server.port)/git/acme"))) == ["app.git"])
    }

    /// The routes of a GitHub with an organisation (two pages of repositories, a fork, an
    /// archived one), a user with a repository and a public gist, and the token owner's gists.
    static func githubRoutes(_ server: FakeGitHub, script: [String: [String]] = [:]) throws -> [String: Any] {
        func repo(_ name: String, fork: Bool = false, archived: Bool = false, owner: String = "acme") -> [String: Any] {
            ["clone_url": "{base}/git/\(owner)/\(name).git", "html_url": "https://github.example/\(owner)/\(name)",
             "fork": fork, "archived": archived, "private": false, "visibility": "public", "owner": ["login": owner]]
        }
        func gist(_ id: String, owner: String, public isPublic: Bool) -> [String: Any] {
            ["id": id, "git_pull_url": "{base}/git/gists/\(id).git", "html_url": "https://gist.example/\(owner)/\(id)",
             "public": isPublic, "owner": ["login": owner]]
        }
        var routes: [String: Any] = [
            "/orgs/acme/repos": ["pages": [[repo("app"), repo("fork", fork: true)], [repo("old", archived: true), repo("lib")]]],
            "/orgs/acme/members": ["pages": [[["login": "bob"]]]],
            "/users/bob/gists": ["pages": [[gist("b0b0b0", owner: "bob", public: true)]]],
            "/users/alice/repos": ["pages": [[repo("dotfiles", owner: "alice")]]],
            "/users/alice/gists": ["pages": [[gist("a11ce0", owner: "alice", public: true)]]],
            "/gists": ["pages": [[gist("5ec7e7", owner: "alice", public: false)]], "auth": true],
            "/gists/5ec7e7": ["object": gist("5ec7e7", owner: "alice", public: false)],
        ]
        for (path, steps) in script { if var route = routes[path] as? [String: Any] { route["script"] = steps; routes[path] = route } }
        return routes
    }

    /// Serves every repository and gist the routes name; keys: app (keyID), fork (keyID2),
    /// old (keyID2), lib (none), dotfiles (none), gists: a11ce0 and b0b0b0 (none), 5ec7e7 (a
    /// secret gist whose key is only in its first revision).
    static func serveGitHub(_ server: FakeGitHub) throws -> (secretGistFirstRevision: String, secretGistHead: String) {
        try server.serve(try leakyRepo(), as: "acme/app")
        try server.serve(try leakyRepo(Secrets.credentials(Secrets.keyID2, Secrets.secretKey2)), as: "acme/fork")
        try server.serve(try leakyRepo(Secrets.credentials(Secrets.keyID2, Secrets.secretKey2)), as: "acme/old")
        for name in ["acme/lib", "alice/dotfiles", "gists/a11ce0", "gists/b0b0b0"] {
            let clean = try GitRepo()
            try clean.commit("init", ["notes.txt": "nothing here\n"])
            try server.serve(clean, as: name)
        }
        let gist = try GitRepo()
        let first = try gist.commit("rev1", ["debug.log": "botocore: using key \(Secrets.temporaryKeyID)\n"])
        let head = try gist.commit("rev2", ["debug.log": "botocore: using key ****\n"])
        try server.serve(gist, as: "gists/5ec7e7")
        return (first, head)
    }

    @Test func organisationListingFollowsPagesAndLeavesForksAndArchivedOut() throws {
        let server = try FakeGitHub()
        try server.setRoutes(try Self.githubRoutes(server, script: ["/orgs/acme/repos": ["500"]]))
        _ = try Self.serveGitHub(server)
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api, "--clone-jobs", "2"],
                                                     environment: Self.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("public content only"))
        #expect(result.stderr.contains("retrying"))
        #expect(Set(report.targets) == ["\(server.base)/git/acme/app.git", "\(server.base)/git/acme/lib.git"])
        #expect(!report.findings.contains { $0.secret == Secrets.keyID2 })
        let key = try #require(report.findings.first { $0.secret == Secrets.keyID })
        let occurrence = try #require(key.occurrences.first { $0.path == "config/creds.ini" })
        let commit = try #require(occurrence.commit)
        #expect(occurrence.permalink == "https://github.example/acme/app/blob/\(commit)/config/creds.ini#L2")
        #expect(occurrence.remote?.owner == "acme")

        let (_, withAll) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api,
                                                  "--include-forks", "--include-archived"], environment: Self.environment(tmp: tmp))
        #expect(withAll.targets.count == 4)
        #expect(withAll.findings.contains { $0.secret == Secrets.keyID2 })
        // Text, SARIF and the plan carry the permalink too.
        let out = TempDirectory("keysweep-out")
        let text = try Keysweep.run(["scan", "--github-org", "acme", "--github-api-url", server.api, "--remediation", out.file("plan.md")],
                                    environment: Self.environment(tmp: tmp))
        #expect(text.stdout.contains("https://github.example/acme/app/blob/\(commit)/config/creds.ini#L2"))
        #expect((try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)).contains("https://github.example/acme/app/blob/\(commit)"))
        let sarif = try Keysweep.run(["scan", "--github-org", "acme", "--github-api-url", server.api, "--format", "sarif"],
                                     environment: Self.environment(tmp: tmp))
        #expect(sarif.stdout.contains("https://github.example/acme/app/blob/\(commit)/config/creds.ini#L2"))
        #expect(Self.leftovers(tmp).isEmpty)
    }

    @Test func secretGistsOfTheTokenOwnerWithEveryRevision() throws {
        let server = try FakeGitHub()
        try server.setRoutes(try Self.githubRoutes(server))
        let revisions = try Self.serveGitHub(server)
        let tmp = TempDirectory("keysweep-tmp")
        // Without a token --gists cannot list anything.
        let refused = try Keysweep.run(["scan", "--gists", "--github-api-url", server.api], environment: Self.environment(tmp: tmp))
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("GITHUB_TOKEN"))
        let (result, report) = try Keysweep.scanJSON(["--gists", "--github-api-url", server.api],
                                                     environment: Self.environment(tmp: tmp, token: server.token))
        #expect(result.status == 1, "\(result.stderr)")
        let key = try #require(report.findings.first { $0.secret == Secrets.temporaryKeyID })
        #expect(key.in_head == false)
        #expect(key.first.commit == revisions.secretGistFirstRevision)
        let occurrence = try #require(key.occurrences.first)
        #expect(occurrence.remote?.kind == "gist")
        #expect(occurrence.remote?.visibility == "secret")
        #expect(occurrence.remote?.owner == "alice")
        #expect(occurrence.revision == "https://gist.example/alice/5ec7e7/\(revisions.secretGistFirstRevision)")
        #expect(occurrence.permalink == "https://gist.example/alice/5ec7e7/\(revisions.secretGistFirstRevision)#file-debug-log-L1")
        #expect(server.requests.contains { $0.hasPrefix("GET /api/gists?") && $0.hasSuffix("auth=yes") })
        // A gist named by id is looked up through the API: same facts.
        let (_, byID) = try Keysweep.scanJSON(["gist:5ec7e7", "--github-api-url", server.api], environment: Self.environment(tmp: tmp))
        #expect(byID.findings.first { $0.secret == Secrets.temporaryKeyID }?.occurrences.first?.remote?.visibility == "secret")
        // A user's repositories and public gists, and an org's members' gists.
        let (_, user) = try Keysweep.scanJSON(["--github-user", "alice", "--github-org", "acme", "--include-members",
                                               "--github-api-url", server.api], environment: Self.environment(tmp: tmp))
        #expect(Set(user.targets).isSuperset(of: ["\(server.base)/git/alice/dotfiles.git", "\(server.base)/git/gists/a11ce0.git",
                                                  "\(server.base)/git/gists/b0b0b0.git"]))
    }

    @Test func rateLimitsAreWaitedOutOrReportedWithWhatWasNotScanned() throws {
        let server = try FakeGitHub()
        try server.setRoutes(try Self.githubRoutes(server, script: ["/orgs/acme/repos": ["ratelimit:2"], "/users/alice/repos": ["retryafter:3600"]]))
        _ = try Self.serveGitHub(server)
        let tmp = TempDirectory("keysweep-tmp")
        let start = Date()
        let (waited, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api],
                                                     environment: Self.environment(tmp: tmp))
        #expect(Date().timeIntervalSince(start) >= 1)
        #expect(waited.status == 1, "\(waited.stderr)")
        #expect(waited.stderr.contains("rate limit reached; waiting"))
        #expect(report.targets.count == 2)
        // A reset beyond the bound: the org is scanned, the user is named as not scanned, exit 1 (findings).
        let (bounded, partial) = try Keysweep.scanJSON(["--github-org", "acme", "--github-user", "alice", "--github-api-url", server.api,
                                                        "--max-rate-limit-wait", "5"], environment: Self.environment(tmp: tmp))
        #expect(bounded.status == 1)
        #expect(partial.stats.failed_targets?.map(\.target) == ["github user alice"])
        #expect(bounded.stderr.contains("github user alice: not scanned: GitHub rate limit resets in"))
    }

    @Test func badRemoteInputIsOneLineAndExitTwo() throws {
        let server = try FakeGitHub(routes: ["/users/ghost/repos": ["script": ["401"]]])
        let empty = try GitRepo()
        try server.serve(empty, as: "acme/empty")
        try server.serve(try Self.leakyRepo(), as: "acme/big")
        let tmp = TempDirectory("keysweep-tmp")
        let refused = try MotoServer.freePort()
        let blocker = TempDirectory("keysweep-blocker")
        blocker.write("file", "x")
        let cases: [([String], String)] = [
            (["https://"], "malformed URL"),
            (["https://host.example/repo with space.git"], "malformed URL"),
            (["ftp://example.com/repo.git"], "unknown scheme 'ftp'"),
            (["gist:not-a-gist!"], "malformed gist id"),
            (["https://nonexistent.invalid/o/r.git"], "nonexistent.invalid"),
            (["git@nonexistent.invalid:o/r.git"], "nonexistent.invalid"),
            (["http://127.0.0.1:\(refused)/o/r.git"], "connect"),
            (["https://127.0.0.1:\(server.port)/git/acme/big.git"], "127.0.0.1"),
            (["\(server.base)/git/acme/missing.git"], "404"),
            (["\(server.base)/git/acme/empty.git"], "empty"),
            (["\(server.base)/git-cut/acme/big.git"], "cannot fetch"),
            (["--github-user", "nobody", "--github-api-url", server.api], "not found"),
            (["--github-user", "ghost", "--github-api-url", server.api], "401"),
            (["--github-org", "acme", "--github-api-url", "ftp://x"], "not an http(s) URL"),
            (["\(server.base)/git/acme/big.git", "--clone-dir", blocker.file("file/sub")], "--clone-dir"),
            (["\(server.base)/git/acme/big.git", "--clone-jobs", "0"], "--clone-jobs"),
        ]
        for (arguments, expected) in cases {
            let result = try Keysweep.run(["scan"] + arguments, environment: Self.environment(tmp: tmp))
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            let lines = result.stderr.split(separator: "\n").filter { !$0.contains("public content only") }
            #expect(lines.count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("\u{1B}"))
            #expect(Self.leftovers(tmp).isEmpty, "\(arguments) left \(Self.leftovers(tmp))")
        }
        // Among other targets, a failing one is a warning; the rest is scanned and the report lists it.
        let (mixed, report) = try Keysweep.scanJSON(["\(server.base)/git/acme/missing.git", "\(server.base)/git/acme/big.git"],
                                                    environment: Self.environment(tmp: tmp))
        #expect(mixed.status == 1)
        #expect(report.stats.failed_targets?.map(\.target) == ["\(server.base)/git/acme/missing.git"])
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        // Nothing found but a target failed: exit 2 after the report.
        let (clean, _) = try Keysweep.scanJSON(["\(server.base)/git/acme/missing.git", "\(server.base)/git/acme/empty.git"],
                                               environment: Self.environment(tmp: tmp))
        #expect(clean.status == 2)
    }

    @Test func userAndPasswordInAURLAreNeverShown() throws {
        let server = try FakeGitHub()
        try server.serve(try Self.leakyRepo(), as: "acme/app")
        let tmp = TempDirectory("keysweep-tmp")
        let url = "http://someone:hunter2pass@127.0.0.1:\(server.port)/git/acme/app.git"
        let (result, report) = try Keysweep.scanJSON([url], environment: Self.environment(tmp: tmp))
        #expect(result.status == 1)
        #expect(report.targets == ["http://127.0.0.1:\(server.port)/git/acme/app.git"])
        #expect(!result.stdout.contains("hunter2pass") && !result.stderr.contains("hunter2pass"))
    }

    /// A repository big enough that its pack takes more than one write.
    static func bigRepo() throws -> GitRepo {
        let repo = try leakyRepo()
        var files: [String: String] = [:]
        for index in 0..<40 { files["data/\(index).txt"] = (0..<400).map { "line \($0) of file \(index) \(UUID().uuidString)" }.joined(separator: "\n") }
        try repo.commit("bulk", files)
        return repo
    }

    @Test func aStalledTransferIsGivenUpAndLeavesNothingBehind() throws {
        let server = try FakeGitHub()
        try server.serve(try Self.bigRepo(), as: "acme/big")
        try server.serve(try Self.leakyRepo(), as: "acme/small")
        let tmp = TempDirectory("keysweep-tmp")
        let start = Date()
        let (result, report) = try Keysweep.scanJSON(["\(server.base)/git-stall/acme/big.git", "\(server.base)/git/acme/small.git",
                                                      "--remote-timeout", "2"], environment: Self.environment(tmp: tmp))
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.stats.failed_targets?.first?.reason.contains("no data received for 2 s") == true, "\(result.stderr)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        #expect(Self.leftovers(tmp).isEmpty, "\(Self.leftovers(tmp))")
    }

    @Test func ctrlCDuringACloneRemovesTheTemporaryClones() throws {
        let server = try FakeGitHub()
        try server.serve(try Self.bigRepo(), as: "acme/big")
        let tmp = TempDirectory("keysweep-tmp")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Keysweep.binary)
        process.arguments = ["scan", "\(server.base)/git-stall/acme/big.git"]
        process.environment = ProcessInfo.processInfo.environment.merging(Self.environment(tmp: tmp)) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until the clone has started writing into the temporary directory.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let partial = (try? FileManager.default.subpathsOfDirectory(atPath: tmp.path)) ?? []
            if partial.contains(where: { $0.contains(".partial-") && $0.hasSuffix("objects/pack") }) { break }
            usleep(50_000)
        }
        #expect(!Self.leftovers(tmp).isEmpty)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        // 130 from the signal handler, or 2 when the interrupted transfer's error wins the race to exit.
        #expect([128 + SIGINT, 2].contains(process.terminationStatus))
        #expect(Self.leftovers(tmp).isEmpty, "\(Self.leftovers(tmp))")
    }
}
