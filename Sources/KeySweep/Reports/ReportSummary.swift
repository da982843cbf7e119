/// The answer to "what leaked?", in one line, for the top of the text and HTML reports and for
/// standard error when the report goes to a file: `3 AWS keys leaked, 2 complete credentials,
/// 1 live; 2 other secrets (GitHub, Slack)` or `no secrets found`.
public struct ReportSummary: Sendable {
    public let headline: String
    public let stats: String

    public init(_ result: ScanResult) {
        headline = Self.headline(result)
        stats = Self.stats(result)
    }

    static func headline(_ result: ScanResult) -> String {
        found(result) + caveats(result.stats)
    }

    /// What a reader must know before trusting the answer: the scan did not see, or did not
    /// keep, everything (the warnings name where).
    static func caveats(_ stats: ScanStats) -> String {
        var parts: [String] = []
        if stats.incomplete > 0 {
            parts.append("INCOMPLETE: a rule stopped before the end of \(Plural.count(stats.incomplete, "content")) (see warnings)")
        }
        if stats.omittedMatches > 0 {
            parts.append("\(Plural.count(stats.omittedMatches, "match", "matches")) past keysweep's limits counted, not kept (see warnings)")
        }
        return parts.isEmpty ? "" : " — " + parts.joined(separator: "; ")
    }

    private static func found(_ result: ScanResult) -> String {
        guard !result.findings.isEmpty else { return "no secrets found" }
        let grouping = CredentialGrouping(result.findings)
        let keys = grouping.credentials.filter { !$0.isPlaceholder }
        let others = grouping.others.filter { !$0.isPlaceholder }
        let placeholders = result.findings.filter(\.isPlaceholder).count
        var parts: [String] = []
        if !keys.isEmpty {
            var text = "\(Plural.count(keys.count, "AWS key")) leaked"
            let complete = keys.filter(\.isComplete).count
            text += ", \(Plural.count(complete, "complete credential"))"
            let verified = keys.compactMap(\.keyID.verification)
            if verified.isEmpty {
                if complete > 0 { text += " (not verified: add --verify)" }
            } else {
                text += ", \(verified.filter { $0.verdict == .live }.count) live"
                let revoked = verified.filter { $0.state == "revoked" }.count
                if revoked > 0 { text += ", \(revoked) revoked" }
            }
            if keys.contains(where: \.isCanary) { text += ", \(Plural.count(keys.filter(\.isCanary).count, "canary", "canaries"))" }
            parts.append(text)
        }
        if !others.isEmpty {
            var providers: [String] = []
            for finding in others {
                let name = ProviderPlaybooks.provider(of: finding.rule)
                if !providers.contains(name) { providers.append(name) }
            }
            let shown = providers.prefix(5).joined(separator: ", ") + (providers.count > 5 ? ", …" : "")
            let noun = keys.isEmpty ? Plural.count(others.count, "secret") + " found" : Plural.count(others.count, "other secret")
            parts.append("\(noun) (\(TerminalText.escape(shown)))")
        }
        if placeholders > 0 { parts.append(Plural.count(placeholders, "placeholder")) }
        // What the provider modules found the credentials can do (--blast-radius, --verify).
        let critical = result.findings.filter { $0.blastRadius?.danger == .critical }.count
        if critical > 0 { parts.append("\(critical) can end the company (admin, new identities or destroying backups)") }
        return parts.joined(separator: "; ")
    }

    static func stats(_ result: ScanResult) -> String {
        let s = result.stats
        let byConfidence = Confidence.allCases.reversed().compactMap { level -> String? in
            let n = result.findings.filter { $0.confidence == level }.count
            return n > 0 ? "\(n) \(level.rawValue)" : nil
        }
        var text = result.findings.isEmpty ? "" :
            "\(Plural.count(result.findings.count, "finding")) (\(byConfidence.joined(separator: ", "))) · "
        var scanned: [String] = []
        if s.commits > 0 { scanned.append(Plural.count(s.commits, "commit")) }
        if s.blobs > 0 { scanned.append(Plural.count(s.blobs, "blob")) }
        if s.files > 0 || (s.commits == 0 && s.blobs == 0) { scanned.append(Plural.count(s.files, "file")) }
        scanned.append(String(format: "%.1f MB in %.2f s", Double(s.bytes) / 1_000_000, s.seconds))
        text += "scanned " + scanned.joined(separator: ", ")
        var skipped: [String] = []
        if s.skippedLarge > 0 { skipped.append("\(Plural.number(s.skippedLarge)) too large") }
        if s.skippedBinary > 0 { skipped.append("\(Plural.number(s.skippedBinary)) binary") }
        if s.placeholders > 0 { skipped.append(Plural.count(s.placeholders, "placeholder")) }
        if !skipped.isEmpty { text += " · skipped " + skipped.joined(separator: ", ") }
        if result.suppressed > 0 { text += " · \(Plural.number(result.suppressed)) suppressed (ignore files, baseline, allowlists)" }
        if s.shallow { text += " · history is partial (shallow clone: `git fetch --unshallow` or `fetch-depth: 0` for all of it)" }
        if !s.fetched.isEmpty { text += " · \(Plural.count(s.fetched.count, "remote")) cloned" }
        if !s.failedTargets.isEmpty {
            text += " · NOT SCANNED: " + s.failedTargets.map { TerminalText.escape($0.target) }.joined(separator: ", ")
        }
        return text
    }
}
