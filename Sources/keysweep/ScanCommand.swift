import ArgumentParser
import Foundation
import KeySweep
import KeySweepCache

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan git history, directories, files or standard input for secrets.",
        discussion: """
        A TARGET is a git repository (work tree or bare: its whole history, every ref), a directory \
        (its files, .git/ skipped), a file, '-' for standard input, a git URL (https, http, ssh, git, \
        file, or user@host:path: cloned bare with every ref, then scanned), or a gist \
        (https://gist.github.com/USER/ID or gist:ID, every revision). A work tree's untracked (not \
        ignored) and modified files are scanned beside its history (--no-worktree leaves them out). \
        Without a TARGET (and no --github-user, --github-org or --gists) the current directory is \
        scanned; inside a work tree, that is the whole repository, found upward as git finds it. The GitHub token \
        comes from KEYSWEEP_GITHUB_TOKEN or GITHUB_TOKEN and is sent only to GitHub's API and \
        github.com, gist.github.com or the --github-api-url host. Exit status: 1 with findings, \
        else 2 when a target could not be scanned or a rule stopped before the end of some content \
        (its time budget: the scan is incomplete) unless --allow-incomplete.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, sarif, github, html, hook }

    @Argument(help: "Git repositories, directories, files, '-' for standard input, git URLs or gists.")
    var targets: [String] = []

    @Option(help: "Report format: text, json, sarif (SARIF 2.1.0, secrets always redacted), github (workflow annotations, redacted), html (one self-contained page, redacted unless --show-secrets) or hook (the pre-commit hook's: nothing when clean, else the blocked commit's findings with ids and the commands to allow or bypass, redacted).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Exit 1 only for findings of at least this confidence; the others are still reported.", valueName: "LEVEL"))
    var failOn: Confidence = .low

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @OptionGroup var secrets: SecretFlags

    // `.unconditional`: `--jobs -1` is a value to reject as negative, not a flag.
    @Option(name: .shortAndLong, parsing: .unconditional,
            help: ArgumentHelp("Threads that scan content (default: the number of cores, at most \(ScanCommand.maxJobs)); 1 runs the whole scan on one thread.", valueName: "N"))
    var jobs: Int?

    @Option(parsing: .unconditional,
            help: ArgumentHelp("Skip blobs and files larger than SIZE (bytes, or with K, M, G); they are counted in the stats.", valueName: "SIZE"))
    var maxSize: String = "64M"

    @Flag(help: "Scan content that looks binary (a NUL byte in its first 8 KiB) instead of skipping it.")
    var includeBinary = false

    @Flag(help: "Do not open archives, compressed files and PDF streams (zip, jar, tar, deb, rpm, cpio, 7z, iso, xar, cab, gzip, bzip2, xz, zstd); they are then skipped as binary.")
    var noExtract = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Open archives nested up to N deep (default 3; 1 opens only the outermost).", valueName: "N"))
    var extractDepth: Int = 3

    @Flag(help: "Also report documentation examples, template references and test values.")
    var includePlaceholders = false

    @Flag(help: "Exit 0 rather than 2 when nothing was found but the scan is incomplete (a target could not be scanned, or a rule ran out of its time budget in some content); the report still says so.")
    var allowIncomplete = false

    @Flag(help: "Never colour the text report (colour is used only when standard output is a terminal).")
    var noColor = false

    @Option(help: ArgumentHelp("Also write the rotation plan to FILE (Markdown; a .json name gives JSON).", valueName: "FILE"))
    var remediation: String?

    @OptionGroup var verification: VerifyOptions

    @OptionGroup(title: "Blast radius") var blast: BlastRadiusFlags

    @Option(help: ArgumentHelp("Also read acknowledged secrets from FILE (the .keysweepignore format; repeatable). Each target's own .keysweepignore is always read.", valueName: "FILE"))
    var ignoreFile: [String] = []

    @Option(help: ArgumentHelp("Report only findings that are not in REPORT, an earlier JSON (or SARIF) report.", valueName: "REPORT"))
    var baseline: String?

    @Flag(help: "List the ignore entries that matched nothing, one warning line each.")
    var reportUnusedIgnores = false

    @Option(help: ArgumentHelp("Scan only what HEAD reaches and REV does not (blobs and commit messages, merges included).", valueName: "REV"))
    var since: String?

    @Option(help: ArgumentHelp("Scan only what TIP reaches and BASE does not (TIP defaults to HEAD).", valueName: "BASE..TIP"))
    var range: String?

    @Flag(help: "Scan the blobs staged in the index that HEAD does not hold: what the next commit adds.")
    var staged = false

    @Flag(help: "Scan only HEAD's tree (the committed state of the checked-out branch), not the history.")
    var noHistory = false

    @Flag(help: "Leave out a work tree's untracked and modified files (scanned by default beside the whole history).")
    var noWorktree = false

    @OptionGroup(title: "Rules") var ruleOptions: RuleOptions

    @OptionGroup(title: "Remote repositories and GitHub") var remote: RemoteFlags

    @OptionGroup(title: "Shards and target lists") var sharding: ShardFlags

    @Option(help: ArgumentHelp("Remember scanned git objects in DIR (SQLite) and read only new ones next time; emptied when the rules or keysweep change.", valueName: "DIR"))
    var cache: String?

    @Flag(help: "Also scan git objects no reference reaches (force-pushed-away commits, fetched pull-request heads, blobs never committed).")
    var allObjects = false

    @Flag(help: "Read every git object through libgit2, each blob whole and matched in full, instead of following the packs' deltas (slower; the same findings).")
    var noDelta = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1\(jobs < 0 ? " (\(jobs) is negative)" : "")") }
        if maxSize.hasPrefix("-") { throw ValidationError("--max-size '\(maxSize)' is negative") }
        guard let size = ByteSize.parse(maxSize) else {
            throw ValidationError("--max-size '\(maxSize)' is not a size below 8 EiB (try 64M)")
        }
        if size == 0 { throw ValidationError("--max-size 0 would skip everything (use a size above 0)") }
        if extractDepth < 0 { throw ValidationError("--extract-depth \(extractDepth) is negative (use 1 to 16, or --no-extract)") }
        if !(1...16).contains(extractDepth) {
            throw ValidationError("--extract-depth \(extractDepth) is not between 1 and 16 (use --no-extract to open no archive)")
        }
        let modes = [since != nil ? "--since" : nil, range != nil ? "--range" : nil, staged ? "--staged" : nil,
                     noHistory ? "--no-history" : nil].compactMap { $0 }
        if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) cannot be used together") }
        if let since, since.isEmpty { throw ValidationError("--since needs a revision") }
        if let range, HistoryScope.range(range) == nil { throw ValidationError("--range '\(range)' is not BASE..TIP") }
        if sharding.targetsFrom == "-" && targets.contains("-") {
            throw ValidationError("--targets-from - and the target - both read standard input")
        }
    }

    func run() throws {
        let loaded = try ruleOptions.load()
        for warning in loaded.warnings {
            FileHandle.standardError.write(Data("keysweep: warning: \(TerminalText.escape(warning))\n".utf8))
        }
        let rules = loaded.rules
        var options = ScanOptions()
        if let jobs, jobs > Self.maxJobs {
            FileHandle.standardError.write(Data("keysweep: warning: --jobs \(jobs) capped at \(Self.maxJobs)\n".utf8))
        }
        options.jobs = min(jobs ?? ScanOptions.defaultJobs, Self.maxJobs)
        options.maxBlobSize = ByteSize.parse(maxSize)!
        options.includeBinary = includeBinary
        options.extraction.enabled = !noExtract
        options.extraction.depth = extractDepth
        options.includePlaceholders = includePlaceholders
        // The hook's output is its verdict alone: a clean commit prints nothing.
        options.progress = isatty(2) == 1 && format != .hook
        options.suppression.ignoreFiles = ignoreFile
        options.suppression.baseline = baseline
        options.suppression.allowlists = loaded.allowlists
        options.history.scope = since.map(HistoryScope.since) ?? range.flatMap(HistoryScope.range)
        options.history.mode = staged ? .staged : noHistory ? .headTree : .history
        options.cacheDirectory = cache
        options.cacheStore = { try SQLiteCacheStore(directory: $0) }
        options.allObjects = allObjects
        options.followDeltas = !noDelta
        options.workTree = !noWorktree
        options.remote = remote.options()
        options.shard = try sharding.resolve()
        // Ref tips and removing commits: the JSON and HTML reports and the plan show them (the
        // text report too when worked out; not for it alone: a tree read per ref tip and per
        // commit of HEAD's chain would slow every default scan).
        options.refFacts = format == .json || format == .html || remediation != nil || verification.verify
            || blast.blastRadius || !blast.iamSnapshots.isEmpty
        let listed = targets + (try sharding.listedTargets())
        if sharding.targetsFrom != nil && listed.isEmpty && !remote.listsTargets {
            throw ValidationError("--targets-from \(sharding.targetsFrom!) lists no target")
        }
        let named = listed.isEmpty && !remote.listsTargets ? ["."] : listed
        let scanned = try Scanner(rules: rules, options: options).scan(named)
        let verified = try ScanRemediation.verify(scanned, verification: verification)
        let result = Remediation.assess(verified, with: try blast.assessors(verify: verification.verify, githubAPI: remote.githubApiUrl,
                                                                             timeout: verification.verifyTimeout))
        for warning in result.warnings {
            FileHandle.standardError.write(Data("keysweep: warning: \(TerminalText.escape(warning))\n".utf8))
        }
        if reportUnusedIgnores {
            for entry in result.unusedIgnores {
                FileHandle.standardError.write(Data("keysweep: warning: unused ignore: \(entry.summary) matched nothing\n".utf8))
            }
        }

        try format.write(result, to: output, secrets: secrets, color: !noColor && output == nil && isatty(1) == 1, failOn: failOn)
        try ScanRemediation.run(result, remediation: remediation, secrets: secrets)
        if result.fails(at: failOn) { throw ExitCode(Status.findings) }
        if result.isIncomplete && !allowIncomplete { throw ExitCode(Status.error) }
    }
}

extension ScanCommand.Format {
    /// Renders `result` in this format to `output` (standard output when nil); with a file, the
    /// answer and the figures still go to standard error.
    func write(_ result: ScanResult, to output: String?, secrets: SecretFlags, color: Bool, failOn: Confidence) throws {
        var options = ReportOptions()
        options.redact = secrets.redact
        options.showSecrets = secrets.showSecrets
        options.color = color
        try OutputFile.stream(to: output) { write in
            let report: String
            switch self {
            // Written a finding at a time: a merged report can hold millions of occurrences.
            case .json: try JSONReport(options: options).write(result, to: write); return
            case .text: report = TextReport(options: options).render(result)
            case .sarif: report = try SARIFReport(options: options).render(result)
            case .github: report = GitHubAnnotations(options: options, failOn: failOn).render(result)
            case .html: report = HTMLReport(options: options).render(result)
            case .hook: report = HookReport().render(result)
            }
            try write(Array(report.utf8))
        }
        if let output {
            // The terminal still gets the answer: the first line and the figures.
            let summary = ReportSummary(result)
            FileHandle.standardError.write(Data("keysweep: \(summary.headline)\nkeysweep: \(summary.stats)\nkeysweep: report written to \(TerminalText.escape(output))\n".utf8))
        }
    }
}

extension ScanCommand {
    /// More threads than this only cost memory (each has a matcher, a repository handle and an
    /// 8 MiB stack): a scan is bound by memory bandwidth long before.
    static let maxJobs = 256
}

extension Confidence: ExpressibleByArgument {}

/// Sizes written as `1048576`, `512K`, `64M` or `1G`.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let unit = units[last] { scale = unit; digits.removeLast() }
        guard let value = Int(digits), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: scale)
        return overflow ? nil : bytes
    }
}
