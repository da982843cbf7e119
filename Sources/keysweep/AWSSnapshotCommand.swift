import ArgumentParser
import Foundation
import KeySweep
import KeySweepVerify

/// `keysweep aws-snapshot -o FILE`: what --blast-radius needs of the account, for analysis with no
/// network later (`--iam-snapshot FILE`).
struct AWSSnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aws-snapshot",
        abstract: "Write what --blast-radius needs of an AWS account to FILE, with the owner's read-only audit credentials.",
        discussion: """
        Reads, with the standard AWS credential chain (environment, AWS_PROFILE, shared config and \
        credentials files) and the endpoints of AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL: \
        GetAccountAuthorizationDetails, ListUsers, ListAccessKeys, GetAccessKeyLastUsed, \
        ListMFADevices, GetLoginProfile (the AWS managed SecurityAudit policy allows them all). \
        Nothing is written to the account. The file holds policies, names, key ids and dates, no \
        secret. Then: keysweep scan REPO --iam-snapshot FILE.
        """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The snapshot file to write.", valueName: "FILE"))
    var output: String

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for each AWS call (default 30).", valueName: "SECONDS"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0, timeout <= 600 else {
            throw ValidationError("--timeout \(String(format: "%g", timeout)) is not above 0 and at most 600 seconds")
        }
    }

    func run() throws {
        let client = try BlastRadiusFlags.auditClient(timeout: timeout)
        switch client.snapshot() {
        case .unknown(let reason):
            throw ValidationError("cannot take the snapshot: \(reason)")
        case .answered(let snapshot):
            do { try AWSSnapshotFile.write(snapshot, to: output) } catch { throw ValidationError("\(error)") }
            var line = "keysweep: snapshot of account \(snapshot.account ?? "?") written to \(TerminalText.escape(output)): \(snapshot.userCount) users, \(snapshot.accessKeys.count) access keys"
            if !snapshot.unknown.isEmpty { line += "; not read: \(snapshot.unknown.count) (see its \"unknown\")" }
            FileHandle.standardError.write(Data((line + "\n").utf8))
            for reason in snapshot.unknown { FileHandle.standardError.write(Data("keysweep: warning: \(TerminalText.escape(reason))\n".utf8)) }
        }
    }
}
