/// How a report is rendered.
public struct ReportOptions: Sendable {
    /// Never print a secret in full.
    public var redact = false
    /// ANSI colour (the CLI turns it on only when stdout is a terminal).
    public var color = false
    var toolVersion = KeySweepVersion.current

    public init() {}

    func show(_ secret: String) -> String { redact ? Redaction.redact(secret) : secret }
}

public enum KeySweepVersion {
    public static let current = "0.1.0"
}
