import ArgumentParser
import Foundation
import KeySweep
import KeySweepVerify

/// `--verify` and its settings, shared by `scan` and `remediate`.
struct VerifyOptions: ParsableArguments {
    @Flag(help: "Ask AWS STS GetCallerIdentity who owns each complete AWS key pair, and GitHub (GET /user) who owns each GitHub token and its scopes (network; never for canaries or placeholders).")
    var verify = false

    @Option(help: ArgumentHelp("STS endpoint for --verify; overrides AWS_ENDPOINT_URL_STS and AWS_ENDPOINT_URL (default https://sts.amazonaws.com).", valueName: "URL"))
    var stsEndpoint: String?

    // `.unconditional`: `--verify-timeout -1` is a value to reject as negative, not a flag.
    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds to wait for each STS call (default 10).", valueName: "SECONDS"))
    var verifyTimeout: Double = 10

    func validate() throws {
        if verifyTimeout < 0 { throw ValidationError("--verify-timeout \(String(format: "%g", verifyTimeout)) is negative (use more than 0, at most 600 seconds)") }
        guard verifyTimeout > 0, verifyTimeout <= 600 else {
            throw ValidationError("--verify-timeout \(String(format: "%g", verifyTimeout)) is not above 0 and at most 600 seconds")
        }
        if stsEndpoint != nil && !verify { throw ValidationError("--sts-endpoint needs --verify") }
        if verify { _ = try plannerOptions() }   // a bad endpoint fails before any scan
    }

    /// Planner options: redaction, and the verifier only with --verify.
    func plannerOptions(redact: Bool = false, showSecrets: Bool = false) throws -> RemediationPlanner.Options {
        var options = RemediationPlanner.Options()
        options.redact = redact
        options.showSecrets = showSecrets
        if verify {
            do {
                options.verifier = try STSVerifier(stsEndpoint: stsEndpoint, timeout: verifyTimeout)
            } catch let error as STSEndpoint.Invalid {
                throw ValidationError(error.description)
            }
        }
        return options
    }
}

struct RemediateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remediate",
        abstract: "Make the rotation plan from an earlier 'scan --format json' report, without rescanning.",
        discussion: """
        The plan ranks every AWS key id and other secret (live and complete credentials first, then \
        by exposure), groups AWS keys by account, names who committed them, and gives the exact \
        commands to contain, investigate, rotate and delete each. Secrets are redacted unless \
        --show-secrets; with --remediation FILE, replacements.txt beside it holds them all for git \
        filter-repo (mode 0600). Ref tips and removing commits come from the report (the scan records \
        them), so the repositories need not exist any more. Exit status: 0 nothing to rotate, 1 plan \
        has secrets, 2 error.
        """
    )

    @Argument(help: ArgumentHelp("A JSON report written by 'keysweep scan --format json'.", valueName: "REPORT"))
    var report: String

    @Option(help: ArgumentHelp("Write the plan to FILE (Markdown; a .json name gives JSON) instead of standard output.", valueName: "FILE"))
    var remediation: String?

    @OptionGroup var secrets: SecretFlags

    @OptionGroup var verification: VerifyOptions

    @OptionGroup(title: "Blast radius") var blast: BlastRadiusFlags

    @Option(help: ArgumentHelp("GitHub's REST API, for --verify of GitHub tokens (GitHub Enterprise: https://HOST/api/v3).", valueName: "URL"))
    var githubApiUrl: String = "https://api.github.com"

    func run() throws {
        let options = try verification.plannerOptions(redact: secrets.redact, showSecrets: secrets.showSecrets)
        let plan: RemediationPlan
        do {
            let assessors = try blast.assessors(verify: verification.verify, githubAPI: githubApiUrl, timeout: verification.verifyTimeout)
            plan = try Remediation.plan(reportAt: report, options: options, assessors: assessors)
        } catch let error as ReportError {
            throw ValidationError(error.description)
        }
        if let remediation {
            do { try PlanRenderer.write(plan, to: remediation) } catch let error as ReportError { throw ValidationError(error.description) }
        } else {
            FileHandle.standardOutput.write(Data(try PlanRenderer.render(plan, format: .markdown).utf8))
        }
        if !plan.rows.isEmpty { throw ExitCode(Status.findings) }
    }
}

/// `--redact` and `--show-secrets`, shared by `scan` and `remediate`.
struct SecretFlags: ParsableArguments {
    @Flag(help: "Never print a secret in full: the recognisable form (ghp_…m1IL) everywhere; AWS key ids are not secret and stay whole, so the commands of the plan still run.")
    var redact = false

    @Flag(help: "Print secrets in full: in the text and HTML reports (long ones and PEM blocks are shortened otherwise, the HTML report redacts) and in the plan (redacted otherwise).")
    var showSecrets = false

    func validate() throws {
        if redact && showSecrets { throw ValidationError("--redact and --show-secrets cannot be used together") }
    }
}

/// What `scan` does around its report for `--verify` and `--remediation`.
enum ScanRemediation {
    /// `--verify`: STS is asked before any report is written, so every report carries the answers.
    static func verify(_ result: ScanResult, verification: VerifyOptions) throws -> ScanResult {
        guard verification.verify else { return result }
        return Remediation.verify(result, options: try verification.plannerOptions())
    }

    /// `--remediation FILE`: the plan from the (verified) result, and replacements.txt beside it.
    static func run(_ result: ScanResult, remediation: String?, secrets: SecretFlags) throws {
        guard let remediation else { return }
        var options = RemediationPlanner.Options()
        options.redact = secrets.redact
        options.showSecrets = secrets.showSecrets
        let plan = Remediation.plan(for: result, options: options)
        do { try PlanRenderer.write(plan, to: remediation) } catch let error as ReportError { throw ValidationError(error.description) }
    }
}
