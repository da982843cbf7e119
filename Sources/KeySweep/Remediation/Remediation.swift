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

    /// The same, with the provider modules' assessors asked first (`--blast-radius`, `--verify`
    /// of other providers).
    package static func plan(reportAt path: String, options: RemediationPlanner.Options,
                             assessors: [any CredentialAssessor]) throws -> RemediationPlan {
        RemediationPlanner(options: options).plan(assess(try ScanResult.load(jsonReportAt: path), with: assessors))
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

    /// Asks each provider module's assessor about its provider's credentials (`--blast-radius`,
    /// `--iam-snapshot`, `--verify` of providers other than AWS) before any report is written,
    /// and puts the answers on the findings: a verification on every finding of the credential,
    /// a blast radius on the finding that names it. An answer left nil keeps what was there.
    package static func assess(_ result: ScanResult, with assessors: [any CredentialAssessor]) -> ScanResult {
        var verifications: [String: VerificationResult] = [:]
        var radii: [String: BlastRadiusReport] = [:]
        for assessor in assessors {
            let credentials = Credential.all(of: assessor.provider, in: result.findings)
            for (credential, answer) in zip(credentials, assessor.assess(credentials)) {
                if let verification = answer.verification {
                    for finding in credential.findings { verifications[finding.id] = verification }
                }
                if let radius = answer.blastRadius { radii[credential.id.id] = radius }
            }
        }
        var assessed = result
        for index in assessed.findings.indices {
            let id = assessed.findings[index].id
            if let verification = verifications[id] { assessed.findings[index].verification = verification }
            if let radius = radii[id] { assessed.findings[index].blastRadius = radius }
        }
        return assessed
    }

    /// One line per verified key, for `--verify` without `--remediation`.
    public static func verificationLines(_ plan: RemediationPlan) -> [String] {
        plan.rows.compactMap { row in
            row.verification.map { "\(row.key): \(PlanRenderer.verificationSummary($0))" }
        }
    }
}
