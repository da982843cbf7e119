import Foundation
import Testing

/// Remote targets taken as the server and GitHub's API describe them, and as the user meant
/// them. Real servers on 127.0.0.1, the built binary.
@Suite(.serialized) struct RemoteDefaultsTests {
    typealias Base = RemoteTargetTests

    /// A repository on `main` whose key is still there.
    static func keyOnMain() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello\n"])
        try repo.commit("add creds", ["config/creds.ini": Secrets.credentials()])
        return repo
    }

    static func serverGit(_ server: FakeGitHub, _ name: String, _ arguments: [String]) throws {
        let result = try Run.process("/usr/bin/git", ["--git-dir", server.root.file("repos/\(name).git")] + arguments)
        guard result.status == 0 else { throw TestFailure("git \(arguments) failed: \(result.stderr)") }
    }

    @Test func headOfAClonedURLIsTheServersDefaultBranch() throws {
        let server = try FakeGitHub()
        let url = try server.serve(try Self.keyOnMain(), as: "acme/app")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON([url], environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        let key = try #require(report.findings.first { $0.secret == Secrets.keyID })
        #expect(key.in_head == true)
        let text = try Keysweep.run(["scan", url], environment: Base.environment(tmp: tmp))
        #expect(text.stdout.contains("exposure: in HEAD"), "\(text.stdout)")
        let plan = tmp.file("plan.md")
        _ = try Keysweep.run(["scan", url, "--remediation", plan], environment: Base.environment(tmp: tmp))
        let written = try String(contentsOfFile: plan, encoding: .utf8)
        #expect(!written.contains("never on it"), "\(written)")
    }

    @Test func aKeptCloneFollowsTheServersDefaultBranchWhenItChanges() throws {
        let server = try FakeGitHub()
        let repo = try Self.keyOnMain()
        try repo.git(["checkout", "-q", "-b", "clean"])
        try repo.commit("no creds here", [:], remove: ["config/creds.ini"])
        try repo.git(["checkout", "-q", "main"])
        let url = try server.serve(repo, as: "acme/app")
        let clones = TempDirectory("keysweep-clones")
        let tmp = TempDirectory("keysweep-tmp")
        let (_, first) = try Keysweep.scanJSON([url, "--clone-dir", clones.path], environment: Base.environment(tmp: tmp))
        #expect(first.findings.first { $0.secret == Secrets.keyID }?.in_head == true)
        // The server's default branch becomes `clean`: the fetch into the kept clone moves HEAD.
        try Self.serverGit(server, "acme/app", ["symbolic-ref", "HEAD", "refs/heads/clean"])
        let (_, second) = try Keysweep.scanJSON([url, "--clone-dir", clones.path], environment: Base.environment(tmp: tmp))
        #expect(second.findings.first { $0.secret == Secrets.keyID }?.in_head == false)
        let head = try String(contentsOfFile: clones.file("127.0.0.1_\(server.port)/git/acme/app.git/HEAD"), encoding: .utf8)
        #expect(head == "ref: refs/heads/clean\n")
    }

    @Test func listedRepositoriesAndGistsTakeTheServersHeadOrElseTheAPIsDefaultBranch() throws {
        let server = try FakeGitHub()
        try server.serve(try Self.keyOnMain(), as: "acme/app")
        // HEAD names a branch that does not exist: the server advertises no HEAD at all.
        try server.serve(try Self.keyOnMain(), as: "acme/nohead")
        try Self.serverGit(server, "acme/nohead", ["symbolic-ref", "HEAD", "refs/heads/gone"])
        try server.serve(try Self.keyOnMain(), as: "gists/9a9a9a")
        func repo(_ name: String) -> [String: Any] {
            ["clone_url": "{base}/git/acme/\(name).git", "html_url": "https://github.example/acme/\(name)", "fork": false,
             "archived": false, "visibility": "public", "owner": ["login": "acme"], "default_branch": "main"]
        }
        try server.setRoutes([
            "/orgs/acme/repos": ["pages": [[repo("app")]]],
            "/orgs/solo/repos": ["pages": [[repo("nohead")]]],
            "/gists/9a9a9a": ["object": ["id": "9a9a9a", "git_pull_url": "{base}/git/gists/9a9a9a.git", "public": true,
                                         "html_url": "https://gist.example/alice/9a9a9a", "owner": ["login": "alice"]]],
        ])
        let tmp = TempDirectory("keysweep-tmp")
        for arguments in [["--github-org", "acme"], ["--github-org", "solo"], ["gist:9a9a9a"]] {
            let (result, report) = try Keysweep.scanJSON(arguments + ["--github-api-url", server.api], environment: Base.environment(tmp: tmp))
            #expect(result.status == 1, "\(arguments): \(result.stderr)")
            #expect(report.findings.first { $0.secret == Secrets.keyID }?.in_head == true, "\(arguments)")
        }
    }

    @Test func aListingWithNothingToScanSaysWhatItHeld() throws {
        let server = try FakeGitHub()
        try server.serve(try Base.leakyRepo(), as: "acme/app")
        let fork: [String: Any] = ["clone_url": "{base}/git/acme/app.git", "fork": true, "archived": false, "owner": ["login": "forky"]]
        let app: [String: Any] = ["clone_url": "{base}/git/acme/app.git", "fork": false, "archived": false, "owner": ["login": "acme"]]
        try server.setRoutes([
            "/orgs/empty/repos": ["pages": [[]]],
            "/orgs/forky/repos": ["pages": [[fork]]],
            "/orgs/acme/repos": ["pages": [[app]]],
            "/users/nobody/repos": ["pages": [[]]],
            "/users/nobody/gists": ["pages": [[]]],
        ])
        let tmp = TempDirectory("keysweep-tmp")
        let cases: [([String], String)] = [
            (["--github-org", "empty"], "nothing to scan: github org empty lists no repository or gist"),
            (["--github-user", "nobody"], "nothing to scan: github user nobody lists no repository or gist"),
            (["--github-org", "forky"], "nothing to scan: github org forky lists 1 repository, none to scan (1 fork left out: --include-forks)"),
        ]
        for (arguments, expected) in cases {
            let result = try Keysweep.run(["scan"] + arguments + ["--github-api-url", server.api], environment: Base.environment(tmp: tmp))
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stdout)")
            let lines = result.stderr.split(separator: "\n").filter { !$0.contains("public content only") }
            #expect(lines == ["keysweep: \(expected)"], "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        // Beside a listing with something to scan, an empty one is a warning.
        let (mixed, report) = try Keysweep.scanJSON(["--github-org", "empty", "--github-org", "acme", "--github-api-url", server.api],
                                                    environment: Base.environment(tmp: tmp))
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("keysweep: warning: github org empty lists no repository or gist"), "\(mixed.stderr)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
    }

    @Test func gistURLsOfAGitHubEnterpriseHostAreLookedUpAsGists() throws {
        let server = try FakeGitHub()
        try server.setRoutes(try Base.githubRoutes(server))
        let revisions = try Base.serveGitHub(server)
        let tmp = TempDirectory("keysweep-tmp")
        // The API at http://127.0.0.1:PORT/api makes 127.0.0.1:PORT the Enterprise host.
        for url in ["\(server.base)/gist/alice/5ec7e7", "\(server.base)/gist/5ec7e7", "\(server.base)/gist/5ec7e7.git"] {
            let (result, report) = try Keysweep.scanJSON([url, "--github-api-url", server.api], environment: Base.environment(tmp: tmp))
            #expect(result.status == 1, "\(url): \(result.stderr)")
            let key = try #require(report.findings.first { $0.secret == Secrets.temporaryKeyID }, "\(url)")
            #expect(key.first.commit == revisions.secretGistFirstRevision)
            #expect(key.occurrences.first?.remote?.kind == "gist")
            #expect(key.occurrences.first?.remote?.owner == "alice")
        }
        #expect(server.requests.filter { $0.hasPrefix("GET /api/gists/5ec7e7 ") }.count == 3)
    }

    @Test func secretGistsAreCalledUnlistedInTextAndPlanButSecretInJSON() throws {
        let server = try FakeGitHub()
        try server.setRoutes(try Base.githubRoutes(server))
        _ = try Base.serveGitHub(server)
        let tmp = TempDirectory("keysweep-tmp")
        let plan = tmp.file("plan.md")
        let text = try Keysweep.run(["scan", "gist:5ec7e7", "--github-api-url", server.api, "--remediation", plan],
                                    environment: Base.environment(tmp: tmp))
        #expect(text.status == 1, "\(text.stderr)")
        #expect(text.stdout.contains("secret (unlisted) remote"), "\(text.stdout)")
        #expect(text.stdout.contains("owner alice, secret (unlisted)"), "\(text.stdout)")
        #expect(!text.stdout.contains("secret remote"))
        #expect(try String(contentsOfFile: plan, encoding: .utf8).contains("owner alice, secret (unlisted)"))
        let (_, report) = try Keysweep.scanJSON(["gist:5ec7e7", "--github-api-url", server.api], environment: Base.environment(tmp: tmp))
        #expect(report.findings.first { $0.secret == Secrets.temporaryKeyID }?.occurrences.first?.remote?.visibility == "secret")
    }

    @Test func insteadOfInTheUsersGitConfigDoesNotRewriteWhatIsCloned() throws {
        let server = try FakeGitHub()
        let url = try server.serve(try Base.leakyRepo(), as: "acme/app")
        let home = TempDirectory("keysweep-home")
        home.write(".gitconfig", "[url \"nowhere://mirror/\"]\n\tinsteadOf = \(server.base)/\n")
        let tmp = TempDirectory("keysweep-tmp")
        var environment = Base.environment(tmp: tmp)
        environment["HOME"] = home.path
        environment["XDG_CONFIG_HOME"] = home.file(".config")
        // git itself would rewrite it (the config is read).
        let git = try Run.process("/usr/bin/git", ["ls-remote", url], environment: ProcessInfo.processInfo.environment.merging(environment) { _, new in new })
        #expect(git.status != 0 && git.stderr.contains("nowhere"), "\(git.stderr)")
        let clones = TempDirectory("keysweep-clones")
        for run in 1...2 {
            let (result, report) = try Keysweep.scanJSON([url, "--clone-dir", clones.path], environment: environment)
            #expect(result.status == 1, "run \(run): \(result.stderr)")
            #expect(report.findings.contains { $0.secret == Secrets.keyID }, "run \(run)")
        }
    }
}
