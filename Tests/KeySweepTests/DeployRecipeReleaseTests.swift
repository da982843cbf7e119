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
        // With shellcheck on PATH actionlint checks every run: script too.
        guard MotoServer.which("shellcheck") != nil else {
            throw TestFailure("shellcheck is not installed: run scripts/install-deps.sh --test")
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

        // The linter is live: a misspelt context fails it, and so does a word-splitting variable
        // in a run: script (shellcheck's SC2086).
        let dir = TempDirectory()
        let release = try String(contentsOfFile: "\(Self.root)/.github/workflows/release.yml", encoding: .utf8)
        dir.write("bad.yml", release.replacingOccurrences(of: "github.ref_name", with: "github.ref_nmae"))
        let bad = try Run.process(actionlint, ["-no-color", dir.file("bad.yml")], cwd: dir.path)
        #expect(bad.status != 0 && bad.stdout.contains("ref_nmae"), "\(bad.stdout)\(bad.stderr)")
        dir.write("unquoted.yml", release.replacingOccurrences(of: "touch \"digests/${DIGEST#sha256:}\"", with: "touch digests/$DIGEST"))
        let unquoted = try Run.process(actionlint, ["-no-color", dir.file("unquoted.yml")], cwd: dir.path)
        #expect(unquoted.status != 0 && unquoted.stdout.contains("SC2086"), "\(unquoted.stdout)\(unquoted.stderr)")
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
        let manifestNeeds = ((jobs["image-manifest"] as? [String: Any])?["needs"] as? [String]) ?? []
        #expect(Set(manifestNeeds) == ["build", "image"], "no image is tagged for a tag that is not the version: \(manifestNeeds)")
        #expect(runs("build").contains("static let current"), "the build checks the tag against the version")
    }

    /// The Kubernetes recipe runs the image the release publishes (ghcr.io, tagged with the
    /// version), with the shell that image has: nothing is built for it.
    @Test func kubernetesRecipeRunsThePublishedImage() throws {
        let options = try String(contentsOfFile: "\(Self.root)/Sources/KeySweep/Reports/ReportOptions.swift", encoding: .utf8)
        let version = try #require(options.firstMatch(of: /static let current = "([^"]+)"/)?.1)
        let dockerfile = try String(contentsOfFile: "\(Self.root)/Dockerfile", encoding: .utf8)
        let runtime = try #require(dockerfile.split(separator: "\n").last { $0.hasPrefix("FROM ") })
        // distroless's debug images hold busybox, its shell at /busybox/sh.
        #expect(runtime.hasPrefix("FROM gcr.io/distroless/") && runtime.contains(":debug"), "\(runtime)")
        for (file, job) in [(DeployRecipeTests.manifests[1], "keysweep-scan"), (DeployRecipeTests.manifests[2], "keysweep-merge")] {
            let documents = try DeployRecipeTests.documents(file)
            let spec = try #require(DeployRecipeTests.job(documents, named: job).flatMap(Self.podSpec))
            let container = try #require((spec["containers"] as? [[String: Any]])?.first)
            let image = try #require(container["image"] as? String)
            #expect(image.hasPrefix("ghcr.io/") && image.hasSuffix("/keysweep:\(version)"), "\(job): \(image)")
            #expect((container["command"] as? [String])?.first == "/busybox/sh", "\(job): \(container["command"] ?? "")")
        }
    }

    static func podSpec(_ job: [String: Any]) -> [String: Any]? {
        ((job["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any]
    }

    /// The Action's download path for real: a release (a tarball in scripts/release.sh's layout,
    /// holding the debug binary, and the release's SHA256SUMS) served by python3's http.server on
    /// 127.0.0.1; scripts/action.sh downloads it for the runner's platform, checks it, installs it
    /// and scans. With a tampered SHA256SUMS it stops with one line and installs nothing.
    @Test func actionDownloadsChecksInstallsAndScansAReleaseOverHTTP() throws {
        let tmp = TempDirectory("keysweep-release")
        let version = "0.1.0"
        let arch = try Self.machineArch()
        let name = "keysweep-\(version)-linux-\(arch)"
        try Self.packRelease(name: name, into: tmp.file("site/v\(version)"), scratch: tmp.file("stage"))
        let sums = try Run.process("/usr/bin/sha256sum", ["\(name).tar.gz"], cwd: tmp.file("site/v\(version)"))
        #expect(sums.status == 0)
        // The release's SHA256SUMS names every asset: another one first, as a real release's does.
        tmp.write("site/v\(version)/SHA256SUMS", "\(String(repeating: "0", count: 64))  keysweep_\(version)_amd64.deb\n" + sums.stdout)

        let repo = try GitRepo()
        _ = try repo.commit("add deploy", ["deploy.env": "AWS_ACCESS_KEY_ID=AKIAZAVB57H55F3T4BKH\nAWS_SECRET_ACCESS_KEY=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\n"])

        let server = try StaticHTTPServer(directory: tmp.file("site"))
        defer { server.stop() }
        func action(home: String) throws -> ProcessResult {
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: "\(home)/output", contents: nil)
            _ = FileManager.default.createFile(atPath: "\(home)/path", contents: nil)
            // No keysweep on PATH: the action must download it.
            return try Run.process("/bin/bash", ["\(Self.root)/scripts/action.sh"], cwd: home, environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": home, "TMPDIR": tmp.path,
                "XDG_STATE_HOME": Keysweep.stateHome,
                "RUNNER_OS": "Linux", "RUNNER_ARCH": arch == "arm64" ? "ARM64" : "X64",
                "ACTION_REPOSITORY": "example/keysweep", "ACTION_REF": "v\(version)",
                "KEYSWEEP_RELEASE_BASE_URL": server.url,
                "INPUT_TARGET": repo.path, "INPUT_FAIL_ON": "high", "INPUT_SARIF_FILE": "\(home)/keysweep.sarif",
                "GITHUB_OUTPUT": "\(home)/output", "GITHUB_PATH": "\(home)/path",
            ])
        }

        let good = try action(home: tmp.file("good"))
        let installed = tmp.file("good/.local/bin/keysweep")
        #expect(good.status == 0, "\(good.stdout)\(good.stderr)")
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        #expect(FileManager.default.fileExists(atPath: tmp.file("good/.local/share/man/man1/keysweep.1")))
        #expect(good.stderr.contains("installed keysweep \(version) from \(server.url)/v\(version)/\(name).tar.gz"), "\(good.stderr)")
        let output = try String(contentsOfFile: tmp.file("good/output"), encoding: .utf8)
        #expect(output.contains("findings=1") && output.contains("sarif-file=\(tmp.file("good/keysweep.sarif"))"), "\(output)")
        #expect(try String(contentsOfFile: tmp.file("good/path"), encoding: .utf8) == tmp.file("good/.local/bin") + "\n")
        let sarif = try Workflow.json(try String(contentsOfFile: tmp.file("good/keysweep.sarif"), encoding: .utf8))
        let results = ((sarif["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
        #expect(!results.isEmpty, "the installed keysweep scanned the repository")
        #expect(good.stdout.contains("::error "), "annotations: \(good.stdout)")
        let requests = server.log()
        #expect(requests.contains("GET /v\(version)/\(name).tar.gz ") && requests.contains("GET /v\(version)/SHA256SUMS "), "\(requests)")

        // A checksum that does not match: one line, exit 2, nothing installed, no scan.
        let other = String(repeating: "ab", count: 32)
        tmp.write("site/v\(version)/SHA256SUMS", "\(other)  \(name).tar.gz\n")
        let tampered = try action(home: tmp.file("tampered"))
        #expect(tampered.status == 2, "\(tampered.stdout)\(tampered.stderr)")
        let lines = tampered.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains("\(name).tar.gz does not match its SHA-256 in \(server.url)/v\(version)/SHA256SUMS"), "\(tampered.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("tampered/.local")), "nothing installed")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("tampered/keysweep.sarif")))
        #expect(try String(contentsOfFile: tmp.file("tampered/path"), encoding: .utf8).isEmpty)

        // A release whose SHA256SUMS does not name the tarball is refused the same way.
        tmp.write("site/v\(version)/SHA256SUMS", "\(other)  keysweep_\(version)_amd64.deb\n")
        let unnamed = try action(home: tmp.file("unnamed"))
        #expect(unnamed.status == 2 && unnamed.stderr.split(separator: "\n").count == 1
                && unnamed.stderr.contains("SHA256SUMS has no checksum for \(name).tar.gz"), "\(unnamed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file("unnamed/.local")))
    }

    /// Where no release fits, the Action says so in one line (and how to build from source)
    /// before downloading anything.
    @Test func actionRefusesAPlatformOrRefWithoutARelease() throws {
        let tmp = TempDirectory("keysweep-release")
        func action(_ extra: [String: String]) throws -> ProcessResult {
            try Run.process("/bin/bash", ["\(Self.root)/scripts/action.sh"], cwd: tmp.path, environment: [
                "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": tmp.path,
                "KEYSWEEP_RELEASE_BASE_URL": "http://127.0.0.1:9", "GITHUB_OUTPUT": tmp.file("output"),
            ].merging(extra) { _, new in new })
        }
        let windows = try action(["RUNNER_OS": "Windows", "RUNNER_ARCH": "X64", "ACTION_REF": "v0.1.0"])
        #expect(windows.status == 2 && windows.stderr == "keysweep action: no keysweep release for Windows X64 (releases are for Linux X64 and ARM64): set build-from-source: true\n", "\(windows.stderr)")
        let branch = try action(["RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "ACTION_REF": "main"])
        #expect(branch.status == 2 && branch.stderr.split(separator: "\n").count == 1
                && branch.stderr.contains("'main' is not a release tag (vX.Y.Z): set the version input, or build-from-source: true"), "\(branch.stderr)")
        // The version input names the release whatever the action's ref; nothing served there.
        let missing = try action(["RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", "ACTION_REF": "main", "INPUT_VERSION": "0.1.0"])
        #expect(missing.status == 2 && missing.stderr.split(separator: "\n").count == 1
                && missing.stderr.contains("cannot download http://127.0.0.1:9/v0.1.0/keysweep-0.1.0-linux-x86_64.tar.gz"), "\(missing.stderr)")
        // Without github.action_ref (composite actions may lack it) the ref is the action's path's.
        let fromPath = try action(["RUNNER_OS": "Linux", "RUNNER_ARCH": "ARM64", "GITHUB_ACTION_PATH": "/home/runner/work/_actions/acme/keysweep/v0.2.0"])
        #expect(fromPath.status == 2 && fromPath.stderr.contains("cannot download http://127.0.0.1:9/v0.2.0/keysweep-0.2.0-linux-arm64.tar.gz"), "\(fromPath.stderr)")
        #expect(!FileManager.default.fileExists(atPath: tmp.file(".local")))
    }

    /// `build-from-source: true` builds keysweep from the action's own checkout (a stand-in
    /// `swift` records the build and puts the debug binary where `--show-bin-path` says) and
    /// scans with it: nothing is downloaded, even for a ref that is no release.
    @Test func actionBuildsFromSourceWhenAsked() throws {
        let tmp = TempDirectory("keysweep-release")
        tmp.write("fakebin/swift", """
            #!/bin/sh
            case "$*" in
                "build -c release --show-bin-path") echo "$FAKE_SWIFT_OUT" ;;
                "build -c release --product keysweep")
                    mkdir -p "$FAKE_SWIFT_OUT" && cp "$FAKE_KEYSWEEP" "$FAKE_SWIFT_OUT/keysweep" && pwd > "$FAKE_SWIFT_OUT/built-in" ;;
                *) echo "unexpected: swift $*" >&2; exit 3 ;;
            esac
            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tmp.file("fakebin/swift"))
        let repo = try GitRepo()
        _ = try repo.commit("add deploy", ["deploy.env": "AWS_ACCESS_KEY_ID=AKIAZAVB57H55F3T4BKH\nAWS_SECRET_ACCESS_KEY=Wl3KDyoGBK7cxaXmtsF9/BiW1n2pqbsJ4UHb8R2d\n"])
        _ = FileManager.default.createFile(atPath: tmp.file("output"), contents: nil)
        var environment = [
            "PATH": "\(tmp.file("fakebin")):/usr/local/bin:/usr/bin:/bin", "HOME": tmp.path, "TMPDIR": tmp.path,
            "XDG_STATE_HOME": Keysweep.stateHome, "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64",
            "ACTION_REPOSITORY": "example/keysweep", "ACTION_REF": "main", "KEYSWEEP_RELEASE_BASE_URL": "http://127.0.0.1:9",
            "FAKE_SWIFT_OUT": tmp.file("built"), "FAKE_KEYSWEEP": Keysweep.binary,
            "INPUT_BUILD_FROM_SOURCE": "true", "INPUT_TARGET": repo.path, "INPUT_FAIL_ON": "high",
            "INPUT_SARIF_FILE": tmp.file("keysweep.sarif"), "GITHUB_OUTPUT": tmp.file("output"),
        ]
        let built = try Run.process("/bin/bash", ["\(Self.root)/scripts/action.sh"], cwd: tmp.path, environment: environment)
        #expect(built.status == 0, "\(built.stdout)\(built.stderr)")
        #expect((try? String(contentsOfFile: tmp.file("built/built-in"), encoding: .utf8)) == Self.root + "\n")
        #expect(try String(contentsOfFile: tmp.file("output"), encoding: .utf8).contains("findings=1"))
        #expect(!FileManager.default.fileExists(atPath: tmp.file(".local")), "nothing downloaded or installed")

        // Without the toolchain (a PATH of dirname alone: the script's first command): one line.
        try FileManager.default.createDirectory(atPath: tmp.file("bare"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: tmp.file("bare/dirname"), withDestinationPath: "/usr/bin/dirname")
        environment["PATH"] = tmp.file("bare")
        let noSwift = try Run.process("/bin/bash", ["\(Self.root)/scripts/action.sh"], cwd: tmp.path, environment: environment)
        #expect(noSwift.status == 2 && noSwift.stderr == "keysweep action: build-from-source needs the Swift toolchain (6.x) on the runner\n", "\(noSwift.stderr)")
    }

    /// The README's Install names the repository once (`repo=`, which every command uses), and
    /// its tarball commands, run as written against a release served on 127.0.0.1 (only `base`
    /// and `arch` set again after the README's own lines), download and install it.
    @Test func readmeInstallCommandsInstallTheRelease() throws {
        let readme = try String(contentsOfFile: "\(Self.root)/README.md", encoding: .utf8)
        let afterHeading = try #require(readme.firstRange(of: "## Install\n")).upperBound
        let rest = readme[afterHeading...]
        let install = String(rest[..<(rest.firstRange(of: "\n## ")?.lowerBound ?? rest.endIndex)])
        let blocks = install.matches(of: /(?m)^( *)```sh\n((?:.*\n)*?) *```$/).map { match in
            match.2.split(separator: "\n", omittingEmptySubsequences: false).map { $0.dropFirst(match.1.count) }.joined(separator: "\n")
        }
        let settings = try #require(blocks.first { $0.contains("repo=") }, "no `repo=` in Install")
        let repo = try #require(settings.firstMatch(of: /(?m)^repo=(\S+)/)?.1)
        #expect(readme.components(separatedBy: String(repo)).count == 2, "the README names \(repo) more than once")
        #expect(settings.contains("base=\"https://github.com/$repo/releases/download/v$version\""), "\(settings)")
        let tarball = try #require(blocks.first { $0.contains("scripts/install.sh") })
        let version = try #require(settings.firstMatch(of: /version=(\S+)/)?.1)

        let tmp = TempDirectory("keysweep-readme")
        let arch = try Self.machineArch()
        let name = "keysweep-\(version)-linux-\(arch)"
        try Self.packRelease(name: name, into: tmp.file("site/v\(version)"), scratch: tmp.file("stage"))
        let sum = try Run.process("/usr/bin/sha256sum", ["\(name).tar.gz"], cwd: tmp.file("site/v\(version)"))
        tmp.write("site/v\(version)/\(name).tar.gz.sha256", sum.stdout)
        let server = try StaticHTTPServer(directory: tmp.file("site"))
        defer { server.stop() }
        try FileManager.default.createDirectory(atPath: tmp.file("home"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: tmp.file("work"), withIntermediateDirectories: true)
        let script = "set -e\n" + settings + "\nbase=\"\(server.url)/v$version\" arch=\(arch)\n"
            + tarball.replacingOccurrences(of: "scripts/install.sh", with: "\"\(Self.root)/scripts/install.sh\"")
        let result = try Run.process("/bin/bash", ["-c", script], cwd: tmp.file("work"),
                                     environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": tmp.file("home"), "TMPDIR": tmp.path])
        #expect(result.status == 0, "\(script)\n\(result.stdout)\(result.stderr)")
        let installed = try Run.process(tmp.file("home/.local/bin/keysweep"), ["--version"])
        #expect(installed.stdout == "\(version)\n")
        #expect(server.log().contains("GET /v\(version)/\(name).tar.gz.sha256 "))
    }

    static func machineArch() throws -> String {
        let machine = try Run.process("/usr/bin/uname", ["-m"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        switch machine {
        case "x86_64": return "x86_64"
        case "aarch64", "arm64": return "arm64"
        default: throw TestFailure("no keysweep release for \(machine)")
        }
    }

    /// A tarball in scripts/release.sh's layout (NAME/bin/keysweep, the man page, completions,
    /// docs, licences and the SHA256SUMS of its files), holding the debug binary the tests built.
    static func packRelease(name: String, into site: String, scratch: String) throws {
        let tree = "\(scratch)/\(name)"
        let files: [(String, String)] = [
            (Keysweep.binary, "bin/keysweep"),
            ("\(root)/docs/man/keysweep.1", "share/man/man1/keysweep.1"),
            ("\(root)/docs/completions/keysweep.bash", "share/bash-completion/completions/keysweep"),
            ("\(root)/docs/completions/_keysweep", "share/zsh/site-functions/_keysweep"),
            ("\(root)/docs/completions/keysweep.fish", "share/fish/vendor_completions.d/keysweep.fish"),
            ("\(root)/README.md", "share/doc/keysweep/README.md"),
            ("\(root)/LICENSE", "share/doc/keysweep/LICENSE"),
            ("\(root)/LICENSE", "share/doc/keysweep/THIRD-PARTY-LICENSES"),
        ]
        let fm = FileManager.default
        for (source, destination) in files {
            try fm.createDirectory(atPath: ("\(tree)/\(destination)" as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try fm.copyItem(atPath: source, toPath: "\(tree)/\(destination)")
        }
        try fm.createDirectory(atPath: site, withIntermediateDirectories: true)
        let script = """
            set -e
            cd "$1/$2" && find . -type f ! -name SHA256SUMS -printf '%P\\n' | sort | xargs sha256sum > SHA256SUMS
            tar -C "$1" -cf - "$2" | gzip -1 > "$3/$2.tar.gz"
            """
        let result = try Run.process("/bin/bash", ["-c", script, "pack", scratch, name, site])
        guard result.status == 0 else { throw TestFailure("cannot pack the release: \(result.stderr)") }
    }
}

/// python3's http.server on 127.0.0.1 and a free port, serving `directory`; its request log is
/// kept. Stopped when released.
final class StaticHTTPServer {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let process = Process()
    private let logs = TempDirectory("keysweep-http")

    init(directory: String) throws {
        port = try MotoServer.freePort()
        process.executableURL = URL(fileURLWithPath: MotoServer.which("python3") ?? "/usr/bin/python3")
        process.arguments = ["-m", "http.server", "--bind", "127.0.0.1", "--directory", directory, "\(port)"]
        _ = FileManager.default.createFile(atPath: logs.file("server.log"), contents: nil)
        let output = FileHandle(forWritingAtPath: logs.file("server.log"))!
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        let deadline = Date().addingTimeInterval(30)
        while !MotoServer.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestFailure("http.server did not start: \(log())")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    func log() -> String { (try? String(contentsOfFile: logs.file("server.log"), encoding: .utf8)) ?? "" }

    /// SIGKILL (see MotoServer.stop).
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
