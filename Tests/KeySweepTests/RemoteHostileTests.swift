import Foundation
import Testing

/// Servers that misbehave on purpose, each bounded or refused. Real servers on 127.0.0.1, the
/// built binary.
@Suite(.serialized) struct RemoteHostileTests {
    typealias Base = RemoteTargetTests

    static func repo(_ name: String, clone: String? = nil) -> [String: Any] {
        ["clone_url": clone ?? "{base}/git/acme/\(name).git", "html_url": "https://github.example/acme/\(name)",
         "fork": false, "archived": false, "visibility": "public", "owner": ["login": "acme"]]
    }

    @Test func aListingWhoseNextPagesNeverEndStopsAtThePageLimit() throws {
        let server = try FakeGitHub(routes: ["/orgs/acme/repos": ["pages": [[Self.repo("app")]], "endless": true]])
        try server.serve(try Base.leakyRepo(), as: "acme/app")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api],
                                                     environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        // What was listed is scanned; the listing is named as incomplete.
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        let failed = try #require(report.stats.failed_targets?.first)
        #expect(failed.target == "github org acme")
        #expect(failed.reason.contains("listing stopped after 1000 pages"), "\(failed.reason)")
        #expect(result.stderr.contains("github org acme: not scanned: listing stopped after 1000 pages"))
        #expect(server.requests.filter { $0.hasPrefix("GET /api/orgs/acme/repos") }.count == 1000)
    }

    @Test func aListingPageOfMoreThanTheItemLimitIsCutThere() throws {
        let item: [String: Any] = ["clone_url": "{base}/git/acme/app.git", "fork": false, "archived": false]
        let server = try FakeGitHub(routes: ["/orgs/acme/repos": ["pages": [Array(repeating: item, count: 100_001)]]])
        try server.serve(try Base.leakyRepo(), as: "acme/app")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api],
                                                     environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        #expect(report.stats.failed_targets?.map(\.target) == ["github org acme"])
        #expect(report.stats.failed_targets?.first?.reason.contains("listing stopped after 100000 items") == true, "\(result.stderr)")
    }

    @Test func aListingWhoseNextPageLoopsStopsAtTheRepeatedPage() throws {
        let server = try FakeGitHub(routes: ["/orgs/acme/repos": ["pages": [[Self.repo("app")]], "loop": true]])
        try server.serve(try Base.leakyRepo(), as: "acme/app")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api],
                                                     environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        #expect(report.stats.failed_targets?.first?.reason.contains("repeats an earlier one") == true, "\(result.stderr)")
        // The first page, page 1 once by its own name, and no more.
        #expect(server.requests.filter { $0.hasPrefix("GET /api/orgs/acme/repos") }.count == 2)
    }

    @Test func aDrippedAPIAnswerIsGivenUpAtTheRemoteTimeout() throws {
        let server = try FakeGitHub(routes: ["/orgs/acme/repos": ["pages": [[Self.repo("app"), Self.repo("lib")]], "drip": true]])
        let tmp = TempDirectory("keysweep-tmp")
        let start = Date()
        let result = try Keysweep.run(["scan", "--github-org", "acme", "--github-api-url", server.api, "--remote-timeout", "3"],
                                      environment: Base.environment(tmp: tmp))
        // The body takes hundreds of seconds at a byte a second.
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(result.status == 2, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { !$0.contains("public content only") }
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("github org acme: GitHub API 127.0.0.1: no complete answer"), "\(result.stderr)")
        #expect(result.stderr.contains("within 3 s (--remote-timeout)"))
    }

    @Test func aCloneBiggerThanMaxCloneSizeIsStoppedAndRemoved() throws {
        let server = try FakeGitHub()
        let big = try server.serve(try Base.bigRepo(), as: "acme/big")
        let small = try server.serve(try Base.leakyRepo(), as: "acme/small")
        let tmp = TempDirectory("keysweep-tmp")
        let (result, report) = try Keysweep.scanJSON([big, small, "--max-clone-size", "100K"], environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        let failed = try #require(report.stats.failed_targets?.first)
        #expect(failed.target == big)
        #expect(failed.reason.contains("more than --max-clone-size 100 KiB"), "\(failed.reason)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        #expect(Base.leftovers(tmp).isEmpty, "\(Base.leftovers(tmp))")
        // Alone, a one-line error; a kept clone directory keeps nothing of it.
        let clones = TempDirectory("keysweep-clones")
        let alone = try Keysweep.run(["scan", big, "--max-clone-size", "100k", "--clone-dir", clones.path], environment: Base.environment(tmp: tmp))
        #expect(alone.status == 2)
        #expect(alone.stderr.split(separator: "\n").count == 1, "\(alone.stderr)")
        #expect(alone.stderr.contains("--max-clone-size"))
        #expect((try FileManager.default.subpathsOfDirectory(atPath: clones.path)).allSatisfy { !$0.contains("big") })
        // The default (10G) lets it through.
        let (whole, _) = try Keysweep.scanJSON([big], environment: Base.environment(tmp: tmp))
        #expect(whole.status == 1, "\(whole.stderr)")
        for bad in ["lots", "0", "-5M", "99999999999G"] {
            let refused = try Keysweep.run(["scan", big, "--max-clone-size", bad], environment: Base.environment(tmp: tmp))
            #expect(refused.status == 2)
            #expect(refused.stderr.contains("--max-clone-size"), "\(bad): \(refused.stderr)")
            #expect(refused.stderr.split(separator: "\n").count == 1, "\(bad): \(refused.stderr)")
        }
    }

    @Test func theTokenGoesOnlyToTheExactOriginOfTheAPI() throws {
        let git = try FakeGitHub()
        let url = try git.serve(try Base.leakyRepo(), as: "private/app")
        let tmp = TempDirectory("keysweep-tmp")
        // Same host, but https on another port: the plain-HTTP server gets no token.
        let otherPort = try MotoServer.freePort()
        let result = try Keysweep.run(["scan", url, "--github-api-url", "https://127.0.0.1:\(otherPort)/api"],
                                      environment: Base.environment(tmp: tmp, token: git.token))
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("authentication required"), "\(result.stderr)")
        #expect(!git.requests.contains { $0.hasSuffix("auth=yes") }, "\(git.requests)")
        // The API's own origin, named with --github-api-url, gets it (plain HTTP included).
        let named = try Keysweep.run(["scan", url, "--github-api-url", git.api], environment: Base.environment(tmp: tmp, token: git.token))
        #expect(named.status == 1, "\(named.stderr)")
        #expect(git.requests.contains { $0.hasPrefix("GET /git/private/app.git/info/refs") && $0.hasSuffix("auth=yes") })
    }

    @Test func theTokenIsNotGivenAfterARedirectToAnotherOrigin() throws {
        let api = try FakeGitHub()
        let elsewhere = try FakeGitHub(token: api.token)
        try elsewhere.serve(try Base.leakyRepo(), as: "private/app")
        let tmp = TempDirectory("keysweep-tmp")
        // The API's own server redirects the clone to another port of the same host.
        let url = "\(api.base)/redirect/\(elsewhere.port)/git/private/app.git"
        let result = try Keysweep.run(["scan", url, "--github-api-url", api.api], environment: Base.environment(tmp: tmp, token: api.token))
        #expect(api.requests.contains { $0.hasPrefix("GET /redirect/") }, "\(api.requests)")
        #expect(elsewhere.requests.contains { $0.hasPrefix("GET /git/private/app.git/info/refs") }, "\(elsewhere.requests)")
        #expect(!elsewhere.requests.contains { $0.hasSuffix("auth=yes") }, "\(elsewhere.requests)")
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("authentication required"), "\(result.stderr)")
    }

    @Test func cloneURLsOfTheAPIOutsideItsOriginAreRefused() throws {
        let server = try FakeGitHub()
        try server.serve(try Base.leakyRepo(), as: "acme/app")
        // A local repository with another key, and a repository on another origin.
        let local = try Base.leakyRepo(Secrets.credentials(Secrets.keyID2, Secrets.secretKey2))
        let other = try FakeGitHub()
        try other.serve(try Base.leakyRepo(Secrets.credentials(Secrets.keyID2, Secrets.secretKey2)), as: "acme/other")
        try server.setRoutes([
            "/orgs/acme/repos": ["pages": [[Self.repo("app"), Self.repo("local", clone: "file://\(local.path)"),
                                            Self.repo("other", clone: "\(other.base)/git/acme/other.git")]]],
            "/gists/f11e": ["object": ["id": "f11e", "git_pull_url": "file://\(local.path)", "public": true, "owner": ["login": "eve"]]],
        ])
        let tmp = TempDirectory("keysweep-tmp")
        let clones = TempDirectory("keysweep-clones")
        let (result, report) = try Keysweep.scanJSON(["--github-org", "acme", "--github-api-url", server.api, "--clone-dir", clones.path],
                                                     environment: Base.environment(tmp: tmp))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.findings.contains { $0.secret == Secrets.keyID })
        #expect(!report.findings.contains { $0.secret == Secrets.keyID2 })
        let failed = report.stats.failed_targets ?? []
        #expect(Set(failed.map(\.target)) == ["file://\(local.path)", "\(other.base)/git/acme/other.git"], "\(failed)")
        #expect(failed.allSatisfy { $0.reason.contains("the API's clone URL is not on \(server.base)") }, "\(failed)")
        #expect(other.requests.isEmpty)
        #expect((try FileManager.default.subpathsOfDirectory(atPath: clones.path)).allSatisfy { !$0.contains("local") && !$0.contains("other") })
        // A gist looked up by id: a one-line error.
        let gist = try Keysweep.run(["scan", "gist:f11e", "--github-api-url", server.api], environment: Base.environment(tmp: tmp))
        #expect(gist.status == 2)
        #expect(gist.stderr.contains("gist f11e: the API's clone URL is not on"), "\(gist.stderr)")
        #expect(!gist.stdout.contains(Secrets.keyID2))
        // Every API request named keysweep and its version.
        let version = try Keysweep.run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let apiRequests = server.requests.filter { $0.hasPrefix("GET /api/") }
        #expect(!apiRequests.isEmpty)
        #expect(apiRequests.allSatisfy { $0.contains(" ua=keysweep/\(version) ") }, "\(apiRequests)")
    }
}
