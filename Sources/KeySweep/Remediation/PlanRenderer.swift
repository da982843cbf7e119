import Foundation

/// Writes a plan as Markdown (for people: a summary table, then a section per key) or JSON (the
/// same facts, for machines).
public enum PlanRenderer {
    public enum Format: Sendable { case markdown, json }

    /// `.json` gives JSON, anything else Markdown.
    static func format(forPath path: String) -> Format {
        path.lowercased().hasSuffix(".json") ? .json : .markdown
    }

    public static func render(_ plan: RemediationPlan, format: Format) throws -> String {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(plan), as: UTF8.self) + "\n"
        case .markdown:
            return markdown(plan)
        }
    }

    /// Writes the plan to `path`, and the one replacements.txt beside it (mode 0600, every
    /// secret of the plan); throws a one-line error when it cannot.
    public static func write(_ plan: RemediationPlan, to path: String) throws {
        let text = try render(plan, format: format(forPath: path))
        do { try OutputFile.write(text, to: path) } catch let error as OutputFile.WriteError {
            throw ReportError(description: error.description)
        }
        if !plan.replacements.isEmpty { try Purge.write(plan.replacements, to: Purge.path(beside: path)) }
    }

    // MARK: Markdown

    public static func markdown(_ plan: RemediationPlan) -> String {
        var out = "# Remediation plan\n\n"
        // Nothing found: one line, no header to read through.
        guard !plan.rows.isEmpty else { return out + "Nothing to rotate: no secrets found.\n" }
        out += "Made \(plan.generated) by keysweep \(shown(plan.tool.version)) from \(plan.targets.map { "`\(shown($0))`" }.joined(separator: ", ")). "
        let aws = plan.rows.filter { $0.awsKeyType != nil }
        out += "\(aws.count) AWS key id\(aws.count == 1 ? "" : "s"), \(plan.rows.count - aws.count) other secret\(plan.rows.count - aws.count == 1 ? "" : "s").\n\n"
        if plan.verified {
            out += "Verified with STS GetCallerIdentity at \(shown(plan.stsEndpoint ?? "?")); each call shows in the key owner's CloudTrail at the time given.\n\n"
        } else {
            out += "Not verified (no `--verify`): no network call was made.\n\n"
        }
        let inHistory = plan.rows.contains { $0.exposure.inHistory }
        if !plan.refsChecked && inHistory {
            out += "Ref tips and removing commits are unknown (nothing was found in git history, or the report was written without them).\n\n"
        }
        out += plan.secretsShown
            ? "**This plan holds secrets in full (`--show-secrets`): do not forward it.**\n\n"
            : "Secrets are redacted (AWS key ids are not secret and stay whole, for the commands)"
                + (plan.replacements.isEmpty ? ".\n\n" : "; every secret is in full in `\(Purge.fileName)` beside this plan (mode 0600), for `git filter-repo`.\n\n")
        out += "Contain and rotate first: rewriting git history never un-leaks a key. Rows are ranked in tiers you may stop reading after (credentials that act as they are, then password hashes, then encrypted keys and test values); within a tier live and complete credentials first, then what they can do, then by exposure (public remote, still in HEAD, on more refs, exposed longer). Rows are numbered across tiers.\n"
        for tier in RemediationPlan.Tier.allCases {
            let rows = plan.rows.filter { $0.tier == tier }
            guard let first = rows.first?.rank, let last = rows.last?.rank else { continue }
            out += "\n## \(tier.heading) (\(first == last ? "row \(first)" : "rows \(first)–\(last)"))\n\n"
            out += tier.about + "\n\n"
            out += table(rows)
        }
        // The steps rows of one provider share, once: each row names them.
        let shared = sharedSteps(plan.rows)
        let sharedBy = Dictionary(shared.flatMap { group in group.rows.map { ($0, group) } }, uniquingKeysWith: { a, _ in a })
        // AWS keys by account, the account's commands together; then the other secrets.
        let byRank = Dictionary(plan.rows.map { ($0.rank, $0) }, uniquingKeysWith: { a, _ in a })
        var placed = Set<Int>()
        for group in plan.accounts {
            out += "\n## AWS account \(shown(group.account ?? "unknown (old-generation key ids)"))\n\n"
            var about = "\(Plural.count(group.rows.count, "key")): " + group.rows.map { "#\($0)" }.joined(separator: ", ") + "."
            if !group.principals.isEmpty { about += " Principals STS named: " + group.principals.map { "`\($0)`" }.joined(separator: ", ") + "." }
            if group.account != nil { about += " Run these commands with administrator credentials of this account." }
            out += shown(about) + "\n"
            for rank in group.rows { if let row = byRank[rank] { out += "\n" + section(row, shared: sharedBy[rank]); placed.insert(rank) } }
        }
        let rest = plan.rows.filter { !placed.contains($0.rank) }
        if !rest.isEmpty {
            out += "\n## \(plan.accounts.isEmpty ? "Secrets" : "Other secrets")\n"
            for row in rest { out += "\n" + section(row, shared: sharedBy[row.rank]) }
        }
        if !shared.isEmpty {
            out += "\n## Steps shared by the rows of a provider\n"
            for group in shared {
                out += "\n### Steps: \(shown(group.provider))\n\n"
                let dated = group.steps.contains { ($0.title + ($0.detail ?? "")).contains(sinceMarker) }
                out += "For rows " + group.rows.map { "#\($0)" }.joined(separator: ", ") + (dated ? "; “\(sinceMarker)” is each row's **Exposed since**" : "")
                    + (group.namesID ? "; `ID` is each row's finding id, given in its section" : "") + ".\n\n"
                out += steps(group.steps)
            }
        }
        // Standard input and files on disk have no history to rewrite.
        if inHistory { out += "\n" + purgeSection(plan) }
        return out
    }

    /// The summary table of some rows.
    static func table(_ rows: [RemediationPlan.Row]) -> String {
        var out = "| # | urgency | can do | provider | key | type | account | leaked | exposure | committed by | verification |\n"
        out += "|---|---|---|---|---|---|---|---|---|---|---|\n"
        for row in rows {
            let danger: String = row.blastRadius.map { $0.danger == .critical ? "**critical**" : $0.danger.rawValue } ?? "—"
            let cells: [String] = [
                "\(row.rank)",
                row.urgency == .live ? "**live**" : row.urgency.label,
                danger,
                row.provider,
                "`\(oneLine(row.key))`",
                row.type,
                row.account ?? "—",
                row.leaked ?? "—",
                exposureSummary(row.exposure),
                row.exposure.committers.first.map { name($0.author) + (row.exposure.committers.count > 1 ? " +\(row.exposure.committers.count - 1)" : "") } ?? "—",
                row.verification.map(verificationSummary) ?? "—",
            ]
            out += "| " + cells.map(cell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Steps that rows of one provider share word for word (but for the row's leak date and
    /// finding id): printed once, under the provider's name, each row referring to them.
    struct SharedSteps {
        var provider: String
        var rows: [Int]
        var steps: [RemediationPlan.Step]
        /// The steps name each row's finding id (`ID` in them): each row gives its own.
        var namesID = false
    }

    static let sinceMarker = "its leak date"

    /// Groups of two rows or more, not AWS (whose commands name each key), in rank order.
    static func sharedSteps(_ rows: [RemediationPlan.Row]) -> [SharedSteps] {
        var groups: [SharedSteps] = []
        for row in rows where row.awsKeyType == nil && !row.steps.isEmpty {
            let steps = template(row)
            let namesID = row.steps.contains { ([$0.title, $0.detail ?? ""] + $0.commands).contains { $0.contains(row.finding) } }
            if let index = groups.firstIndex(where: { $0.provider == row.provider && $0.steps == steps }) {
                groups[index].rows.append(row.rank)
            } else {
                groups.append(SharedSteps(provider: row.provider, rows: [row.rank], steps: steps, namesID: namesID))
            }
        }
        groups = groups.filter { $0.rows.count > 1 }
        // Two groups of one provider (a Django secret key, Django password hashes): named apart.
        let byRank = Dictionary(rows.map { ($0.rank, $0) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(grouping: groups.map(\.provider), by: { $0 }).filter { $0.value.count > 1 }
        for index in groups.indices where names[groups[index].provider] != nil {
            groups[index].provider += ", " + (byRank[groups[index].rows[0]]?.type ?? "#\(groups[index].rows[0])")
        }
        return groups
    }

    /// A row's steps with its own leak date and finding id made general.
    private static func template(_ row: RemediationPlan.Row) -> [RemediationPlan.Step] {
        func general(_ text: String) -> String {
            var text = text.replacingOccurrences(of: row.finding, with: "ID")
            if let since = row.exposure.exposedSince { text = text.replacingOccurrences(of: since, with: sinceMarker) }
            return text
        }
        return row.steps.map { step in
            var step = step
            step.title = general(step.title)
            step.detail = step.detail.map(general)
            step.commands = step.commands.map(general)
            return step
        }
    }

    /// The history purge, once for the whole plan.
    static func purgeSection(_ plan: RemediationPlan) -> String {
        var out = "## Purging git history (after rotating)\n\n"
        out += Purge.warning + "\n\n"
        if plan.replacements.isEmpty {
            out += "No secret of this plan can be purged by value (placeholders only, or a redacted report).\n"
            return out
        }
        out += "`\(Purge.fileName)`, beside this plan, holds \(Plural.count(plan.replacements.count, "line")) (`SECRET==>REMOVED`): every secret above, never a key id; each section above names its lines. Run in a fresh mirror clone of each repository:\n\n"
        out += "```sh\n" + Purge.commands.joined(separator: "\n") + "\n```\n\n"
        let refs = plan.purgeRefs
        if refs.isEmpty {
            out += "Refs holding them: \(plan.refsChecked ? "none (history only: every branch and tag is rewritten anyway)" : "unknown")\n"
        } else {
            if !refs.branches.isEmpty { out += shown("- **Branches to force-push:** " + refs.branches.map { "`\(shortRef($0))`" }.joined(separator: ", ")) + "\n" }
            if !refs.remoteTracking.isEmpty { out += shown("- **Remote-tracking refs** (the remote's branches as this clone last fetched them: in the mirror clone they are branches, pushed by `git push --force --all`): " + refs.remoteTracking.map { "`\(shortRef($0))`" }.joined(separator: ", ")) + "\n" }
            if !refs.tags.isEmpty { out += shown("- **Tags to re-create and force-push** (tell whoever fetched them): " + refs.tags.map { "`\(shortRef($0))`" }.joined(separator: ", ")) + "\n" }
            if !refs.pullRequests.isEmpty { out += shown("- **Pull-request refs** (read-only: ask the host's support to remove them and their cached views): " + refs.pullRequests.map { "`\($0)`" }.joined(separator: ", ")) + "\n" }
            if !refs.other.isEmpty { out += shown("- **Other refs:** " + refs.other.map { "`\($0)`" }.joined(separator: ", ")) + "\n" }
        }
        return out
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "`", with: "'")
    }

    /// `Ada Lovelace` of `Ada Lovelace <ada@example.org>`.
    private static func name(_ author: String) -> String {
        author.split(separator: "<").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? author
    }

    /// A table cell: control characters (a newline would end the row and forge the next) as
    /// visible escapes, `|` escaped.
    private static func cell(_ text: String) -> String {
        shown(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// One line of the plan as people read it (in a file or, from `remediate`, on a terminal):
    /// what came from the scanned repository (paths, authors, refs) or a report (any field) may
    /// hold control characters; they are shown as escapes (`\e`, `\n`), as the text report does,
    /// so nothing can clear the screen or add a line.
    private static func shown(_ line: String) -> String { TerminalText.escape(line) }

    static func shortRef(_ name: String) -> String {
        if name.hasPrefix("refs/heads/") { return String(name.dropFirst(11)) }
        if name.hasPrefix("refs/tags/") { return "tag " + name.dropFirst(10) }
        if name.hasPrefix("refs/remotes/") { return String(name.dropFirst(13)) }
        if name.hasPrefix("refs/") { return String(name.dropFirst(5)) }
        return name
    }

    static func exposureSummary(_ e: Exposure) -> String {
        guard e.inHistory else { return e.firstPath == ProvenanceText.stdin ? "standard input" : "on disk (not in git history)" }
        var parts: [String] = []
        if e.inHead { parts.append("in HEAD") }
        let tips = (e.refTips ?? []).map(shortRef)
        if !tips.isEmpty { parts.append("tips: " + tips.joined(separator: ", ")) }
        if !e.inHead && tips.isEmpty { parts.append(e.refTips == nil ? "not in HEAD" : "history only") }
        if let since = e.exposedSince { parts.append("since \(since)") }
        return parts.joined(separator: "; ")
    }

    static func verificationSummary(_ v: VerificationResult) -> String {
        var text: String
        switch v.verdict {
        case .live: text = "live: \(v.arn ?? v.principalName ?? "?")"
        case .wrongSecret: text = "secret wrong, id real"
        case .unknownID: text = "unknown id"
        case .expired: text = "expired"
        case .couldNotCheck: text = "could not check (\(v.reason ?? "?"))"
        case .notChecked: text = "not checked (\(v.reason ?? "?"))"
        }
        if let at = v.checkedAt { text += ", \(at)" }
        return text
    }

    /// What the credential can do, who owns it, its use and the identities since the leak.
    static func blastRadiusFacts(_ r: BlastRadiusReport) -> [String] {
        var facts = ["**What it can do:** \(r.summary) (\(r.danger.rawValue); from the \(r.source))"]
        var owner: [String] = []
        if let principal = r.principal { owner.append("`\(principal)`") }
        if let status = r.status { owner.append("key \(status)") }
        if let created = r.created { owner.append("created \(created)") }
        if !owner.isEmpty { facts.append("**Owner:** " + owner.joined(separator: " · ")) }
        if let used = r.lastUsed {
            facts.append("**Last used:** " + (used.date.map { "\($0)" + ([used.service, used.region].compactMap { $0 }.isEmpty ? "" : " (\([used.service, used.region].compactMap { $0 }.joined(separator: ", ")))") } ?? "never"))
        }
        facts.append("**Used since it leaked:** " + (r.usedSinceLeak.map { $0 ? "**yes**" : "no" } ?? "unknown"))
        if !r.recentCalls.isEmpty {
            facts.append("**Its recent changing calls:** " + r.recentCalls.map { "\($0.name) at \($0.time)" + ($0.region.map { " in \($0)" } ?? "") }.joined(separator: "; "))
        }
        if !r.newIdentitiesSinceLeak.isEmpty {
            facts.append("**New identities since the leak:** " + r.newIdentitiesSinceLeak.map { "\($0.type) `\($0.name)` (\($0.created))" }.joined(separator: "; "))
        }
        if let quarantined = r.quarantined {
            var text = "**Quarantine policy:** " + (quarantined ? "attached" : "none")
            if let open = r.leftOpenByQuarantine, !open.isEmpty {
                text += quarantined ? "; still open under it: " : "; AWS's quarantine would leave open: "
                text += open.joined(separator: ", ")
            }
            facts.append(text)
        }
        for line in r.unknown { facts.append("**Unknown:** \(line)") }
        return facts
    }

    private static func commit(_ ref: Exposure.CommitRef) -> String {
        var text = "`\(ref.commit.prefix(12))`"
        if let author = ref.author { text += " by \(author)" }
        if let date = ref.date { text += " on \(date)" }
        return text
    }

    static func section(_ row: RemediationPlan.Row, shared: SharedSteps? = nil) -> String {
        var heading = "### \(row.rank). `\(oneLine(row.key))` — \(row.urgency.label)"
        if row.canary { heading += " (CANARY: do not use)" }
        if row.placeholder { heading += " (PLACEHOLDER)" }
        var out = shown(heading) + "\n\n"
        var facts: [String] = []
        facts.append("**Provider:** \(row.provider) · **type:** \(row.type)" + (row.account.map { " · **account:** \($0)" } ?? ""))
        if let leaked = row.leaked {
            facts.append("**Leaked:** \(leaked)" + (row.complete ? " (complete credential)" : ""))
        }
        for part in row.parts {
            facts.append("**Its \(part.role):** `\(part.path):\(part.line)`" + (part.commit.map { " (first in `\($0)`)" } ?? "") + ", finding `\(part.finding)`: one credential, rotated together")
        }
        if let expiration = row.expiration { facts.append("**Expiration found with it:** \(expiration)") }
        let e = row.exposure
        if let first = e.first {
            facts.append("**Exposed since:** \(e.exposedSince ?? "?") — first in \(commit(first)), `\(e.firstPath):\(e.firstLine)`")
        } else {
            facts.append("**Found in:** " + (e.firstPath == ProvenanceText.stdin ? "standard input, line \(e.firstLine)" : "`\(e.firstPath):\(e.firstLine)`") + " (not in git history)")
        }
        if let link = e.firstLink { facts.append("**First occurrence:** <\(link)>") }
        for remote in e.remotes {
            var text = "**In \(remote.kind):** <\(remote.web ?? remote.url)>"
            let about = [remote.owner.map { "owner \($0)" }, remote.visibility.map(Visibility.shown)].compactMap { $0 }
            if !about.isEmpty { text += " (\(about.joined(separator: ", ")))" }
            facts.append(text)
        }
        if !e.committers.isEmpty {
            facts.append("**Committed by:** " + e.committers.map { c in
                c.first ? "\(c.author) (first commit\(c.since.map { ", \($0.prefix(10))" } ?? ""))"
                        : "\(c.author) (\(Plural.count(c.commits, "later commit")))"
            }.joined(separator: "; "))
        }
        let paths = "\(e.paths.count) path\(e.paths.count == 1 ? "" : "s") (\(e.paths.map { "`\($0)`" }.joined(separator: ", ")))"
        if e.inHistory { facts.append("**Seen in:** \(e.commits) commit\(e.commits == 1 ? "" : "s"), \(paths)") }
        else if e.paths.count > 1 { facts.append("**Seen in:** \(paths)") }
        if let tips = e.refTips {
            facts.append("**Ref tips still holding it:** " + (tips.isEmpty ? "none" : tips.map { "`\(shortRef($0))`" }.joined(separator: ", ")))
        } else if e.inHistory {
            facts.append("**Ref tips still holding it:** unknown (repository not available)")
        }
        // HEAD and refs mean nothing for text from standard input or disk.
        if e.inHistory { facts.append("**In HEAD:** \(e.inHead ? "yes" : "no")") }
        if let removed = e.removedBy {
            facts.append("**Removed from \(e.defaultBranch.map(shortRef) ?? "the default branch") by:** \(commit(removed))")
        } else if !e.inHead, e.refTips != nil {
            facts.append("**Removed from \(e.defaultBranch.map(shortRef) ?? "the default branch") by:** never on it")
        }
        if let v = row.verification {
            var text = "**Verification:** \(verificationSummary(v))"
            if v.verdict == .live {
                text += " — account \(v.account ?? "?"), user id \(v.userID ?? "?"), \(v.principalType ?? "?")"
                if let name = v.principalName { text += " `\(name)`" }
                if let session = v.sessionName { text += ", session `\(session)`" }
            }
            facts.append(text)
        }
        if let radius = row.blastRadius { facts += blastRadiusFacts(radius) }
        if let lines = row.replacementLines { facts.append("**In `\(Purge.fileName)`:** \(Purge.lineText(lines))") }
        out += facts.map { "- \(shown($0))\n" }.joined()
        if let shared {
            out += "\nSteps: see **Steps: \(shown(shared.provider))** below (the same for rows " + shared.rows.map { "#\($0)" }.joined(separator: ", ") + ")"
                + (shared.namesID ? ", with `ID` this row's finding id `\(row.finding)`" : "") + ".\n"
            return out
        }
        out += "\nSteps:\n\n" + steps(row.steps)
        return out
    }

    static func steps(_ steps: [RemediationPlan.Step]) -> String {
        var out = ""
        for (index, step) in steps.enumerated() {
            var line = "\(index + 1). **\(step.title)**"
            if let detail = step.detail { line += " — \(detail)" }
            out += shown(line) + "\n"
            if !step.commands.isEmpty {
                out += "\n   ```sh\n" + step.commands.map { "   \(shown($0))\n" }.joined() + "   ```\n\n"
            }
        }
        return out
    }
}
