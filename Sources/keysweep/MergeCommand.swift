import ArgumentParser
import Foundation
import KeySweep

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the JSON reports of shards (scan --shard) and of separate scans into one report.",
        discussion: """
        Findings are deduplicated by rule and secret across the reports, their occurrences unioned, \
        the first commit and in_head recomputed and the stats summed: the report one process scanning \
        everything would have written. Reports made with other rules or another keysweep version, a \
        shard given twice and a missing shard are errors. Exit status: 0 nothing found, 1 findings, \
        2 error (or, unless --allow-incomplete, a merged scan that is incomplete: targets that could not be \
        scanned, or a rule that ran out of its time budget).
        """
    )

    @Argument(help: ArgumentHelp("JSON reports written by 'keysweep scan --format json'.", valueName: "REPORT"))
    var reports: [String] = []

    @Option(help: "Report format: text, json, sarif (SARIF 2.1.0, secrets always redacted), github (workflow annotations, redacted), html (one self-contained page, redacted unless --show-secrets) or hook (the pre-commit hook's message).")
    var format: ScanCommand.Format = .text

    @Option(help: ArgumentHelp("Exit 1 only for findings of at least this confidence; the others are still reported.", valueName: "LEVEL"))
    var failOn: Confidence = .low

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @OptionGroup var secrets: SecretFlags

    @Flag(help: "Never colour the text report (colour is used only when standard output is a terminal).")
    var noColor = false

    @Option(help: ArgumentHelp("Also write the rotation plan to FILE (Markdown; a .json name gives JSON).", valueName: "FILE"))
    var remediation: String?

    @OptionGroup var verification: VerifyOptions

    @Flag(help: "Merge reports made with different rules or keysweep versions (each difference is a warning).")
    var allowMixed = false

    @Flag(help: "Merge although shards of a split are missing (a warning naming them); the report then covers only the shards given.")
    var allowPartial = false

    @Flag(help: "Exit 0 rather than 2 when nothing was found but a report is incomplete (a target could not be scanned, or a rule ran out of its time budget); the merged report still says so.")
    var allowIncomplete = false

    @OptionGroup(title: "Rules") var ruleOptions: RuleOptions

    func validate() throws {
        if reports.isEmpty { throw ValidationError("merge needs at least one JSON report (scan --format json)") }
    }

    func run() throws {
        let loaded = try ruleOptions.load()
        var options = ReportMerge.Options()
        options.allowMixed = allowMixed
        options.allowPartial = allowPartial
        let result: ScanResult
        do {
            result = try ReportMerge(rules: loaded.rules, options: options).merge(reports)
        } catch let error as ReportError {
            throw ValidationError(error.description)
        }
        for warning in result.warnings {
            FileHandle.standardError.write(Data("keysweep: warning: \(TerminalText.escape(warning))\n".utf8))
        }
        let verified = try ScanRemediation.verify(result, verification: verification)
        try format.write(verified, to: output, secrets: secrets, color: !noColor && output == nil && isatty(1) == 1, failOn: failOn)
        try ScanRemediation.run(verified, remediation: remediation, secrets: secrets)
        if verified.fails(at: failOn) { throw ExitCode(Status.findings) }
        if verified.isIncomplete && !allowIncomplete { throw ExitCode(Status.error) }
    }
}
