import Foundation
import Testing

/// gitleaks global `[[allowlists]]` with `targetRules` and `condition = "AND"`.
@Suite struct GitleaksAllowlistTests {
    @Test func globalAllowlistsWithTargetRulesAndCondition() throws {
        let repo = try GitRepo()
        try repo.commit("tokens", [
            "docs/a.md": "internal_token = itk_zz9k3j5h7g9f1d2s4a6xqwer\n",   // docs/ and the stopword: allowed
            "docs/b.md": "internal_token = itk_q8w7e6r5t4y3u2i1o9p8a7s6\n",   // docs/ only: reported
            "src/c.env": "internal_token = itk_zz9z1x2c3v4b5n6m7l8k9j0h\n",   // the stopword only: reported
            "docs/d.md": "GITHUB_TOKEN=\(Secrets.githubToken)\n",            // another rule: not targeted
        ])
        let dir = TempDirectory()
        dir.write("g.toml", #"""
            [[rules]]
            id = "internal-token"
            regex = '''internal_token\s*=\s*(itk_[a-z0-9]{24})'''
            keywords = ["itk_"]

            [[allowlists]]
            targetRules = ["internal-token"]
            condition = "AND"
            paths = ['''^docs/''']
            stopwords = ["zz9"]
            """#)
        let (result, report) = try Keysweep.scanJSON([repo.path, "--config", dir.file("g.toml")])
        #expect(result.status == 1)
        #expect(Set(report.findings(rule: "internal-token").map(\.secret)) == ["itk_q8w7e6r5t4y3u2i1o9p8a7s6", "itk_zz9z1x2c3v4b5n6m7l8k9j0h"])
        #expect(report.finding(secret: Secrets.githubToken)?.first.path == "docs/d.md")
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")
    }
}
