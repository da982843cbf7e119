/// The human report (`--format text`): a first line that answers the question, one block per
/// finding (its id for `keysweep ignore`, verdict, account, exposure, where it was seen), then
/// the scan's figures. Everything that comes from scanned content goes through
/// `TerminalText.escape`.
public struct TextReport {
    let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    private func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func render(_ result: ScanResult) -> String {
        let summary = ReportSummary(result)
        var out = paint(summary.headline, result.findings.isEmpty ? "1;32" : "1") + "\n\n"
        let verified = result.findings.contains { $0.verification != nil }
        for finding in result.findings {
            out += block(finding, verified: verified)
            out += "\n"
        }
        out += summary.stats + "\n"
        return out
    }

    private func block(_ finding: Finding, verified: Bool) -> String {
        let color = finding.confidence == .high ? "1;31" : finding.confidence == .medium ? "1;33" : "1;36"
        var lines: [String] = []
        let escape = TerminalText.escape
        var title = "\(paint(escape(finding.rule.id), color))  \(paint(escape(options.textSecrets.show(finding)), "1"))  [\(finding.confidence.rawValue)]"
        if finding.isPlaceholder { title += " (placeholder)" }
        title += "  id \(finding.id)"
        lines.append(title)
        var about = "  \(escape(finding.rule.description))"
        let facts = ProviderModules.facts(of: finding)
        for label in facts.labels { about += " · \(escape(label))" }
        if let warning = facts.warning { about += " · " + paint(escape(warning), "1;35") }
        lines.append(about)
        lines.append("  verdict:  \(verdict(finding, verified: verified))")
        if let radius = finding.blastRadius {
            let danger = radius.danger == .critical ? paint("CRITICAL", "1;31") : radius.danger.rawValue
            let principal = radius.principal.flatMap { radius.summary.contains($0) ? nil : " (\(escape($0)))" } ?? ""
            lines.append("  can do:   \(danger): \(escape(radius.summary))\(principal)")
            if !radius.newIdentitiesSinceLeak.isEmpty {
                lines.append("  since the leak: " + radius.newIdentitiesSinceLeak.map { "new \($0.type) \(escape($0.name))" }.joined(separator: ", "))
            }
        }
        lines.append("  exposure: \(exposure(finding))")
        let first = finding.first
        if let commit = first.commit {
            lines.append("  first:    \(commit.id.prefix(12)) \(commit.date) \(escape(commit.author))")
            lines.append("            \(escape(ProvenanceText.shown(first))):\(first.line)")
            if let origin = first.origin, origin.kind != .local { lines.append("            in \(escape(TextReport.describe(origin)))") }
            if let link = first.permalink { lines.append("            \(escape(link))") }
        } else {
            lines.append("  first:    \(escape(ProvenanceText.shown(first))):\(first.line)\(first.isWorkTree ? "  " + ProvenanceText.workTree : "")")
        }
        let count = finding.occurrences.count + finding.omittedOccurrences
        lines.append("  seen \(Plural.count(count, "time")):")
        for occurrence in finding.occurrences.prefix(20) {
            var line = "    "
            if let commit = occurrence.commit { line += "\(commit.id.prefix(12)) " }
            line += "\(escape(ProvenanceText.shown(occurrence))):\(occurrence.line)"
            if occurrence.isWorkTree { line += "  " + ProvenanceText.workTree }
            if let decoding = occurrence.decoding { line += " (\(decoding))" }
            if occurrence.isUnreachable { line += " (unreachable: no ref reaches it)" }
            if let origin = occurrence.origin, origin.kind != .local || Set(finding.occurrences.compactMap(\.origin?.target)).count > 1 {
                line += " in \(escape(origin.target))"
            }
            lines.append(line)
            if let link = occurrence.permalink { lines.append("      \(escape(link))") }
        }
        if count > 20 { lines.append("    … and \(Plural.number(count - 20)) more") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `live: arn:aws:iam::123456789012:user/leaky (checked 2026-…)`, `revoked (unknown id)`,
    /// `unverified (add --verify)`.
    private func verdict(_ finding: Finding, verified: Bool) -> String {
        let escape = TerminalText.escape
        guard let v = finding.verification else {
            return "unverified (\(escape(ProviderModules.unverifiedReason(finding, verified: verified))))"
        }
        var text: String
        switch v.verdict {
        case .live:
            text = paint("live", "1;31") + ": " + escape(v.arn ?? v.principalName ?? "?")
        case .unknownID, .expired, .wrongSecret: text = "\(v.state) (\(escape(v.why ?? "")))"
        case .couldNotCheck, .notChecked: text = "unverified (\(escape(v.reason ?? v.code ?? "no answer")))"
        }
        if let at = v.checkedAt { text += ", checked \(at)" }
        return text
    }

    /// `in HEAD · 2 refs (main, tag v1.0) · public repository · since 2023-11-14`.
    private func exposure(_ finding: Finding) -> String {
        var parts: [String] = []
        let isGit = finding.occurrences.contains { $0.commit != nil }
        if isGit {
            parts.append(finding.inHead ? paint("in HEAD", "31") : "not in HEAD")
        } else {
            parts.append("on disk")
        }
        let tips = finding.refs.flatMap(\.tips)
        if !finding.refs.isEmpty {
            let names = tips.prefix(4).map { TerminalText.escape(PlanRenderer.shortRef($0)) }.joined(separator: ", ")
            parts.append(tips.isEmpty ? "on no ref tip (history only)" : "\(Plural.count(tips.count, "ref")) (\(names)\(tips.count > 4 ? ", …" : ""))")
        }
        if let removed = finding.refs.compactMap(\.removedBy).first { parts.append("removed by \(removed.id.prefix(12))") }
        let visibilities = Set(finding.occurrences.compactMap { $0.origin?.visibility })
        if visibilities.contains("public") { parts.append(paint("public remote", "31")) }
        else if let visibility = visibilities.first { parts.append("\(TerminalText.escape(Visibility.shown(visibility))) remote") }
        if let date = finding.first.commit?.date, !date.isEmpty { parts.append("since \(date.prefix(10))") }
        return parts.joined(separator: " · ")
    }

    /// `gist 1a2b… by alice (secret)`, `repository https://…`.
    static func describe(_ origin: Origin) -> String {
        var text = "\(origin.kind.rawValue) \(origin.target)"
        var facts: [String] = []
        if let owner = origin.owner { facts.append("owner \(owner)") }
        if let visibility = origin.visibility { facts.append(Visibility.shown(visibility)) }
        if !facts.isEmpty { text += " (\(facts.joined(separator: ", ")))" }
        return text
    }
}

extension VerificationResult {
    /// Why a credential is revoked or invalid, in words (the text and HTML reports); nil for
    /// the other verdicts.
    var why: String? {
        switch verdict {
        case .unknownID: return reason ?? "the provider does not know it"
        case .expired: return "the temporary key has expired"
        case .wrongSecret: return "the key id is real, this secret is not its secret"
        case .live, .couldNotCheck, .notChecked: return nil
        }
    }
}
