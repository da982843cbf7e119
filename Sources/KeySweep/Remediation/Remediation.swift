import Foundation

/// Entry points for the command line: a plan from a scan just run, or from a JSON report file.
public enum Remediation {
    /// The plan for a scan result.
    public static func plan(for result: ScanResult, options: RemediationPlanner.Options) -> RemediationPlan {
        RemediationPlanner(options: options).plan(result)
    }

    /// The plan for an earlier `scan --format json` report, read back into the same model,
    /// without rescanning. Throws `ReportError` (one line naming the file) for a missing or
    /// unusable file.
    public static func plan(reportAt path: String, options: RemediationPlanner.Options) throws -> RemediationPlan {
        RemediationPlanner(options: options).plan(try ScanResult.load(jsonReportAt: path))
    }

    /// Asks STS about every complete AWS credential of the result once (`--verify`), before any
    /// report is written, and returns the result with each answer on the credential's findings
    /// (id, secret, token), so the text, JSON, SARIF and HTML reports and the plan all show it.
    /// Without a verifier the result is returned as it is.
    public static func verify(_ result: ScanResult, options: RemediationPlanner.Options) -> ScanResult {
        guard options.verifier != nil else { return result }
        var grouping = CredentialGrouping(result.findings)
        let answers = RemediationPlanner(options: options).verify(&grouping.credentials)
        var byFinding: [String: VerificationResult] = [:]
        var settled: [String: Finding] = [:]
        for (credential, answer) in zip(grouping.credentials, answers) {
            guard let answer else { continue }
            for finding in credential.findings { byFinding[finding.id] = answer }
            if credential.pairing == "verified" { settled[credential.keyID.id] = credential.keyID }
        }
        var verified = result
        verified.verifiedWith = options.verifier?.endpoint.absoluteString
        for index in verified.findings.indices {
            let id = verified.findings[index].id
            if let settledID = settled[id] { verified.findings[index].pairing = settledID.pairing }
            verified.findings[index].verification = byFinding[id]
        }
        return verified
    }

    /// One line per verified key, for `--verify` without `--remediation`.
    public static func verificationLines(_ plan: RemediationPlan) -> [String] {
        plan.rows.compactMap { row in
            row.verification.map { "\(row.key): \(PlanRenderer.verificationSummary($0))" }
        }
    }
}
