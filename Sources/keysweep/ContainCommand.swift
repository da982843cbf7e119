import ArgumentParser
import Foundation
import KeySweep
import KeySweepVerify

/// `keysweep contain FINDING_ID`: the plan's first two AWS steps, carried out with the owner's
/// credentials after showing exactly what will change.
struct ContainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contain",
        abstract: "Deactivate a leaked AWS key and deny its user the Code Spaces actions, with the owner's credentials.",
        discussion: """
        Finds the key's user (iam:GetAccessKeyLastUsed), shows the two changes, asks, then makes \
        them: iam:UpdateAccessKey to Inactive, and iam:PutUserPolicy of keysweep's explicit-deny \
        policy KeySweepContainment (closes creating users, keys and passwords, raising rights, \
        deleting instances, volumes, snapshots, images, database snapshots, backups and S3 data, \
        stopping CloudTrail, even where AWS's quarantine policy leaves them open). The only command \
        that writes to an account. Credentials: the standard AWS chain. Exit status: 0 done (or \
        --dry-run), 2 error or refused.
        """
    )

    @Argument(help: ArgumentHelp("A finding id from --report (the key id's, or its secret's), or an AWS key id.", valueName: "FINDING_ID"))
    var finding: String

    @Option(help: ArgumentHelp("The JSON report the finding id is from.", valueName: "REPORT"))
    var report: String?

    @Flag(help: "Make the changes without asking (needed when standard input is not a terminal).")
    var yes = false

    @Flag(help: "Show the changes and make none.")
    var dryRun = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for each AWS call (default 30).", valueName: "SECONDS"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0, timeout <= 600 else {
            throw ValidationError("--timeout \(String(format: "%g", timeout)) is not above 0 and at most 600 seconds")
        }
    }

    func run() throws {
        let result: ScanResult?
        do { result = try report.map { try ScanResult.load(jsonReportAt: $0) } } catch let error as ReportError {
            throw ValidationError(error.description)
        }
        let keyID: String
        do { keyID = try AWSContainment.keyID(for: finding, report: result) } catch { throw ValidationError(error.description) }
        let client = try BlastRadiusFlags.auditClient(timeout: timeout)
        let user: String
        switch client.keyOwner(keyID) {
        case .unknown(let reason): throw ValidationError("cannot find the owner of \(keyID): \(reason)")
        case .answered(let owner): user = owner.userName
        }
        let containment = AWSContainment(keyID: keyID, user: user)
        var text = "keysweep contain: key \(keyID) of IAM user \(user), at \(client.endpoint)\n"
        text += "It will make these changes, in this order (the same as these AWS CLI commands):\n"
        for (index, command) in containment.commands.enumerated() { text += "  \(index + 1). \(command)\n" }
        text += "The policy \(containment.policyName):\n\(containment.policyDocument)"
        FileHandle.standardOutput.write(Data(TerminalText.escapeLines(text).utf8))
        if dryRun {
            FileHandle.standardOutput.write(Data("Dry run: nothing was changed.\n".utf8))
            return
        }
        if !yes {
            guard isatty(0) == 1 else {
                throw ValidationError("contain changes the account: add --yes to confirm (standard input is not a terminal, so keysweep cannot ask)")
            }
            FileHandle.standardOutput.write(Data("Make these changes? [y/N] ".utf8))
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                throw ValidationError("nothing was changed (not confirmed)")
            }
        }
        do { try containment.apply(with: client) } catch { throw ValidationError(error.description) }
        FileHandle.standardOutput.write(Data("Done: \(keyID) is Inactive and \(containment.policyName) is on user \(TerminalText.escape(user)). Next: deploy a replacement key, then delete this one (see the plan).\n".utf8))
    }
}
