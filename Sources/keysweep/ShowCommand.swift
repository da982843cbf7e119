import ArgumentParser
import Foundation
import KeySweep

/// `keysweep show FINDING_ID [TARGET ... | --report FILE]`: the one finding, its secret in full.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one finding with its secret in full, where it was seen, and the commands to revoke it.",
        discussion: """
        The finding comes from --report (a 'scan --format json' report written without --redact) \
        or from a scan of the targets (default: the current directory), as 'keysweep ignore' finds \
        it. Shown: rule, provider, the secret (never redacted: this command is for reading it), \
        every place it was seen, the parts paired with it, and the plan's steps for it with the \
        secret filled in. --secret prints the secret alone, for the plan's commands: \
        "$(keysweep show ID --secret)". A private key is also written to a file of mode 0600 \
        (./keysweep-ID.key, or -o FILE; never over another file) and its SSH SHA256 fingerprint \
        is worked out by keysweep itself (no program is run). Exit status: 0 shown, 2 error.
        """
    )

    @Argument(help: ArgumentHelp("The finding's id (16 hex digits from a report or the plan, or a unique prefix of 6 or more).", valueName: "FINDING_ID"))
    var findingID: String

    @Argument(help: "The repositories, directories, files or '-' to scan for it (default: the current directory).")
    var targets: [String] = []

    @Option(help: ArgumentHelp("Take the finding from REPORT, a JSON report of 'scan --format json', instead of scanning.", valueName: "REPORT"))
    var report: String?

    @Flag(help: "Print only the secret, then a line break: as found when standard output is not a terminal.")
    var secret = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the secret to FILE (mode 0600, never over an existing file); a private key goes to ./keysweep-ID.key without it.", valueName: "FILE"))
    var output: String?

    @OptionGroup(title: "Rules") var ruleOptions: RuleOptions

    func validate() throws {
        if report != nil && !targets.isEmpty { throw ValidationError("--report and targets cannot be used together: the finding comes from one of them") }
        if secret && output != nil { throw ValidationError("--secret and --output cannot be used together") }
    }

    func run() throws {
        let shown: FindingShow
        do {
            if let report {
                shown = try FindingShow.fromReport(findingID, report: report)
            } else {
                let loaded = try ruleOptions.load()
                var options = ScanOptions()
                options.progress = isatty(2) == 1 && !secret
                shown = try FindingShow.fromScan(findingID, targets: targets.isEmpty ? ["."] : targets, rules: loaded.rules, options: options)
            }
        } catch let error as FindingShow.Failure {
            throw ValidationError(error.description)
        }
        if secret {
            // For "$(keysweep show ID --secret)": the bytes as found; a terminal gets no control character.
            let text = isatty(1) == 1 ? TerminalText.escapeLines(shown.secret) : shown.secret
            FileHandle.standardOutput.write(Data((text + "\n").utf8))
            return
        }
        var keyFile: FindingShow.KeyFile?
        if let path = output ?? shown.defaultKeyFile {
            do { keyFile = try FindingShow.writeKeyFile(shown.fileText, to: path) } catch let error as FindingShow.Failure {
                throw ValidationError(error.description)
            }
        }
        FileHandle.standardOutput.write(Data(shown.render(keyFile: keyFile).utf8))
    }
}
