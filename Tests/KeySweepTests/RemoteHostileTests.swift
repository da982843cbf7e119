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

}
