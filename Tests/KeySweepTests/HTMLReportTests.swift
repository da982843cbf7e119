import Foundation
import Testing

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

    @Test func reportInChromium() throws {
        let repo = try Self.hostileRepository()
        let out = TempDirectory("keysweep-html")
        let page = out.file("report.html")
        let scan = try Keysweep.run(["scan", repo.path, "--format", "html", "-o", page])
        #expect(scan.status == 1, "\(scan.stderr)")
        let (_, report) = try Keysweep.scanJSON([repo.path])
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
        let rows = Self.rows(dom)
        #expect(rows.count == report.findings.count)
        #expect(Set(rows.map(\.id)) == Set(report.findings.map(\.id)))
        #expect(rows.allSatisfy { !$0.hidden })
        #expect(dom.contains("\(rows.count) of \(rows.count) shown"))
        // Markup from the repository is text: one script element (the page's), no injected image.
        #expect(dom.components(separatedBy: "<script").count == 2)
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;\\/script&gt;.env"))
        #expect(dom.contains("Mallory \"quoted\" &amp; co"))
        #expect(!dom.contains("<img"))
        // One SVG timeline per finding in history, with its first commit.
        #expect(dom.components(separatedBy: "<svg class=\"exposure\"").count - 1 == rows.count)
        #expect(dom.contains("removed from HEAD"))

        // Filters, driven by the fragment the page reads.
        let github = try browser.dom(url + "#provider=GitHub")
        let githubIDs = Set(report.findings.filter { $0.rule.hasPrefix("github-") }.map(\.id))
        #expect(Self.console(github.log).isEmpty)
        #expect(Set(Self.rows(github.dom).filter { !$0.hidden }.map(\.id)) == githubIDs)
        #expect(github.dom.contains("\(githubIDs.count) of \(rows.count) shown"))
        let notInHead = try browser.dom(url + "#head=no&confidence=high")
        let expected = Set(report.findings.filter { !$0.in_head && $0.confidence == "high" }.map(\.id))
        #expect(!expected.isEmpty)
        #expect(Set(Self.rows(notInHead.dom).filter { !$0.hidden }.map(\.id)) == expected)
        let none = try browser.dom(url + "#verdict=live")
        #expect(Self.rows(none.dom).allSatisfy { $0.hidden }, "nothing verified live without --verify")

        // The screenshot: kept as an artefact; KEYSWEEP_UPDATE_SCREENSHOT=1 also refreshes docs/.
        let shot = try Self.screenshot(browser, repo: repo)
        let png = try Data(contentsOf: URL(fileURLWithPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 10_000)
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

    /// The README's picture: the fixed repository (no markup), written by Chromium.
    static func screenshot(_ browser: Browser, repo: GitRepo) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let artefacts = root.appendingPathComponent(".build/test-artifacts").path
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        let clean = try ReportFixture.repository()
        let page = artefacts + "/html-report.html"
        _ = try Keysweep.run(["scan", clean.path, "--format", "html", "-o", page])
        let shot = artefacts + "/html-report.png"
        try? FileManager.default.removeItem(atPath: shot)
        let result = try browser.run(["--screenshot=\(shot)", "--window-size=1400,1000", "--hide-scrollbars", "--run-all-compositor-stages-before-draw"], URL(fileURLWithPath: page).absoluteString)
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
