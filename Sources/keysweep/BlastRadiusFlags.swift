import ArgumentParser
import Foundation
import KeySweep
import KeySweepGitHub
import KeySweepVerify

/// `--blast-radius`, `--iam-snapshot` and `--cloudtrail-region`, shared by `scan` and `remediate`:
/// which provider modules answer what the leaked credentials can do.
struct BlastRadiusFlags: ParsableArguments {
    @Flag(help: "Ask the AWS account, with the owner's read-only audit credentials (the standard AWS chain; never the leaked secret), who owns each leaked key id, what it can do, whether it was used since it leaked and which identities appeared since.")
    var blastRadius = false

    @Option(name: .customLong("iam-snapshot"), help: ArgumentHelp("Answer --blast-radius from FILE, written by 'keysweep aws-snapshot', with no network at all (repeatable: one per account).", valueName: "FILE"))
    var iamSnapshots: [String] = []

    @Option(name: .customLong("cloudtrail-region"), help: ArgumentHelp("With --blast-radius, ask CloudTrail in REGION whether each key was used since it leaked (repeatable; default the audit credentials' Region).", valueName: "REGION"))
    var cloudTrailRegions: [String] = []

    func validate() throws {
        if blastRadius && !iamSnapshots.isEmpty {
            throw ValidationError("--blast-radius reads the account live and --iam-snapshot reads files: use one")
        }
        if !cloudTrailRegions.isEmpty && !blastRadius { throw ValidationError("--cloudtrail-region needs --blast-radius") }
        for region in cloudTrailRegions where !Self.isRegion(region) {
            throw ValidationError("--cloudtrail-region '\(region)' is not an AWS Region name (like eu-west-1)")
        }
        for file in iamSnapshots {
            do { _ = try AWSSnapshotFile.read(file) } catch { throw ValidationError(error.description) }
        }
        if blastRadius { _ = try Self.auditClient(timeout: 10) }
    }

    static func isRegion(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 32 && name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" } && name.first!.isLetter
    }

    /// The owner's client, or the one-line reason there is none.
    static func auditClient(timeout: Double) throws -> AWSAccountClient {
        do { return try AWSAccountClient(environment: ProcessInfo.processInfo.environment, timeout: timeout) }
        catch { throw ValidationError("\(error)") }
    }

    /// The assessors these flags ask for, with GitHub's token module when `verify` is on.
    func assessors(verify: Bool, githubAPI: String, timeout: Double) throws -> [any CredentialAssessor] {
        var assessors: [any CredentialAssessor] = []
        if !iamSnapshots.isEmpty {
            var files: [(name: String, snapshot: AWSAccountSnapshot)] = []
            for file in iamSnapshots {
                do { files.append((file, try AWSSnapshotFile.read(file))) } catch { throw ValidationError(error.description) }
            }
            assessors.append(AWSBlastRadiusAssessor(.snapshots(files)))
        } else if blastRadius {
            let client = try Self.auditClient(timeout: timeout)
            let home: String
            do { home = try AWSAuditCredentials(environment: ProcessInfo.processInfo.environment).region } catch { throw ValidationError("\(error)") }
            let regions = cloudTrailRegions.isEmpty ? [home] : cloudTrailRegions
            assessors.append(AWSBlastRadiusAssessor(.live(client, cloudTrailRegions: regions)))
        }
        if verify {
            guard let url = URL(string: githubAPI), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
                throw ValidationError("--github-api-url '\(githubAPI)' is not an http(s) URL")
            }
            assessors.append(GitHubTokenAssessor(apiURL: url, timeout: timeout))
        }
        return assessors
    }
}
