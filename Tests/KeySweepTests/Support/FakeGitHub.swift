import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real GitHub-shaped server on 127.0.0.1 (`Servers/fake_github.py`): bare repositories made
/// by the test served over smart HTTP by `git http-backend` (under /git/, /git/private/ needing
/// the token, /git-cut/ cutting clones off half way), and a REST API answering from `routes`
/// (under /api/). Stopped when released.
final class FakeGitHub {
    let port: Int
    let token: String
    let root = TempDirectory("keysweep-github")
    var base: String { "http://127.0.0.1:\(port)" }
    var api: String { "\(base)/api" }
    private let process = Process()

    /// `routes`: API path → route (see the script's docstring); `{base}` stands for `base`.
    init(token: String = "ghp_testtokenNEVERSHOWN0123456789abcdefAB", routes: [String: Any] = [:]) throws {
        self.token = token
        port = try MotoServer.freePort()
        try FileManager.default.createDirectory(atPath: root.file("repos"), withIntermediateDirectories: true)
        try setRoutes(routes)
        FileManager.default.createFile(atPath: root.file("requests.log"), contents: nil)
        FileManager.default.createFile(atPath: root.file("server.log"), contents: nil)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Servers/fake_github.py").path
        process.executableURL = URL(fileURLWithPath: MotoServer.which("python3") ?? "/usr/bin/python3")
        process.arguments = [script, root.file("repos"), root.file("routes.json"), root.file("requests.log"), "\(port)"]
        process.environment = ProcessInfo.processInfo.environment.merging(["FAKE_GITHUB_TOKEN": token]) { _, new in new }
        let output = FileHandle(forWritingAtPath: root.file("server.log"))!
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()
        let deadline = Date().addingTimeInterval(30)
        while !MotoServer.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestFailure("fake GitHub did not start: \((try? String(contentsOfFile: root.file("server.log"), encoding: .utf8)) ?? "")")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func setRoutes(_ routes: [String: Any]) throws {
        try JSONSerialization.data(withJSONObject: routes).write(to: URL(fileURLWithPath: root.file("routes.json")))
    }

    /// A bare copy of `repo` served at `/git/<name>.git` (`name` may hold `private/`).
    @discardableResult
    func serve(_ repo: GitRepo, as name: String) throws -> String {
        let target = root.file("repos/\(name).git")
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let result = try Run.process("/usr/bin/git", ["clone", "-q", "--mirror", repo.path, target])
        guard result.status == 0 else { throw TestFailure("git clone --mirror failed: \(result.stderr)") }
        return "\(base)/git/\(name).git"
    }

    /// What the server printed (tracebacks).
    var log: String { (try? String(contentsOfFile: root.file("server.log"), encoding: .utf8)) ?? "" }

    /// The requests the server saw: `GET /api/... auth=yes`.
    var requests: [String] {
        ((try? String(contentsOfFile: root.file("requests.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}

/// A real `git daemon` serving `root` on 127.0.0.1 (git://), stopped when released.
final class GitDaemon {
    let port: Int
    private let process = Process()

    init(root: String) throws {
        port = try MotoServer.freePort()
        // git-daemon itself, not `git daemon`: that wrapper exits and leaves the daemon behind.
        let execPath = try Run.process("/usr/bin/git", ["--exec-path"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        process.executableURL = URL(fileURLWithPath: execPath + "/git-daemon")
        process.arguments = ["--reuseaddr", "--export-all", "--listen=127.0.0.1", "--port=\(port)",
                             "--base-path=\(root)", root]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !MotoServer.accepts(port) {
            guard process.isRunning, Date() < deadline else { throw TestFailure("git daemon did not start") }
            usleep(50_000)
        }
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
