/// The human report (`--format text`): one block per finding, then a summary line. Everything
/// that comes from scanned content goes through `TerminalText.escape`.
public struct TextReport {
    let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    private func paint(_ text: String, _ code: String) -> String {
        options.color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    public func render(_ result: ScanResult) -> String {
        var out = ""
        for finding in result.findings {
            out += block(finding)
            out += "\n"
        }
        out += summary(result) + "\n"
        return out
    }

    private func block(_ finding: Finding) -> String {
        let color = finding.confidence == .high ? "1;31" : finding.confidence == .medium ? "1;33" : "1;36"
        var lines: [String] = []
        let escape = TerminalText.escape
        var title = "\(paint(escape(finding.rule.id), color))  \(paint(escape(options.show(finding.secret)), "1"))  [\(finding.confidence.rawValue)]"
        if finding.isPlaceholder { title += " (placeholder)" }
        lines.append(title)
        var about = "  \(escape(finding.rule.description))"
        if let aws = AWSCredential(finding) {
            about += " · \(aws.keyID.keyType.rawValue) · account \(aws.keyID.account ?? "not encoded (old-generation id)")"
            about += " · leaked: \(aws.completeness)"
            if aws.isCanary { about += " · " + paint("CANARY (honeytoken: do not use)", "1;35") }
        }
        lines.append(about)
        let first = finding.first
        if let commit = first.commit {
            lines.append("  first:    \(commit.id.prefix(12)) \(commit.date) \(escape(commit.author))")
            lines.append("            \(escape(first.path)):\(first.line)")
            if let origin = first.origin, origin.kind != .local { lines.append("            in \(escape(TextReport.describe(origin)))") }
            if let link = first.permalink { lines.append("            \(escape(link))") }
            lines.append("  in HEAD:  \(finding.inHead ? paint("yes", "31") : "no")")
        } else {
            lines.append("  first:    \(escape(first.path)):\(first.line)")
        }
        let count = finding.occurrences.count
        lines.append("  seen \(count) time\(count == 1 ? "" : "s"):")
        for occurrence in finding.occurrences.prefix(20) {
            var line = "    "
            if let commit = occurrence.commit { line += "\(commit.id.prefix(12)) " }
            line += "\(escape(occurrence.path)):\(occurrence.line)"
            if let decoding = occurrence.decoding { line += " (\(decoding))" }
            if occurrence.isUnreachable { line += " (unreachable: no ref reaches it)" }
            if let origin = occurrence.origin, origin.kind != .local || Set(finding.occurrences.compactMap(\.origin?.target)).count > 1 {
                line += " in \(escape(origin.target))"
            }
            lines.append(line)
            if let link = occurrence.permalink { lines.append("      \(escape(link))") }
        }
        if count > 20 { lines.append("    … and \(count - 20) more") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `gist 1a2b… by alice (secret)`, `repository https://…`.
    static func describe(_ origin: Origin) -> String {
        var text = "\(origin.kind.rawValue) \(origin.target)"
        var facts: [String] = []
        if let owner = origin.owner { facts.append("owner \(owner)") }
        if let visibility = origin.visibility { facts.append(visibility) }
        if !facts.isEmpty { text += " (\(facts.joined(separator: ", ")))" }
        return text
    }

    private func summary(_ result: ScanResult) -> String {
        let s = result.stats
        let byConfidence = Confidence.allCases.reversed().compactMap { level -> String? in
            let n = result.findings.filter { $0.confidence == level }.count
            return n > 0 ? "\(n) \(level.rawValue)" : nil
        }
        var text = result.findings.isEmpty ? "no secrets found" :
            "\(result.findings.count) finding\(result.findings.count == 1 ? "" : "s") (\(byConfidence.joined(separator: ", ")))"
        var scanned: [String] = []
        if s.commits > 0 { scanned.append("\(s.commits) commits") }
        if s.blobs > 0 { scanned.append("\(s.blobs) blobs") }
        if s.files > 0 { scanned.append("\(s.files) files") }
        scanned.append(String(format: "%.1f MB in %.2f s", Double(s.bytes) / 1_000_000, s.seconds))
        text += " · scanned " + scanned.joined(separator: ", ")
        var skipped: [String] = []
        if s.skippedLarge > 0 { skipped.append("\(s.skippedLarge) too large") }
        if s.skippedBinary > 0 { skipped.append("\(s.skippedBinary) binary") }
        if s.placeholders > 0 { skipped.append("\(s.placeholders) placeholder\(s.placeholders == 1 ? "" : "s")") }
        if !skipped.isEmpty { text += " · skipped " + skipped.joined(separator: ", ") }
        if result.suppressed > 0 { text += " · \(result.suppressed) suppressed (ignore files, baseline, allowlists)" }
        if s.shallow { text += " · shallow clone: older history absent" }
        if !s.fetched.isEmpty { text += " · \(s.fetched.count) remote\(s.fetched.count == 1 ? "" : "s") cloned" }
        if !s.failedTargets.isEmpty {
            text += " · NOT SCANNED: " + s.failedTargets.map { TerminalText.escape($0.target) }.joined(separator: ", ")
        }
        return text
    }
}

import Foundation
