import ArgumentParser
import Foundation
import KeySweep

struct IgnoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ignore",
        abstract: "Acknowledge a finding: append an entry for it to .keysweepignore.",
        discussion: """
        FINDING_ID is the `id` of a finding in a keysweep report. The targets are scanned again to \
        find it, and an entry holding a salted hash of its rule and secret (never the secret) is \
        appended to the ignore file: by default .keysweepignore at the root of the first target. \
        A credential's id takes the parts paired with it (an AWS key id its secret access key). \
        Commit that file: later scans, on any machine, leave the secret out wherever it moves, \
        and still report any other secret.
        """
    )

    @Argument(help: "The finding's id (16 hex digits, from a report).")
    var findingID: String

    @Argument(help: "The repositories or directories the finding came from (default: the current directory).")
    var targets: [String] = ["."]

    @Option(help: ArgumentHelp("Why it is safe to ignore (required), e.g. \"rotated 2026-11-20\".", valueName: "TEXT"))
    var reason: String

    @Option(help: ArgumentHelp("The ignore file to append to (default: .keysweepignore at the root of the first target).", valueName: "FILE"))
    var ignoreFile: String?

    @Option(name: .customLong("path"), help: ArgumentHelp("Ignore it only in paths matching GLOB (repeatable; ** crosses directories).", valueName: "GLOB"))
    var paths: [String] = []

    @OptionGroup(title: "Rules") var ruleOptions: RuleOptions

    func validate() throws {
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--reason must not be empty") }
    }

    func run() throws {
        let loaded = try ruleOptions.load()
        let file = try ignoreFile ?? Acknowledgement.defaultIgnoreFile(for: targets[0])
        var options = ScanOptions()
        options.progress = isatty(2) == 1
        let (finding, parts) = try Acknowledgement.find(findingID, rules: loaded.rules, options: options, targets: targets)
        for acknowledged in [finding] + parts { try Acknowledgement.append(acknowledged, reason: reason, paths: paths, to: file) }
        var message = "keysweep: \(file): ignoring \(finding.rule.id) \(Redaction.redact(finding)) (finding \(finding.id))\n"
        for part in parts { message += "keysweep: also ignored: the \(part.rule.description) \(part.id) paired with it\n" }
        FileHandle.standardError.write(Data(message.utf8))
    }
}
