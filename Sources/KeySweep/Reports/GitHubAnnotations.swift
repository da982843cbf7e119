import Foundation

/// GitHub Actions workflow commands (`--format github`): one `::error` (or `::warning`) line per
/// finding at its first occurrence, which GitHub shows as an annotation on the file and line.
///
/// Workflow logs are widely readable, so the secret is always shown redacted.
public struct GitHubAnnotations {
    let options: ReportOptions
    /// Findings at or above this confidence are errors (they fail the build); the others warnings.
    let failOn: Confidence

    public init(options: ReportOptions, failOn: Confidence = .low) {
        self.options = options
        self.failOn = failOn
    }

    public func render(_ result: ScanResult) -> String {
        var out = ""
        for finding in result.findings {
            let first = finding.occurrences.first { !$0.provenance.isMessage } ?? finding.first
            var properties: [(String, String)] = []
            if let path = first.provenance.filePath {
                properties.append(("file", path))
                properties.append(("line", String(max(1, first.line))))
            }
            properties.append(("title", "keysweep: \(finding.rule.id) [\(finding.confidence.rawValue)]"))
            var message = "\(finding.rule.description) \(Redaction.redact(finding)) (finding \(finding.id))"
            if let commit = first.commit {
                message += first.provenance == .commitMessage ? " in the message of commit \(commit.id.prefix(12))"
                    : first.provenance.isMessage ? " in the message of tag \(commit.id.prefix(12))"
                    : " introduced in commit \(commit.id.prefix(12))"
            }
            if finding.occurrences.count > 1 { message += ", seen \(finding.occurrences.count) times" }
            message += ". Rotate it, then remove it or suppress it with `keysweep ignore \(finding.id) --reason ...`."
            let command = finding.confidence >= failOn ? "error" : "warning"
            out += "::\(command) " + properties.map { "\($0.0)=\(GitHubAnnotations.escapeProperty($0.1))" }.joined(separator: ",")
                + "::" + GitHubAnnotations.escapeData(message) + "\n"
        }
        let count = result.findings.count
        out += "keysweep: \(count) finding\(count == 1 ? "" : "s")\n"
        return out
    }

    /// Escaping of a workflow command's message: control characters made visible first
    /// (`TerminalText`: an ESC in a file name reaches the log otherwise), then GitHub's own escapes.
    static func escapeData(_ text: String) -> String {
        TerminalText.escape(text).replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// Escaping of a workflow command's property value.
    static func escapeProperty(_ text: String) -> String {
        escapeData(text)
            .replacingOccurrences(of: ":", with: "%3A")
            .replacingOccurrences(of: ",", with: "%2C")
    }
}
