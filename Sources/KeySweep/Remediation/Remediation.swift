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

    /// One line per verified key, for `--verify` without `--remediation`.
    public static func verificationLines(_ plan: RemediationPlan) -> [String] {
        plan.rows.compactMap { row in
            row.verification.map { "\(row.key): \(PlanRenderer.verificationSummary($0))" }
        }
    }
}
