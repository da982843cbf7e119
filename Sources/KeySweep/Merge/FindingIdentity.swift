/// Whether a report's finding is the secret its id says: an id is the fingerprint of rule and
/// secret (`Fingerprint.findingID`), so a report edited to put another value under a real id
/// (which `merge` would then show in place of the real secret, without a word) is caught.
///
/// A redacted report (`--redact`: `AKIA…4BKH`, `-----BEGIN … …(1.7 KB)`, `****`) holds no
/// whole secret to check; its findings are merged on their ids, and a whole secret another
/// report gives for the same id (one that matches it) replaces the redacted form.
enum FindingIdentity {
    enum Kind { case matches, redacted }

    /// `.matches` or `.redacted`; throws `ReportError` naming the report and finding otherwise.
    static func check(_ finding: Finding, report: String) throws -> Kind {
        if Fingerprint.findingID(rule: finding.rule.id, secret: finding.secret) == finding.id { return .matches }
        if isRedacted(finding.secret) { return .redacted }
        throw ReportError(description: "\(TerminalText.escape(report)): finding \(TerminalText.escape(finding.id)) (rule \(TerminalText.escape(finding.rule.id))): its secret is not the one its id was made from (the report was edited); not merged")
    }

    /// The forms `Redaction.redact` writes: an ellipsis between kept ends or after a PEM header,
    /// or up to 8 asterisks for a secret too short to show any of.
    static func isRedacted(_ secret: String) -> Bool {
        secret.contains("…") || (!secret.isEmpty && secret.count <= 8 && secret.allSatisfy { $0 == "*" })
    }
}
