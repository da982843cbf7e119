import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// How keysweep is published and installed (issue 29): every GitHub Actions workflow (the
/// repository's own under .github/workflows/ and the deploy/ template) passes actionlint (from
/// .venv-test); the release workflow builds with scripts/release.sh and publishes the tarballs,
/// the .debs, SHA256SUMS and the container image; and the Action's download path
/// (scripts/action.sh) is run against a release served over real HTTP on 127.0.0.1.
@Suite(.serialized) struct DeployRecipeReleaseTests {
    static let root = DeployRecipeTests.root

    /// Every workflow file actionlint must pass: the repository's own and the deploy/ template.
    static func workflows() throws -> [String] {
        var files: [String] = []
        for directory in [".github/workflows", "deploy/github-actions"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(directory)")) ?? []
            files += names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { "\(root)/\(directory)/\($0)" }
        }
        return files
    }

    static func actionlint() throws -> String {
        guard let actionlint = MotoServer.which("actionlint") else {
            throw TestFailure("actionlint is not installed: run scripts/install-deps.sh --test (it goes into .venv-test)")
        }
        return actionlint
    }

    @Test func everyWorkflowPassesActionlint() throws {
        let actionlint = try Self.actionlint()
        let files = try Self.workflows()
        for expected in [".github/workflows/release.yml", ".github/workflows/ci.yml", "deploy/github-actions/keysweep-org.yml"] {
            #expect(files.contains("\(Self.root)/\(expected)"), "\(expected) is missing")
        }
        let result = try Run.process(actionlint, ["-no-color"] + files, cwd: Self.root)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")

        // The linter is live: an undefined job in `needs` and a misspelt context fail it.
        let dir = TempDirectory()
        let release = try String(contentsOfFile: "\(Self.root)/.github/workflows/release.yml", encoding: .utf8)
        dir.write("bad.yml", release.replacingOccurrences(of: "github.ref_name", with: "github.ref_nmae"))
        let bad = try Run.process(actionlint, ["-no-color", dir.file("bad.yml")], cwd: dir.path)
        #expect(bad.status != 0 && bad.stdout.contains("ref_nmae"), "\(bad.stdout)\(bad.stderr)")
    }

    /// A `v*` tag builds both architectures with scripts/release.sh, publishes the tarballs and
    /// .debs with SHA256SUMS as a GitHub release, and pushes the Dockerfile's image to GHCR.
    @Test func releaseWorkflowPublishesTarballsDebsChecksumsAndTheImage() throws {
        let workflow = try #require(try DeployRecipeTests.documents("\(Self.root)/.github/workflows/release.yml").first)
        // PyYAML reads the key `on` as the boolean true.
        let trigger = try #require((workflow["on"] ?? workflow["True"] ?? workflow["true"]) as? [String: Any])
        #expect(((trigger["push"] as? [String: Any])?["tags"] as? [String]) == ["v*"])
        #expect((workflow["permissions"] as? [String: Any])?["contents"] as? String == "read")
        let jobs = try #require(workflow["jobs"] as? [String: Any])
        func steps(_ job: String) -> [[String: Any]] { ((jobs[job] as? [String: Any])?["steps"] as? [[String: Any]]) ?? [] }
        func runs(_ job: String) -> String { steps(job).compactMap { $0["run"] as? String }.joined(separator: "\n") }

        let build = try #require(jobs["build"] as? [String: Any])
        let runners = (((build["strategy"] as? [String: Any])?["matrix"] as? [String: Any])?["include"] as? [[String: Any]])?
            .compactMap { $0["runner"] as? String } ?? []
        #expect(runners.count == 2 && runners.contains { $0.hasSuffix("-arm") }, "x86_64 and arm64: \(runners)")
        #expect(runs("build").contains("scripts/release.sh dist"))

        let publish = try #require(jobs["publish"] as? [String: Any])
        #expect((publish["permissions"] as? [String: Any])?["contents"] as? String == "write")
        #expect(Set((publish["needs"] as? [String]) ?? []).isSuperset(of: ["build", "image-manifest"]), "published after the image")
        let publishing = runs("publish")
        #expect(publishing.contains("sha256sum keysweep-*.tar.gz keysweep_*.deb > SHA256SUMS"))
        #expect(publishing.contains("gh release create") && publishing.contains("dist/SHA256SUMS"))
        #expect(steps("publish").contains { ($0["env"] as? [String: Any])?["GH_TOKEN"] as? String == "${{ github.token }}" })

        let image = try #require(jobs["image"] as? [String: Any])
        #expect((image["permissions"] as? [String: Any])?["packages"] as? String == "write")
        let login = steps("image").first { ($0["uses"] as? String)?.hasPrefix("docker/login-action@") == true }
        #expect((login?["with"] as? [String: Any])?["registry"] as? String == "ghcr.io")
        #expect((login?["with"] as? [String: Any])?["password"] as? String == "${{ secrets.GITHUB_TOKEN }}")
        let push = steps("image").first { ($0["uses"] as? String)?.hasPrefix("docker/build-push-action@") == true }
        let pushWith = (push?["with"] as? [String: Any]) ?? [:]
        #expect((pushWith["outputs"] as? String)?.contains("push=true") == true, "\(pushWith)")
        #expect(pushWith["file"] == nil || pushWith["file"] as? String == "Dockerfile")
        #expect(runs("image-manifest").contains("docker buildx imagetools create"))
    }
}
