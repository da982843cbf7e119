/// How a report is rendered.
public struct ReportOptions: Sendable {
    /// Never print a secret in full (`--redact`): the recognisable form (`AKIA…4BKH`).
    public var redact = false
    /// Print every secret in full in the text and HTML reports (`--show-secrets`); without
    /// it the text report shortens long secrets and PEM blocks, the HTML report redacts.
    public var showSecrets = false
    /// ANSI colour (the CLI turns it on only when stdout is a terminal).
    public var color = false
    var toolVersion = KeySweepVersion.current

    public init() {}

    /// The machine formats (JSON): in full unless `--redact`.
    func show(_ secret: String) -> String { redact ? Redaction.redact(secret) : secret }
    func show(_ finding: Finding) -> String { redact ? Redaction.redact(finding) : finding.secret }

    /// The text report: redacted with `--redact`, in full with `--show-secrets`, else shortened.
    var textSecrets: SecretDisplay { redact ? .redacted : showSecrets ? .full : .shortened }

    /// The HTML report, a file people open and share: redacted unless `--show-secrets`.
    var htmlSecrets: SecretDisplay { showSecrets && !redact ? .full : .redacted }
}

public enum KeySweepVersion {
    public static let current = "0.1.0"
}
