import Foundation
import Testing
@testable import KeySweep

/// The HTML report opened in a real browser: Debian's Chromium, headless (installed by
/// `scripts/install-deps.sh --test`). The DOM it builds is read back (`--dump-dom`), the
/// filters driven through the URL fragment the page reads, console messages (script errors,
/// blocked requests) read from its log, and a screenshot kept as a test artefact.
@Suite(.serialized) struct HTMLReportTests {
    /// A repository whose file name holds markup and author name quotes and an ampersand, next to the fixed one's secrets.
    static func hostileRepository() throws -> GitRepo {
        let repo = try ReportFixture.repository()
        repo.authorName = "Mallory \"quoted\" & co"
        try repo.commit("markup", ["<script>alert(1)<\\/script>.env": "SLACK_BOT_TOKEN=\(PlanTriageTests.slack)\n"])
        return repo
    }

    struct Browser {
        static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let profile = TempDirectory("keysweep-chromium")

        /// Runs headless Chromium on `url`; returns its stdout and its log (stderr).
        func run(_ arguments: [String], _ url: String) throws -> ProcessResult {
            guard let path = Self.path else {
                throw TestFailure("chromium is not installed: run scripts/install-deps.sh --test")
            }
            return try Run.process(path, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                          "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                                          "--virtual-time-budget=2000"] + arguments + [url])
        }

        func dom(_ url: String) throws -> (dom: String, log: String) {
            let result = try run(["--dump-dom"], url)
            return (result.stdout, result.stderr)
        }
    }

    /// `<tr class="finding" …>` rows of a dumped DOM: (id, hidden).
    static func rows(_ dom: String) -> [(id: String, hidden: Bool)] {
        let regex = try! NSRegularExpression(pattern: #"<tr class="finding" id="f-([0-9a-f]{16})"[^>]*>"#)
        return regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)).map { match in
            let tag = String(dom[Range(match.range, in: dom)!])
            return (String(dom[Range(match.range(at: 1), in: dom)!]), tag.contains(" hidden"))
        }
    }

    /// Console messages Chromium logged: script errors, blocked loads (CSP), anything.
    static func console(_ log: String) -> [String] {
        log.split(separator: "\n").map(String.init).filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
    }

