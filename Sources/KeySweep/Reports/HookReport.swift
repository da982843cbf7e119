/// What the pre-commit hook prints (`--format hook`): nothing for a clean commit; for a refused
/// one, a line saying so, each finding with its id and place, and the exact commands that
/// allow a finding or bypass the check once. Secrets are always redacted: the text lands in
/// terminals and CI logs.
public struct HookReport {
    public init() {}

    public func render(_ result: ScanResult) -> String {
        guard !result.findings.isEmpty else { return "" }
        let escape = TerminalText.escape
        let count = result.findings.count
        var lines = ["keysweep: commit blocked: the staged changes add \(count) secret\(count == 1 ? "" : "s")"]
        for finding in result.findings {
            let first = finding.first
            lines.append("  \(finding.id)  \(escape(finding.rule.id))  \(escape(Redaction.redact(finding)))  "
                         + "[\(finding.confidence.rawValue)]  \(escape(ProvenanceText.shown(first))):\(first.line)")
        }
        let example = result.findings[0].id
        lines.append("To allow a finding for good (an entry in .keysweepignore, to commit):")
        for finding in result.findings {
            lines.append("  keysweep ignore \(finding.id) --reason \"why it is safe\"")
        }
        lines.append("Or allow it on its line with a comment: keysweep:allow:\(example)")
        lines.append("To commit anyway this once: git commit --no-verify")
        return lines.joined(separator: "\n") + "\n"
    }
}
