import Crypto
import Foundation

/// The HTML report (`--format html`): one self-contained page to open and share. A summary,
/// a table with one row per credential (an AWS key id with its secret and session token; a
/// token alone) with filters (provider, confidence, verdict, in HEAD; also read from the URL
/// fragment, `#provider=GitHub&head=yes`), and per credential, folded under its row, an SVG
/// timeline of its exposure and the places it was seen.
/// No network: nothing external is loaded, and a Content-Security-Policy of `default-src
/// 'none'` (the page's own style and script allowed by their hashes) forbids any request.
/// Every value from the scan is escaped; secrets are redacted unless `--show-secrets`.
///
/// The table keeps to the window (fixed layout, set widths): ids, key ids and secrets are
/// monospace on one line each, cut with an ellipsis when too long (the whole value in their
/// `title` and, with `--show-secrets`, in the folded details); a row is at most three lines.
public struct HTMLReport {
    let options: ReportOptions
    var now = Date()

    public init(options: ReportOptions) { self.options = options }

    public func render(_ result: ScanResult) -> String {
        let summary = ReportSummary(result)
        let verified = result.findings.contains { $0.verification != nil }
        var anchored = Set<String>()
        let rows = Credential.all(in: result.findings).enumerated().map { row($1, index: $0 + 1, verified: verified, anchored: &anchored) }
        let providers = Array(Set(rows.map(\.provider))).sorted()
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src '\(Self.hash(Self.style))'; script-src '\(Self.hash(Self.script))'; img-src data:">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>keysweep report</title>
        <style>\(Self.style)</style>
        </head>
        <body>
        <header>
        <h1>keysweep report</h1>
        <p class="headline" id="headline">\(Self.escape(summary.headline))</p>
        <p class="stats">\(Self.escape(summary.stats))</p>
        <p class="stats">Targets: \(result.targets.map { "<code>\(Self.escape($0))</code>" }.joined(separator: ", ")) · keysweep \(Self.escape(options.toolVersion)) · \(Self.escape(VerificationClock.iso8601(now)))\(options.htmlSecrets == .full ? " · <strong>secrets shown in full: do not share this file</strong>" : " · secrets redacted")</p>
        </header>

        """
        out += "<div id=\"filters\" class=\"filters\">\n"
        out += Self.select("provider", "Provider", providers)
        out += Self.select("confidence", "Confidence", ["high", "medium", "low"])
        out += Self.select("verdict", "Verdict", ["live", "revoked", "invalid", "unverified"])
        out += Self.select("head", "In HEAD", ["yes", "no"])
        out += "<span id=\"shown\">\(rows.count) of \(rows.count) shown</span>\n</div>\n"
        out += """
        <table id="findings">
        <colgroup><col class="w-n"><col class="w-provider"><col class="w-credential"><col class="w-account"><col class="w-verdict"><col><col class="w-id"></colgroup>
        <thead><tr><th>#</th><th>Provider</th><th>Credential</th><th>Account</th><th>Verdict</th><th>First seen</th><th>Id</th></tr></thead>
        <tbody>

        """
        for row in rows { out += row.html }
        out += "</tbody>\n</table>\n"
        if rows.isEmpty { out += "<p class=\"empty\">No secrets found.</p>\n" }
        out += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    struct Row {
        var provider: String
        var html: String
    }

    /// Columns of the table, for the folded row's `colspan`.
    static let columns = 7

    /// One line of a cell that never wraps: cut with an ellipsis, whole in its `title`.
    private static func line(_ html: String, title: String, class names: String = "") -> String {
        "<div class=\"line\(names.isEmpty ? "" : " " + names)\" title=\"\(escape(title))\">\(html)</div>"
    }

    /// `anchored`: the finding ids with an element of that id (`f-…`) so far; a secret paired
    /// with two key ids is on both rows, its anchor on the first.
    private func row(_ credential: Credential, index: Int, verified: Bool, anchored: inout Set<String>) -> Row {
        let e = Self.escape
        let finding = credential.id
        let findings = credential.findings
        let provider = ProviderPlaybooks.provider(of: finding.rule)
        let state = finding.verification?.state ?? "unverified"
        let facts = ProviderModules.facts(of: finding)
        let confidence = findings.map(\.confidence).max() ?? finding.confidence
        let inHead = findings.contains { $0.inHead }
        let roles = [finding.id: ""].merging(credential.parts.map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })

        var html = "<tr class=\"finding\" id=\"f-\(e(finding.id))\" data-provider=\"\(e(provider))\" data-confidence=\"\(confidence.rawValue)\" data-verdict=\"\(e(state))\" data-head=\"\(inHead ? "yes" : "no")\">"
        html += "<td>\(index)</td>"
        // Provider, the rule that named the credential, its confidence.
        html += "<td>" + Self.line(e(provider), title: provider)
            + Self.line(e(finding.rule.id), title: "rule \(finding.rule.id)", class: "small muted")
            + Self.line(confidence.rawValue, title: "confidence \(confidence.rawValue)", class: "small c-\(confidence.rawValue)") + "</td>"
        // The values: the id (or token), then each part by its role; one line each.
        html += "<td class=\"values\">"
        for part in findings {
            let shown = options.htmlSecrets.show(part)
            let role = roles[part.id] ?? ""
            html += Self.line((role.isEmpty ? "" : "<span class=\"role\">\(e(role))</span> ") + "<code>\(e(shown))</code>",
                              title: (role.isEmpty ? "" : role + ": ") + shown)
        }
        html += "</td>"
        html += "<td>" + (facts.account.map { Self.line("<code>\(e($0))</code>", title: $0) } ?? "—") + "</td>"
        html += "<td class=\"verdict v-\(e(state))\">\(verdict(finding, state: state, facts: facts, verified: verified))</td>"
        html += "<td>\(firstSeen(finding, inHead: inHead))</td>"
        // The finding ids, one a line beside the values they name (`keysweep ignore ID`).
        html += "<td class=\"ids\">"
        for (position, part) in findings.enumerated() {
            let anchor = position == 0 || !anchored.insert(part.id).inserted ? "" : " id=\"f-\(e(part.id))\""
            html += Self.line("<code\(anchor)>\(e(part.id))</code>", title: "finding id \(part.id)")
        }
        html += "</td></tr>\n"
        html += "<tr class=\"timeline\" data-for=\"f-\(e(finding.id))\"><td colspan=\"\(Self.columns)\">\(details(credential, facts: facts))</td></tr>\n"
        return Row(provider: provider, html: html)
    }

    /// A first line of badges (`LIVE`, the blast radius's danger, `CANARY`) or the verdict in
    /// words, then why it is unverified, or who it acts as and when that was checked.
    private func verdict(_ finding: Finding, state: String, facts: ProviderFacts, verified: Bool) -> String {
        let e = Self.escape
        var badges = state == "live" ? "<span class=\"badge live\" title=\"verified live: it works\">live</span>" : "<span class=\"word\">\(e(state))</span>"
        if let radius = finding.blastRadius {
            badges += " <span class=\"badge danger danger-\(radius.danger.rawValue)\" title=\"blast radius: \(e(radius.danger.rawValue)): \(e(radius.summary))\">\(e(radius.danger.rawValue))</span>"
        }
        // A canary is marked on its own row: an HTML-only reader must not try it.
        if let warning = facts.warning {
            let word = warning.components(separatedBy: " (").first ?? warning
            badges += " <span class=\"badge canary\" title=\"\(e(warning))\">\(e(word))</span>"
        }
        var html = "<div class=\"badges\">\(badges)</div>"
        if state == "unverified" {
            let reason = ProviderModules.unverifiedReason(finding, verified: verified)
            html += "<div class=\"reason small\" title=\"\(e(reason))\">\(e(reason))</div>"
        } else if let v = finding.verification {
            if let principal = v.arn ?? v.principalName { html += Self.line("<code>\(e(principal))</code>", title: principal) }
            if let why = v.why { html += Self.line(e(why), title: why, class: "small") }
            // `2026-12-07 12:07` of `2026-12-07T12:07:42Z`: the whole time in the title.
            if let at = v.checkedAt {
                html += Self.line("checked \(e(String(at.prefix(16)).replacingOccurrences(of: "T", with: " ")))", title: "checked \(at)", class: "small muted")
            }
        }
        return html
    }

    /// Where the credential first leaked (a link when it has a permalink), when and by whom,
    /// whether HEAD still holds it.
    private func firstSeen(_ finding: Finding, inHead: Bool) -> String {
        let e = Self.escape
        let first = finding.first
        let placeText = "\(first.path):\(first.line)"
        var place = e(placeText)
        if let link = first.permalink, link.hasPrefix("https://") {
            place = "<a href=\"\(e(link))\" rel=\"noreferrer noopener\">\(place)</a>"
        }
        var html = Self.line(place, title: placeText)
        if let commit = first.commit {
            let when = "\(commit.date.prefix(10)) · \(commit.author)"
            html += Self.line(e(when), title: "\(commit.id.prefix(12)) \(commit.date) \(commit.author)", class: "small")
        }
        let isGit = finding.occurrences.contains { $0.commit != nil }
        html += inHead ? Self.line("<strong class=\"head\">in HEAD</strong>", title: "HEAD (or the files on disk) still holds it", class: "small")
            : Self.line(isGit ? "not in HEAD" : "on disk", title: isGit ? "only in history" : "", class: "small muted")
        return html
    }

    /// Folded under the row: the exposure timeline, what the credential can do, the places and
    /// commits it was seen in, and with `--show-secrets` its values whole.
    private func details(_ credential: Credential, facts: ProviderFacts) -> String {
        let e = Self.escape
        let findings = credential.findings
        let roles = [credential.id.id: credential.id.rule.id].merging(credential.parts.map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let commits = Set(findings.flatMap { $0.occurrences.compactMap { $0.commit?.id } }).count
        let seen = findings.reduce(0) { $0 + $1.occurrences.count + $1.omittedOccurrences }
        var summary = "Timeline and places: "
        summary += commits > 0 ? Plural.count(commits, "commit") + ", " : ""
        summary += Plural.count(seen, "occurrence")
        var html = "<details><summary>\(e(summary))</summary>\n<div class=\"more\">"
        html += timeline(findings)
        if let warning = facts.warning { html += "<p><strong class=\"badge canary\">\(e(warning))</strong></p>" }
        if let radius = credential.id.blastRadius {
            let principal = radius.principal.flatMap { radius.summary.contains($0) ? nil : " (\(e($0)))" } ?? ""
            html += "<p>Can do: <strong class=\"badge danger danger-\(radius.danger.rawValue)\">\(e(radius.danger.rawValue))</strong> \(e(radius.summary))\(principal)</p>"
            if !radius.newIdentitiesSinceLeak.isEmpty {
                html += "<p>Since the leak: " + radius.newIdentitiesSinceLeak.map { "new \(e($0.type)) <code>\(e($0.name))</code>" }.joined(separator: ", ") + "</p>"
            }
        }
        if options.htmlSecrets == .full {
            html += "<dl class=\"full\">"
            for finding in findings { html += "<dt>\(e(roles[finding.id] ?? ""))</dt><dd><code>\(e(finding.secret))</code></dd>" }
            html += "</dl>"
        }
        html += "<ul class=\"places\">"
        for finding in findings {
            for occurrence in finding.occurrences.prefix(20) {
                var item = "<li>"
                if let commit = occurrence.commit {
                    item += "<code>\(e(String(commit.id.prefix(12))))</code> \(e(String(commit.date.prefix(10)))) \(e(commit.author)) · "
                }
                var place = e("\(occurrence.path):\(occurrence.line)")
                if let link = occurrence.permalink, link.hasPrefix("https://") {
                    place = "<a href=\"\(e(link))\" rel=\"noreferrer noopener\">\(place)</a>"
                }
                item += place + " <span class=\"muted\">(\(e(roles[finding.id] ?? finding.rule.id)))</span>"
                if occurrence.isWorkTree { item += " <span class=\"muted\">work tree</span>" }
                if occurrence.isUnreachable { item += " <span class=\"muted\">unreachable: no ref reaches it</span>" }
                html += item + "</li>"
            }
            let more = finding.occurrences.count + finding.omittedOccurrences - 20
            if more > 0 { html += "<li class=\"muted\">… and \(Plural.number(more)) more</li>" }
        }
        html += "</ul></div></details>"
        return html
    }

    /// The exposure of a credential (its findings) as an SVG line from its first commit to
    /// today: a dot per commit that brought it somewhere, a mark where the default branch
    /// dropped it.
    func timeline(_ findings: [Finding]) -> String {
        let e = Self.escape
        let commits = Dictionary(findings.flatMap(\.occurrences).compactMap(\.commit).filter { $0.time > 0 }.map { ($0.id, $0) },
                                 uniquingKeysWith: { a, _ in a }).values.sorted { $0.time < $1.time }
        guard let start = commits.first?.time else {
            return "<p class=\"note\">Not in git history: found in \(e(findings[0].first.path)).</p>"
        }
        let inHead = findings.contains { $0.inHead }
        let removed = inHead ? nil : findings.flatMap(\.refs).compactMap(\.removedBy).filter { $0.time > 0 }.max { $0.time < $1.time }
        let today = Int64(now.timeIntervalSince1970)
        let end = max(today, start + 1)
        let width = 900.0, left = 20.0, right = 880.0
        func x(_ time: Int64) -> Double { left + (right - left) * Double(time - start) / Double(end - start) }
        let exposedUntil = removed?.time ?? today
        var svg = "<svg class=\"exposure\" role=\"img\" viewBox=\"0 0 \(Int(width)) 58\" width=\"\(Int(width))\" height=\"58\" aria-label=\"exposure timeline\">"
        svg += "<line x1=\"\(left)\" y1=\"24\" x2=\"\(right)\" y2=\"24\" class=\"axis\"/>"
        svg += "<line x1=\"\(x(start))\" y1=\"24\" x2=\"\(x(exposedUntil))\" y2=\"24\" class=\"\(inHead ? "exposed" : "history")\"/>"
        for (position, commit) in commits.enumerated() {
            let label = position == 0 ? "first commit" : "later occurrence"
            svg += "<circle cx=\"\(x(commit.time))\" cy=\"24\" r=\"\(position == 0 ? 7 : 5)\" class=\"\(position == 0 ? "first" : "later")\"><title>\(label): \(e(String(commit.id.prefix(12)))) \(e(commit.date)) \(e(commit.author))</title></circle>"
        }
        if let removed {
            svg += "<rect x=\"\(x(removed.time) - 5)\" y=\"17\" width=\"10\" height=\"14\" class=\"removed\"><title>removed from HEAD: \(e(String(removed.id.prefix(12)))) \(e(removed.date))</title></rect>"
        }
        svg += "<line x1=\"\(x(today))\" y1=\"12\" x2=\"\(x(today))\" y2=\"36\" class=\"today\"><title>today</title></line>"
        svg += "<text x=\"\(left)\" y=\"52\" class=\"label\">\(e(String(commits[0].date.prefix(10)))) first commit</text>"
        svg += "<text x=\"\(right)\" y=\"52\" class=\"label end\">today: \(inHead ? "still in HEAD" : removed != nil ? "removed from HEAD" : "history only"), \(Plural.count(commits.count, "commit"))</text>"
        svg += "</svg>"
        return svg
    }

    private static func select(_ name: String, _ label: String, _ values: [String]) -> String {
        var out = "<label>\(label) <select id=\"filter-\(name)\" name=\"\(name)\"><option value=\"\">all</option>"
        for value in values { out += "<option value=\"\(escape(value))\">\(escape(value))</option>" }
        return out + "</select></label>\n"
    }

    /// `&`, `<`, `>`, quotes: text and attribute values alike. Control characters are shown
    /// as escapes (`TerminalText`), so nothing invisible hides in the page.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in TerminalText.escape(text) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A CSP source for inline content: `sha256-` and the base64 of its digest.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    static let style = """
    body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1b1f24;background:#fff}
    h1{font-size:1.4em;margin:0 0 .3em}
    .headline{font-size:1.25em;font-weight:600;margin:.2em 0}
    .stats{color:#57606a;margin:.2em 0}
    .filters{margin:1em 0;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
    table{border-collapse:collapse;width:100%;table-layout:fixed}
    col.w-n{width:34px}col.w-provider{width:128px}col.w-credential{width:186px}col.w-account{width:106px}col.w-verdict{width:190px}col.w-id{width:136px}
    th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top;overflow:hidden}
    th{background:#f6f8fa;white-space:nowrap;text-overflow:ellipsis}
    code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
    .line{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
    .small{font-size:12px}.muted{color:#57606a}
    .role{font-size:11px;color:#57606a}
    .reason{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;color:#57606a}
    .c-high{color:#cf222e;font-weight:600}.c-medium{color:#9a6700}.c-low{color:#57606a}
    .v-revoked .word{color:#1a7f37;font-weight:600}.v-invalid .word{color:#9a6700;font-weight:600}
    .head{color:#cf222e}
    .badge{display:inline-block;font-size:11px;font-weight:700;line-height:16px;padding:0 5px;border-radius:8px;text-transform:uppercase;vertical-align:1px}
    .badge.live{color:#fff;background:#cf222e}
    .badge.canary{color:#fff;background:#8250df}
    .danger-critical{color:#fff;background:#82071e}.danger-high{color:#fff;background:#bc4c00}.danger-limited{color:#1b1f24;background:#fff8c5}
    .danger-unknown{color:#57606a;background:#eaeef2}.danger-none{color:#1a7f37;background:#dafbe1}
    tr.finding td{border-bottom:none}
    tr.timeline td{border-bottom:2px solid #d0d7de;padding:0 6px 3px}
    details summary{cursor:pointer;font-size:12px;color:#57606a;line-height:16px}
    .more{padding:4px 0}.more p{margin:4px 0}
    .places{margin:4px 0;padding-left:1.2em;font-size:12px}
    dl.full{font-size:12px;margin:4px 0}dl.full dd{margin:0 0 4px 1em}dl.full code{word-break:break-all;white-space:pre-wrap}
    svg.exposure{max-width:100%;height:auto}
    svg.exposure .axis{stroke:#d0d7de;stroke-width:2}
    svg.exposure .exposed{stroke:#cf222e;stroke-width:6}
    svg.exposure .history{stroke:#bf8700;stroke-width:6}
    svg.exposure .first{fill:#cf222e}svg.exposure .later{fill:#fb8f44}
    svg.exposure .removed{fill:#1a7f37}svg.exposure .today{stroke:#1b1f24;stroke-width:2}
    svg.exposure .label{font-size:11px;fill:#57606a}svg.exposure .end{text-anchor:end}
    .note{color:#57606a;margin:2px 0}
    """

    /// Filters rows by the selects; the URL fragment (`#provider=GitHub&verdict=live`) sets
    /// them on load. `data-ready` on the body says the script ran to its end.
    static let script = """
    (function(){
    var names=["provider","confidence","verdict","head"];
    function apply(){
      var rows=document.querySelectorAll("tr.finding"),shown=0;
      for(var i=0;i<rows.length;i++){
        var r=rows[i],ok=true;
        for(var j=0;j<names.length;j++){var v=document.getElementById("filter-"+names[j]).value;if(v&&r.getAttribute("data-"+names[j])!==v){ok=false;}}
        r.hidden=!ok;var t=r.nextElementSibling;if(t&&t.classList.contains("timeline")){t.hidden=!ok;}
        if(ok){shown++;}
      }
      document.getElementById("shown").textContent=shown+" of "+rows.length+" shown";
    }
    function fromFragment(){
      var params=new URLSearchParams(location.hash.replace(/^#/,""));
      for(var j=0;j<names.length;j++){var s=document.getElementById("filter-"+names[j]),v=params.get(names[j]);
        if(v!==null){for(var k=0;k<s.options.length;k++){if(s.options[k].value===v){s.value=v;}}}}
      apply();
    }
    for(var j=0;j<names.length;j++){document.getElementById("filter-"+names[j]).addEventListener("change",apply);}
    window.addEventListener("hashchange",fromFragment);
    fromFragment();
    document.body.setAttribute("data-ready","1");
    })();
    """
}