    /// The credentials of a JSON report: the id of each finding no other finding's pairing names
    /// as a part, with the ids of its parts (`findings[].pairing.parts` names findings by id).
    static func credentials(_ json: Data) throws -> [String: Set<String>] {
        struct Pairing: Decodable { var parts: [String: String] }
        struct Finding: Decodable { var id: String; var pairing: Pairing? }
        struct Report: Decodable { var findings: [Finding] }
        let findings = try JSONDecoder().decode(Report.self, from: json).findings
        let parts = Set(findings.flatMap { $0.pairing?.parts.values.map { $0 } ?? [] })
        return Dictionary(findings.filter { !parts.contains($0.id) }.map { ($0.id, Set($0.pairing?.parts.values.map { $0 } ?? [])) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// What `measure` finds in the page as Chromium lays it out at one window width.
    struct Layout: Decodable {
        struct Row: Decodable {
            var id: String
            /// The row's own finding id and those of its other findings (`id="f-…"` in it).
            var ids: [String]
            var height: Double
            /// The `tr.timeline` under it, its `<details>` folded.
            var timeline: Double
            /// `code` elements (finding ids, key ids, secrets) whose text takes more than one line.
            var wrapped: [String]
            var badges: String
            var verdict: String
            /// Characters of its `.reason` (why unverified).
            var reason: Int
        }
        var lineHeight: Double
        var clientWidth: Double
        var scrollWidth: Double
        var details: Int
        var open: Int
        var rows: [Row]
    }

    /// Added to a copy of the page (its hash added to the policy's `script-src`): writes the
    /// figures into `<pre id="measure">` as JSON, which `--dump-dom` then gives back.
    static let measure = """
    (function(){
    var lh=parseFloat(getComputedStyle(document.body).lineHeight);
    function lines(el){var r=document.createRange();r.selectNodeContents(el);var rs=r.getClientRects(),tops=[];
      for(var i=0;i<rs.length;i++){if(rs[i].width<=0)continue;var seen=false;
        for(var j=0;j<tops.length;j++){if(Math.abs(tops[j]-rs[i].top)<lh/2)seen=true;}if(!seen)tops.push(rs[i].top);}
      return tops.length;}
    var rows=document.querySelectorAll("tr.finding"),out=[];
    for(var i=0;i<rows.length;i++){
      var row=rows[i],codes=row.querySelectorAll("code"),wrapped=[],ids=[row.id.slice(2)],named=row.querySelectorAll("[id^='f-']"),badges=[];
      for(var k=0;k<codes.length;k++){if(lines(codes[k])>1)wrapped.push(codes[k].textContent.slice(0,24));}
      for(k=0;k<named.length;k++){ids.push(named[k].id.slice(2));}
      var b=row.querySelectorAll(".badge");for(k=0;k<b.length;k++){badges.push(b[k].className);}
      var reason=row.querySelector(".reason"),next=row.nextElementSibling;
      out.push({id:row.id.slice(2),ids:ids,height:row.getBoundingClientRect().height,
        timeline:next&&next.classList.contains("timeline")?next.getBoundingClientRect().height:0,
        wrapped:wrapped,badges:badges.join(" "),verdict:row.getAttribute("data-verdict")||"",reason:reason?reason.textContent.trim().length:0});
    }
    var pre=document.createElement("pre");pre.id="measure";
    pre.textContent=JSON.stringify({lineHeight:lh,clientWidth:document.documentElement.clientWidth,scrollWidth:document.documentElement.scrollWidth,
      details:document.querySelectorAll("tr.timeline details").length,open:document.querySelectorAll("details[open]").length,rows:out});
    document.body.appendChild(pre);
    })();
    """

    /// The page at `page` laid out by Chromium in a window `width` pixels wide, measured.
    static func layout(_ page: String, width: Int, _ browser: Browser) throws -> Layout {
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let policy = "script-src '"
        guard html.contains(policy), html.contains("</body>") else { throw TestFailure("no script-src or body in \(page)") }
        let measured = html.replacingOccurrences(of: policy, with: "script-src '\(HTMLReport.hash(measure))' '")
            .replacingOccurrences(of: "</body>", with: "<script>\(measure)</script>\n</body>")
        let copy = page + ".measure-\(width).html"
        try measured.write(toFile: copy, atomically: true, encoding: .utf8)
        let result = try browser.run(["--dump-dom", "--window-size=\(width),900"], URL(fileURLWithPath: copy).absoluteString)
        #expect(Self.console(result.stderr).isEmpty, "console: \(Self.console(result.stderr))")
        guard let start = result.stdout.range(of: "<pre id=\"measure\">"),
              let end = result.stdout.range(of: "</pre>", range: start.upperBound..<result.stdout.endIndex) else {
            throw TestFailure("the measuring script wrote nothing: \(result.stderr.suffix(2000))")
        }
        let text = String(result.stdout[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        return try JSONDecoder().decode(Layout.self, from: Data(text.utf8))
    }

    /// The page as Chromium lays it out in a window 1000 and 1400 pixels wide, secrets redacted
    /// and shown: one row per credential (an AWS key id with its secret and session token), with
    /// its badges (live, blast radius, canary) and a reason beside every "unverified"; no id,
    /// key id or secret broken over lines; no row taller than three lines, its timeline folded
    /// under it in one line; nothing wider than the window.
    @Test func oneRowPerCredentialFitsTheWindow() throws {
        let repo = try ReportFixture.repository()
        try repo.commit("decoy", ["decoy/credentials": Secrets.credentials(Secrets.keyID2, Self.decoySecret)])
        let server = try FakeGitHub()
        try server.setRoutes(["/user": ["tokens": [Secrets.githubToken: [
            "headers": [["X-OAuth-Scopes", "repo, delete_repo, workflow"]], "object": ["login": "octocat", "type": "User", "site_admin": false],
        ]]]])
        // STS: the first key pair is live, the temporary one has expired.
        let sts = try CannedSTS { keyID in
            switch keyID {
            case Secrets.keyID: return CannedSTS.ok(arn: "arn:aws:iam::619888638459:user/deploy", account: "619888638459", userID: "AIDADEPLOYUSERID")
            case Secrets.temporaryKeyID: return CannedSTS.error(403, code: "ExpiredToken", message: "The security token included in the request is expired")
            default: return CannedSTS.error(403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid.")
            }
        }
        defer { sts.stop() }
        let verify = ["--verify", "--verify-timeout", "5", "--github-api-url", server.api, "--sts-endpoint", sts.url]
        let out = TempDirectory("keysweep-html-layout")
        let json = try Keysweep.run(["scan", repo.path, "--format", "json"] + verify)
        let credentials = try Self.credentials(json.stdoutData)
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let github = try #require(report.finding(secret: Secrets.githubToken)?.id)
        let canary = try #require(report.finding(secret: Secrets.keyID2)?.id)
        let session = try #require(report.finding(secret: Secrets.temporaryKeyID)?.id)
        let live = try #require(report.finding(secret: Secrets.keyID)?.id)
        #expect(credentials.count == 5 && credentials[session]?.count == 2, "\(credentials)")

        let browser = Browser()
        for shown in [false, true] {
            let page = out.file(shown ? "shown.html" : "redacted.html")
            let scan = try Keysweep.run(["scan", repo.path, "--format", "html", "-o", page] + verify + (shown ? ["--show-secrets"] : []))
            #expect(scan.status == 1, "\(scan.stderr)")
            for width in [1000, 1400] {
                let layout = try Self.layout(page, width: width, browser)
                let at = "\(width) px\(shown ? ", secrets shown" : "")"
                #expect(layout.rows.count == credentials.count, "\(at): \(layout.rows.count) rows for \(credentials.count) credentials")
                #expect(Set(layout.rows.map(\.id)) == Set(credentials.keys), "\(at)")
                #expect(layout.scrollWidth <= layout.clientWidth, "\(at): the page is \(layout.scrollWidth) px wide")
                #expect(layout.details == layout.rows.count && layout.open == 0, "\(at): timelines folded")
                for row in layout.rows {
                    #expect(credentials[row.id].map { $0.isSubset(of: Set(row.ids)) } ?? false, "\(at): \(row.id) lacks its parts: \(row.ids)")
                    #expect(row.wrapped.isEmpty, "\(at): \(row.id) wraps \(row.wrapped)")
                    #expect(row.height <= 3 * layout.lineHeight + 14, "\(at): \(row.id) is \(row.height) px tall")
                    #expect(row.timeline <= layout.lineHeight + 8, "\(at): \(row.id)'s folded timeline is \(row.timeline) px tall")
                    if row.verdict == "unverified" { #expect(row.reason > 0, "\(at): \(row.id) unverified without a reason") }
                }
                let byID = Dictionary(layout.rows.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                #expect(byID[github]?.verdict == "live")
                #expect(byID[github]?.badges.contains("live") == true, "\(at): \(byID[github]?.badges ?? "no row")")
                #expect(byID[github]?.badges.contains("danger-critical") == true, "\(at): \(byID[github]?.badges ?? "no row")")
                #expect(byID[canary]?.badges.contains("canary") == true, "\(at): \(byID[canary]?.badges ?? "no row")")
                #expect(byID[session]?.badges.contains("canary") == false)
                #expect(byID[session]?.verdict == "revoked")
                #expect(byID[live]?.verdict == "live")
            }
            // The README's picture: this page, redacted, in a window 1000 pixels wide.
            if !shown {
                let shot = try Self.screenshot(browser, page: page)
                let png = try Data(contentsOf: URL(fileURLWithPath: shot))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                #expect(png.count > 10_000)
            }
        }
    }

    /// A made-up secret for the canary key id.
    static let decoySecret = "hB7qPz2Lk9vXw4RtY6uNm3Cs8Df1Gj5Ha0Ke7WpQ"

    @Test func reportInChromium() throws {
        let repo = try Self.hostileRepository()
        let out = TempDirectory("keysweep-html")
        let page = out.file("report.html")
        let scan = try Keysweep.run(["scan", repo.path, "--format", "html", "-o", page])
        #expect(scan.status == 1, "\(scan.stderr)")
        let (json, report) = try Keysweep.scanJSON([repo.path])
        let credentials = try Self.credentials(json.stdoutData)
        let html = try String(contentsOfFile: page, encoding: .utf8)

        // Self-contained: the policy forbids every request; nothing loads from anywhere, the
        // only http(s) URLs are links (permalinks) a person may follow.
        #expect(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';"))
        let loads = try NSRegularExpression(pattern: #"\b(src|href|action|srcset)\s*=\s*["']?\s*(https?:|//)"#, options: .caseInsensitive)
        let anchors = try NSRegularExpression(pattern: #"<a href="https://"#)
        let range = NSRange(html.startIndex..., in: html)
        #expect(loads.numberOfMatches(in: html, range: range) == anchors.numberOfMatches(in: html, range: range))
        #expect(!html.contains("@import") && !html.contains("url("))
        // Redacted by default.
        for secret in [Secrets.secretKey, Secrets.githubToken, PlanTriageTests.slack, ReportFixture.sessionToken] {
            #expect(!html.contains(secret), "\(secret.prefix(8)) in the page")
        }

        let browser = Browser()
        let url = URL(fileURLWithPath: page).absoluteString
        let (dom, log) = try browser.dom(url)
        #expect(Self.console(log).isEmpty, "console: \(Self.console(log))")
        #expect(dom.contains("data-ready=\"1\""), "the page's script ran to its end")
        // One row per credential: an AWS key id with its secret (and session token), not a row each.
        let rows = Self.rows(dom)
        #expect(rows.count == credentials.count)
        #expect(Set(rows.map(\.id)) == Set(credentials.keys))
        #expect(rows.allSatisfy { !$0.hidden })
        #expect(dom.contains("\(rows.count) of \(rows.count) shown"))
        // Markup from the repository is text: one script element (the page's), no injected image.
        #expect(dom.components(separatedBy: "<script").count == 2)
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;\\/script&gt;.env"))
        #expect(dom.contains("Mallory \"quoted\" &amp; co"))
        #expect(!dom.contains("<img"))
        // One SVG timeline per credential in history, with its first commit.
        #expect(dom.components(separatedBy: "<svg class=\"exposure\"").count - 1 == rows.count)
        #expect(dom.contains("removed from HEAD"))

        // Filters, driven by the fragment the page reads.
        let github = try browser.dom(url + "#provider=GitHub")
        let githubIDs = Set(report.findings.filter { $0.rule.hasPrefix("github-") }.map(\.id))
        #expect(Self.console(github.log).isEmpty)
        #expect(Set(Self.rows(github.dom).filter { !$0.hidden }.map(\.id)) == githubIDs)
        #expect(github.dom.contains("\(githubIDs.count) of \(rows.count) shown"))
        let notInHead = try browser.dom(url + "#head=no&confidence=high")
        let expected = Set(report.findings.filter { !$0.in_head && $0.confidence == "high" }.map(\.id)).intersection(credentials.keys)
        #expect(!expected.isEmpty)
        #expect(Set(Self.rows(notInHead.dom).filter { !$0.hidden }.map(\.id)) == expected)
        let none = try browser.dom(url + "#verdict=live")
        #expect(Self.rows(none.dom).allSatisfy { $0.hidden }, "nothing verified live without --verify")
    }

    /// A canary is marked on its own row, not only in the summary, and every "unverified" says
    /// why beside it, in the page as Chromium builds it.
    @Test func canariesAndUnverifiedReasonsAreOnTheirRows() throws {
        let repo = try GitRepo()
        try repo.commit("keys", ["decoy/credentials": FakeAWS.credentials(Secrets.keyID2, Secrets.secretKey2),
                                 "ci.env": "GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        let out = TempDirectory("keysweep-html-rows")
        let page = out.file("report.html")
        #expect(try Keysweep.run(["scan", repo.path, "--format", "html", "-o", page]).status == 1)
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let (dom, log) = try Browser().dom(URL(fileURLWithPath: page).absoluteString)
        #expect(Self.console(log).isEmpty, "console: \(Self.console(log))")
        func row(_ secret: String) throws -> String {
            let id = try #require(report.finding(secret: secret)?.id)
            let start = try #require(dom.range(of: "<tr class=\"finding\" id=\"f-\(id)\""))
            let end = try #require(dom.range(of: "</tr>", range: start.upperBound..<dom.endIndex))
            return String(dom[start.lowerBound..<end.upperBound])
        }
        let canary = try row(Secrets.keyID2)
        #expect(canary.contains("CANARY (honeytoken: do not use)"), "\(canary)")
        #expect(!(try row(Secrets.githubToken)).contains("CANARY"))
        #expect((try row(Secrets.githubToken)).contains("add --verify to ask GitHub"))
        #expect(canary.contains("never verified: a call would alert its owner"))
    }

    /// The README's picture of `page`, written by Chromium in a window 1000 pixels wide: kept
    /// as a test artefact; KEYSWEEP_UPDATE_SCREENSHOT=1 also refreshes docs/html-report.png.
    static func screenshot(_ browser: Browser, page: String) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let artefacts = root.appendingPathComponent(".build/test-artifacts").path
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        let copy = artefacts + "/html-report.html"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: page, toPath: copy)
        let shot = artefacts + "/html-report.png"
        try? FileManager.default.removeItem(atPath: shot)
        let result = try browser.run(["--screenshot=\(shot)", "--window-size=1000,700", "--hide-scrollbars", "--run-all-compositor-stages-before-draw"], URL(fileURLWithPath: copy).absoluteString)
        guard FileManager.default.fileExists(atPath: shot) else { throw TestFailure("no screenshot: \(result.stderr)") }
        if ProcessInfo.processInfo.environment["KEYSWEEP_UPDATE_SCREENSHOT"] == "1" {
            let docs = root.appendingPathComponent("docs/html-report.png").path
            try? FileManager.default.removeItem(atPath: docs)
            try FileManager.default.copyItem(atPath: shot, toPath: docs)
        }
        return shot
    }

    /// --show-secrets puts them in the page (escaped), and says so.
    @Test func showSecretsInThePage() throws {
        let repo = try GitRepo()
        try repo.commit("token", ["t": "GITHUB_TOKEN=\(Secrets.githubToken)\n"])
        let page = try Keysweep.run(["scan", repo.path, "--format", "html", "--show-secrets"]).stdout
        #expect(page.contains(Secrets.githubToken))
        #expect(page.contains("secrets shown in full"))
        let redacted = try Keysweep.run(["scan", repo.path, "--format", "html"]).stdout
        #expect(!redacted.contains(Secrets.githubToken))
        #expect(redacted.contains("ghp_…m1IL"))
    }
}
