import Crypto
import Foundation

/// The HTML report (`--format html`): one self-contained page to open and share. A summary,
/// a table of findings with filters (provider, confidence, verdict, in HEAD; also read from the
/// URL fragment, `#provider=GitHub&head=yes`), and per finding an SVG timeline of its exposure.
/// No network: nothing external is loaded, and a Content-Security-Policy of `default-src
/// 'none'` (the page's own style and script allowed by their hashes) forbids any request.
/// Every value from the scan is escaped; secrets are redacted unless `--show-secrets`.
public struct HTMLReport {
    let options: ReportOptions
    var now = Date()

    public init(options: ReportOptions) { self.options = options }

    public func render(_ result: ScanResult) -> String {
        let summary = ReportSummary(result)
        let verified = result.findings.contains { $0.verification != nil }
        let rows = result.findings.enumerated().map { row($1, index: $0 + 1, verified: verified) }
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
        <thead><tr><th>#</th><th>Provider</th><th>Rule</th><th>Secret</th><th>Confidence</th><th>Verdict</th><th>Account</th><th>In HEAD</th><th>First seen</th><th>Where</th><th>Id</th></tr></thead>
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

    private func row(_ finding: Finding, index: Int, verified: Bool) -> Row {
        let e = Self.escape
        let provider = ProviderPlaybooks.provider(rule: finding.rule.id, declared: finding.rule.provider)
        let state = finding.verification?.state ?? "unverified"
        let facts = ProviderModules.facts(of: finding)
        let first = finding.first
        var place = e(first.path) + ":\(first.line)"
        if let link = first.permalink, link.hasPrefix("https://") {
            place = "<a href=\"\(e(link))\" rel=\"noreferrer noopener\">\(place)</a>"
        }
        var verdict = e(state)
        if state == "unverified" { verdict += "<br><small>\(e(ProviderModules.unverifiedReason(finding, verified: verified)))</small>" }
        if let v = finding.verification {
            if let principal = v.arn ?? v.principalName { verdict += "<br><code>\(e(principal))</code>" }
            if let at = v.checkedAt { verdict += "<br><small>checked \(e(at))</small>" }
        }
        if let radius = finding.blastRadius {
            verdict += "<br><strong class=\"danger-\(radius.danger.rawValue)\">\(e(radius.danger.rawValue))</strong>: \(e(radius.summary))"
        }
        let firstSeen = first.commit.map { "\(e(String($0.date.prefix(10))))<br><small>\(e($0.author))</small>" } ?? "—"
        var html = "<tr class=\"finding\" id=\"f-\(e(finding.id))\" data-provider=\"\(e(provider))\" data-confidence=\"\(finding.confidence.rawValue)\" data-verdict=\"\(e(state))\" data-head=\"\(finding.inHead ? "yes" : "no")\">"
        html += "<td>\(index)</td><td>\(e(provider))</td><td>\(e(finding.rule.id))</td>"
        // A canary is marked on its own row: an HTML-only reader must not try it.
        let badge = facts.warning.map { "<br><strong class=\"badge warning\">\(e($0))</strong>" } ?? ""
        html += "<td class=\"secret\"><code>\(e(options.htmlSecrets.show(finding)))</code>\(badge)</td>"
        html += "<td class=\"c-\(finding.confidence.rawValue)\">\(finding.confidence.rawValue)</td>"
        html += "<td class=\"v-\(e(state))\">\(verdict)</td>"
        html += "<td>\(e(facts.account ?? "—"))</td>"
        html += "<td>\(finding.inHead ? "<strong>yes</strong>" : "no")</td>"
        html += "<td>\(firstSeen)</td><td>\(place)</td><td><code>\(e(finding.id))</code></td></tr>\n"
        html += "<tr class=\"timeline\" data-for=\"f-\(e(finding.id))\"><td colspan=\"11\">\(timeline(finding))</td></tr>\n"
        return Row(provider: provider, html: html)
    }

    /// The exposure of one finding as an SVG line from its first commit to today: a dot per
    /// commit that brought it somewhere, a mark where the default branch dropped it.
    func timeline(_ finding: Finding) -> String {
        let e = Self.escape
        let commits = Dictionary(finding.occurrences.compactMap(\.commit).filter { $0.time > 0 }.map { ($0.id, $0) },
                                 uniquingKeysWith: { a, _ in a }).values.sorted { $0.time < $1.time }
        guard let start = commits.first?.time else {
            return "<p class=\"note\">Not in git history: found in \(e(finding.first.path)).</p>"
        }
        let removed = finding.inHead ? nil : finding.refs.compactMap(\.removedBy).filter { $0.time > 0 }.max { $0.time < $1.time }
        let today = Int64(now.timeIntervalSince1970)
        let end = max(today, start + 1)
        let width = 900.0, left = 20.0, right = 880.0
        func x(_ time: Int64) -> Double { left + (right - left) * Double(time - start) / Double(end - start) }
        let exposedUntil = removed?.time ?? today
        var svg = "<svg class=\"exposure\" role=\"img\" viewBox=\"0 0 \(Int(width)) 58\" width=\"\(Int(width))\" height=\"58\" aria-label=\"exposure timeline\">"
        svg += "<line x1=\"\(left)\" y1=\"24\" x2=\"\(right)\" y2=\"24\" class=\"axis\"/>"
        svg += "<line x1=\"\(x(start))\" y1=\"24\" x2=\"\(x(exposedUntil))\" y2=\"24\" class=\"\(finding.inHead ? "exposed" : "history")\"/>"
        for (position, commit) in commits.enumerated() {
            let label = position == 0 ? "first commit" : "later occurrence"
            svg += "<circle cx=\"\(x(commit.time))\" cy=\"24\" r=\"\(position == 0 ? 7 : 5)\" class=\"\(position == 0 ? "first" : "later")\"><title>\(label): \(e(String(commit.id.prefix(12)))) \(e(commit.date)) \(e(commit.author))</title></circle>"
        }
        if let removed {
            svg += "<rect x=\"\(x(removed.time) - 5)\" y=\"17\" width=\"10\" height=\"14\" class=\"removed\"><title>removed from HEAD: \(e(String(removed.id.prefix(12)))) \(e(removed.date))</title></rect>"
        }
        svg += "<line x1=\"\(x(today))\" y1=\"12\" x2=\"\(x(today))\" y2=\"36\" class=\"today\"><title>today</title></line>"
        svg += "<text x=\"\(left)\" y=\"52\" class=\"label\">\(e(String(commits[0].date.prefix(10)))) first commit</text>"
        svg += "<text x=\"\(right)\" y=\"52\" class=\"label end\">today: \(finding.inHead ? "still in HEAD" : removed != nil ? "removed from HEAD" : "history only"), \(Plural.count(commits.count, "commit"))</text>"
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
    table{border-collapse:collapse;width:100%}
    th,td{border-bottom:1px solid #d0d7de;padding:4px 6px;text-align:left;vertical-align:top}
    th{background:#f6f8fa}
    code{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}
    .c-high{color:#cf222e;font-weight:600}.c-medium{color:#9a6700}.c-low{color:#57606a}
    .v-live{color:#fff;background:#cf222e;font-weight:600}.v-revoked{color:#1a7f37}.v-invalid{color:#9a6700}
    tr.timeline td{border-bottom:2px solid #d0d7de;padding:0 6px 6px}
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
