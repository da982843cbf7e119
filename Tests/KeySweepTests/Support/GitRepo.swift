import Foundation

/// A real git repository in a temp folder, driven with the `git` command line. Commits get
/// increasing, fixed dates so history order is deterministic.
final class GitRepo {
    let dir: TempDirectory
    var path: String { dir.path }
    /// The next commit's time (seconds since 1970); each commit moves it on.
    var clock = 1_700_000_000
    /// The author (and committer) of the next commits.
    var authorName = "Ada Lovelace"
    var authorEmail = "ada@example.org"

    init(bare: Bool = false) throws {
        dir = TempDirectory("keysweep-repo")
        try git(bare ? ["init", "-q", "--bare", "-b", "main"] : ["init", "-q", "-b", "main"])
    }

    private var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["GIT_AUTHOR_NAME"] = authorName
        env["GIT_AUTHOR_EMAIL"] = authorEmail
        env["GIT_COMMITTER_NAME"] = authorName
        env["GIT_COMMITTER_EMAIL"] = authorEmail
        env["GIT_AUTHOR_DATE"] = "@\(clock) +0000"
        env["GIT_COMMITTER_DATE"] = "@\(clock) +0000"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        return env
    }

    /// Runs git in the repository; throws with git's stderr when it fails.
    @discardableResult
    func git(_ arguments: [String], allowFailure: Bool = false) throws -> String {
        let result = try Run.process("/usr/bin/git", ["-C", path] + arguments, environment: environment)
        if result.status != 0 && !allowFailure {
            throw TestFailure("git \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs git in the repository (from `cwd` inside it, when given) and returns everything it printed.
    func gitResult(_ arguments: [String], cwd: String? = nil) throws -> ProcessResult {
        try Run.process("/usr/bin/git", arguments, cwd: cwd ?? path, environment: environment)
    }

    func write(_ file: String, _ text: String) { dir.write(file, text) }

    /// Writes `files`, stages everything and commits; returns the new commit id.
    @discardableResult
    func commit(_ message: String, _ files: [String: String] = [:], remove: [String] = []) throws -> String {
        for (file, text) in files { write(file, text) }
        for file in remove { try git(["rm", "-q", file]) }
        try git(["add", "-A"])
        clock += 60
        try git(["commit", "-q", "--allow-empty", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }

    /// A digest of every file under the repository (names, sizes, contents, modes, times), to
    /// prove a scan changed nothing.
    func snapshot() throws -> String {
        try Run.process("/bin/sh", ["-c", "cd '\(path)' && find . -printf '%p %s %m %T@\\n' | sort && find . -type f -exec cat {} + | sha256sum"]).stdout
    }
}
