import Testing
@testable import KeySweep

/// Ref facts (tips holding a finding, the commit that removed it) are worked out when asked
/// for, which the command line does for the JSON report and the plan, and skipped otherwise.
@Suite struct RefFactsTests {
    static func result(refFacts: Bool) throws -> ScanResult {
        let repo = try GitRepo()
        try repo.commit("add", ["creds.ini": Secrets.credentials()])
        try repo.commit("remove", [:], remove: ["creds.ini"])
        try repo.git(["tag", "v1", "HEAD~1"])
        var options = ScanOptions()
        options.refFacts = refFacts
        return try Scanner(rules: try RuleSet.builtIn(), options: options).scan([repo.path])
    }

    @Test func workedOutWhenAskedFor() throws {
        let finding = try #require(try Self.result(refFacts: true).findings.first { $0.secret == Secrets.keyID })
        #expect(finding.refs.first?.tips == ["refs/tags/v1"])
        #expect(finding.refs.first?.removedBy != nil)
    }

    @Test func skippedWhenNothingReadsThem() throws {
        let finding = try #require(try Self.result(refFacts: false).findings.first { $0.secret == Secrets.keyID })
        #expect(finding.refs.isEmpty)
    }
}
