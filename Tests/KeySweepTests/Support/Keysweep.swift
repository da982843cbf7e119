import Foundation

/// Runs the built `keysweep` binary, as a user would.
enum Keysweep {
    /// The products directory holding both the test bundle and the `keysweep` executable.
    static let binary: String = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            let candidate = url.deletingLastPathComponent().appendingPathComponent("keysweep")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            url = url.deletingLastPathComponent()
        }
        let fromBundle = Bundle.main.bundleURL.appendingPathComponent("keysweep").path
        return fromBundle
    }()

    /// Where the binaries the tests run keep their state (the scan cache's key): one folder
    /// for the test run, never the home of whoever runs the tests, removed when the run ends.
    static let stateHome: String = {
        let path = stateHomePath()
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: Keysweep.stateHomePath()) }
        return path
    }()

    private static func stateHomePath() -> String {
        "\(FileManager.default.temporaryDirectory.path)/keysweep-test-state-\(getpid())"
    }

    @discardableResult
    static func run(_ arguments: [String], cwd: String? = nil, stdin: Data? = nil,
                    environment extra: [String: String] = [:]) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = stateHome
        environment.merge(extra) { _, new in new }
        return try Run.process(binary, arguments, cwd: cwd, stdin: stdin, environment: environment)
    }

    /// Runs `keysweep scan ARGS --format json` and parses the report.
    static func scanJSON(_ arguments: [String], cwd: String? = nil, stdin: Data? = nil,
                         environment: [String: String] = [:]) throws -> (ProcessResult, Report) {
        let result = try run(["scan"] + arguments + ["--format", "json"], cwd: cwd, stdin: stdin, environment: environment)
        guard let report = try? JSONDecoder().decode(Report.self, from: result.stdoutData) else {
            throw TestFailure("no JSON report (status \(result.status)): \(result.stderr)\(result.stdout)")
        }
        return (result, report)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The JSON report, decoded independently of the library's own types.
struct Report: Decodable {
    struct Tool: Decodable { var name: String; var version: String }
    struct Stats: Decodable {
        var commits: Int; var blobs: Int; var files: Int; var bytes: Int; var seconds: Double
        var skipped_large: Int; var skipped_binary: Int; var placeholders: Int; var shallow: Bool
        var cached_blobs: Int?; var unreachable_commits: Int?
        var omitted_matches: Int?; var incomplete: Int?
        struct Failed: Decodable { var target: String; var reason: String }
        struct Fetched: Decodable { var target: String; var refs: [String: Int] }
        var failed_targets: [Failed]?; var fetched: [Fetched]?
        var archive_members: Int?; var extracted_bytes: Int?; var encrypted_members: Int?; var binary_strings: Int?; var string_bytes: Int?
    }
    struct AWS: Decodable {
        var key_type: String; var account: String?; var paired_secret: String?; var paired_token: String?
        var expiration: String?; var leaked: String; var canary: Bool
    }
    struct First: Decodable { var commit: String?; var path: String; var line: Int; var author: String?; var date: String? }
    struct Remote: Decodable { var kind: String; var web: String?; var owner: String?; var visibility: String? }
    struct Occurrence: Decodable {
        var commit: String?; var path: String; var line: Int; var blob: String?; var decoding: String?; var unreachable: Bool?
        var worktree: Bool?
        var target: String?; var remote: Remote?; var permalink: String?; var revision: String?
    }
    struct Finding: Decodable {
        var id: String; var rule: String; var description: String; var secret: String; var confidence: String
        var placeholder: Bool; var aws: AWS?; var first: First; var occurrences: [Occurrence]; var in_head: Bool
        var unreachable_only: Bool?
    }
    var version: Int
    var tool: Tool
    var targets: [String]
    var stats: Stats
    var findings: [Finding]

    func findings(rule: String) -> [Finding] { findings.filter { $0.rule == rule } }
    func finding(secret: String) -> Finding? { findings.first { $0.secret == secret } }
}
