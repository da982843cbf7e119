import Foundation
import Testing
@testable import KeySweep

/// `--config .gitleaks.toml`: gitleaks rules and allowlists, translated and applied.
@Suite struct GitleaksConfigTests {
    static let config = #"""
        title = "team config"

        [extend]
        useDefault = true

        [[rules]]
        id = "internal-token"
        description = "Internal service token"
        regex = '''(?i)(?:internal|svc)[_-]?token\s*[:=]\s*["']?(?P<tok>itk_[a-z0-9]{24})\b'''
        secretGroup = 1
        entropy = 3.0
        keywords = ["itk_"]
        tags = ["internal"]

        [rules.allowlist]
        stopwords = ["itk_example"]

        [[rules]]
        id = "legacy-password"
        description = "Legacy password"
        regex = '''legacy_pw\s*=\s*(\w{4,}){,3}x'''
        keywords = ["legacy_pw"]

        [[rules]]
        id = "pem-files"
        path = '''\.pem$'''

        [[rules]]
        id = "smiley"
        regex = '''[\x{263A}]+'''

        [[rules]]
        id = "github-token"
        regex = '''ghp_[A-Za-z0-9]{36}'''

        [allowlist]
        description = "global"
        paths = ['''(^|/)fixtures/''']
        regexes = ['''^itk_allowed''']
        commits = ["0000000000000000000000000000000000000000"]
        """#

    @Test func rulesAreTranslatedAndAllowlistsApplied() throws {
        let repo = try GitRepo()
        let dir = TempDirectory()
        dir.write(".gitleaks.toml", Self.config)
        try repo.commit("tokens", [
            "src/app.env": "internal_token = \"itk_q8w7e6r5t4y3u2i1o9p8a7s6\"\n",
            "fixtures/app.env": "svc-token: itk_z1x2c3v4b5n6m7l8k9j0h1g2\n",
            "src/allowed.env": "internal_token = itk_allowedq1w2e3r4t5y6u7i8x\n",
        ])
        let (result, report) = try Keysweep.scanJSON([repo.path, "--config", dir.file(".gitleaks.toml")])
        #expect(result.status == 1)
        let tokens = report.findings(rule: "internal-token")
        #expect(tokens.map(\.secret) == ["itk_q8w7e6r5t4y3u2i1o9p8a7s6"], "secretGroup, global path and regex allowlists")
        #expect(tokens.first?.confidence == "medium")
        let warnings = result.stderr.split(separator: "\n").filter { $0.hasPrefix("keysweep: warning: ") }
        #expect(warnings.contains { $0.contains("rule 'pem-files': path-only rules (no regex) are not supported; skipped") })
        #expect(warnings.contains { $0.contains("rule 'smiley': regex cannot be used") })
        #expect(warnings.contains { $0.contains("rule 'github-token': skipped, keysweep has a built-in rule with that id") })
        #expect(warnings.contains { $0.contains("[extend] useDefault") })
        #expect(warnings.contains { $0.contains("rule 'internal-token': key 'tags'") } == false, "tags are understood")
        #expect(!warnings.contains { $0.contains("legacy-password") }, "\(warnings)")
        // Every warning is one line naming the file.
        for warning in warnings { #expect(warning.contains(".gitleaks.toml")) }
    }

    @Test func ruleLevelStopwordsAndCommitAllowlists() throws {
        let repo = try GitRepo()
        let first = try repo.commit("allowed commit", ["a.env": "internal_token = itk_c0mm1tall0wedq2w3e4r5t6y\n"])
        try repo.commit("example", ["docs.md": "internal_token = itk_examplek3j5h7g9f1d2s4a6x\n"])
        try repo.commit("real", ["app.env": "internal_token = itk_r3a1v4lu3x9z8y7w6v5u4t3s\n"])
        let dir0 = TempDirectory()
        dir0.write("g.toml", Self.config)
        let (_, unfiltered) = try Keysweep.scanJSON([repo.path, "--config", dir0.file("g.toml")])
        #expect(unfiltered.findings(rule: "internal-token").count == 2, "the stopword hides the example only")
        let dir = TempDirectory()
        dir.write("g.toml", Self.config.replacingOccurrences(of: "0000000000000000000000000000000000000000", with: first))
        let (_, report) = try Keysweep.scanJSON([repo.path, "--config", dir.file("g.toml")])
        #expect(report.findings(rule: "internal-token").map(\.secret) == ["itk_r3a1v4lu3x9z8y7w6v5u4t3s"])
    }

    @Test(arguments: [
        (#"(?P<key>AKIA[0-9A-Z]{16})"#, 1, #"(?<secret>AKIA[0-9A-Z]{16})"#),
        (#"a{,3}b"#, 0, #"a\{,3}b"#),
        (#"x{2}y{1,}z{1,4}"#, 0, #"x{2}y{1,}z{1,4}"#),
        (#"(a)(b)"#, 2, #"(a)(?<secret>b)"#),
        (#"(?i)(?:key)\s*=\s*([a-z]+)"#, 0, #"(?i)(?:key)\s*=\s*([a-z]+)"#),
        (#"\Q(a)\E(b)"#, 1, #"\Q(a)\E(?<secret>b)"#),
        (#"[]a]"#, 0, #"[\]a]"#),
        (#"[[:alpha:]](x)"#, 1, #"[[:alpha:]](?<secret>x)"#),
        (#"\101\z"#, 0, #"\o{101}\z"#),
        (#"\x{263A}"#, 0, #"(?:\xE2\x98\xBA)"#),
    ])
    func goRegexTranslation(_ input: String, _ group: Int, _ expected: String) throws {
        #expect(try GoRegex.translate(input, secretGroup: group) == expected)
        _ = try Regex(expected)
    }

    @Test func untranslatablePatterns() {
        #expect(throws: GoRegex.Untranslatable.self) { try GoRegex.translate(#"[\x{263A}]"#, secretGroup: 0) }
        #expect(throws: GoRegex.Untranslatable.self) { try GoRegex.translate(#"(a)"#, secretGroup: 2) }
    }

    @Test func invalidConfigurations() throws {
        let dir = TempDirectory()
        dir.write("a.txt", "nothing\n")
        expectOneLineError(try Keysweep.run(["scan", dir.path, "--config", "/nonexistent/.gitleaks.toml"]), containing: "cannot read gitleaks configuration")
        dir.write("bad.toml", "[[rules]\nid = \n")
        expectOneLineError(try Keysweep.run(["scan", dir.path, "--config", dir.file("bad.toml")]), containing: "invalid TOML")
        dir.write("other.toml", "[something]\nx = 1\n")
        expectOneLineError(try Keysweep.run(["scan", dir.path, "--config", dir.file("other.toml")]), containing: "not a gitleaks configuration")
    }
}
