import ArgumentParser
import Foundation
import KeySweep

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan git history, directories, files or standard input for secrets.",
        discussion: """
        A TARGET is a git repository (work tree or bare: its whole history, every ref), a directory \
        (its files, .git/ skipped), a file, or '-' for standard input. Without a TARGET the current \
        directory is scanned.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Git repositories, directories, files, or '-' for standard input.")
    var targets: [String] = ["."]

    @Option(help: "Report format: text or json.")
    var format: Format = .text

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Never print a secret in full.")
    var redact = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Worker threads (default: the number of cores).", valueName: "N"))
    var jobs: Int?

    @Option(help: ArgumentHelp("Also load every *.toml rule file in DIR.", valueName: "DIR"))
    var patterns: String?

    @Option(help: ArgumentHelp("Skip blobs and files larger than SIZE (bytes, or with K, M, G); they are counted in the stats.", valueName: "SIZE"))
    var maxSize: String = "64M"

    @Flag(help: "Scan content that looks binary (a NUL byte in its first 8 KiB) instead of skipping it.")
    var includeBinary = false

    @Flag(help: "Also report documentation examples, template references and test values.")
    var includePlaceholders = false

    @Flag(help: "Never colour the text report (colour is used only when standard output is a terminal).")
    var noColor = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if ByteSize.parse(maxSize) == nil { throw ValidationError("--max-size '\(maxSize)' is not a size (try 64M)") }
    }

    func run() throws {
        let rules = try RuleSet.builtIn(plus: patterns)
        var options = ScanOptions()
        options.jobs = jobs ?? ScanOptions.defaultJobs
        options.maxBlobSize = ByteSize.parse(maxSize)!
        options.includeBinary = includeBinary
        options.includePlaceholders = includePlaceholders
        options.progress = isatty(2) == 1
        let result = try Scanner(rules: rules, options: options).scan(targets)
        for warning in result.warnings {
            FileHandle.standardError.write(Data("keysweep: warning: \(warning)\n".utf8))
        }

        var reportOptions = ReportOptions()
        reportOptions.redact = redact
        reportOptions.color = !noColor && output == nil && isatty(1) == 1
        let report: String
        switch format {
        case .text: report = TextReport(options: reportOptions).render(result)
        case .json: report = try JSONReport(options: reportOptions).render(result)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(report.utf8)) else {
                throw ValidationError("cannot write \(output)")
            }
        } else {
            FileHandle.standardOutput.write(Data(report.utf8))
        }
        if !result.findings.isEmpty { throw ExitCode(Status.findings) }
    }
}

/// Sizes written as `1048576`, `512K`, `64M` or `1G`.
enum ByteSize {
    static func parse(_ text: String) -> Int? {
        let units: [Character: Int] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        var digits = text.uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        var scale = 1
        if let last = digits.last, let unit = units[last] { scale = unit; digits.removeLast() }
        guard let value = Int(digits), value >= 0 else { return nil }
        return value * scale
    }
}
