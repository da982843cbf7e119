import Foundation
import Testing
@testable import KeySweep

/// One finding per secret lists every place it appears, whichever rules saw it: when two rules
/// report the same value and one finding stays, the places only the other rule saw stay too, in
/// one scan and in a merge of reports (the JDBC URL of one file was lost to the `mysql -p` of
/// another).
@Suite struct OneFindingPerSecretTests {
    static let password = "Tr5pLm2Xq9w"

    static func write(_ dir: TempDirectory, jdbc: Bool, cli: Bool) {
        if jdbc { dir.write("app.properties", "spring.datasource.url=jdbc:mysql://svc:\(password)@10.0.4.12:3306/shop\n") }
        if cli { dir.write("backup.sh", "mysql -u root -p\(password) shop\n") }
    }

    static func files(_ finding: Report.Finding) -> Set<String> {
        Set(finding.occurrences.map { URL(fileURLWithPath: $0.path).lastPathComponent })
    }

    @Test func theFindingThatStaysKeepsThePlacesTheOtherRuleSaw() throws {
        let dir = TempDirectory("keysweep-one-per-secret")
        Self.write(dir, jdbc: true, cli: true)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        let findings = report.findings.filter { $0.secret == Self.password }
        #expect(findings.count == 1)
        #expect(findings.first.map(Self.files) == ["app.properties", "backup.sh"])
    }

    @Test func mergeKeepsThemToo() throws {
        let jdbc = TempDirectory("keysweep-one-per-secret-jdbc"), cli = TempDirectory("keysweep-one-per-secret-cli")
        Self.write(jdbc, jdbc: true, cli: false)
        Self.write(cli, jdbc: false, cli: true)
        let out = TempDirectory("keysweep-one-per-secret-reports")
        _ = try Keysweep.run(["scan", jdbc.path, "--format", "json", "-o", out.path + "/a.json"])
        _ = try Keysweep.run(["scan", cli.path, "--format", "json", "-o", out.path + "/b.json"])
        for order in [["a", "b"], ["b", "a"]] {
            let merged = try Keysweep.run(["merge"] + order.map { out.path + "/\($0).json" } + ["--format", "json"])
            let report = try JSONDecoder().decode(Report.self, from: merged.stdoutData)
            let findings = report.findings.filter { $0.secret == Self.password }
            #expect(findings.count == 1, "\(order)")
            #expect(findings.first.map(Self.files) == ["app.properties", "backup.sh"], "\(order)")
        }
    }

    /// An id paired with a different secret in two blobs keeps the pairing of the earlier
    /// occurrence, whichever a worker records first: the report of one history did not stay
    /// the same from run to run.
    @Test func pairingIsTheEarliestOccurrencesWhateverTheOrderOfRecording() throws {
        let rules = try RuleSet.builtIn()
        let rule = try #require(rules.rules.firstIndex { $0.id == "aws-access-key-id" })
        func occurrence(_ order: Int) -> Occurrence {
            Occurrence(commit: CommitInfo(id: String(repeating: "\(order)", count: 40), author: "a", date: "d", time: Int64(order), order: order),
                       provenance: .file(path: "config-\(order).ini"), line: 1)
        }
        func match(_ secret: String) -> SecretMatch {
            var match = SecretMatch(rule: rule, secret: Secrets.keyID, line: 1, isPlaceholder: false, decoding: nil)
            match.pairing = Pairing(parts: ["secret": secret], how: .sameContent)
            return match
        }
        for laterFirst in [true, false] {
            let ledger = Ledger(rules: rules)
            let records = [(occurrence(1), match(Secrets.secretKey)), (occurrence(7), match(Secrets.secretKey2))]
            for (place, found) in laterFirst ? records.reversed() : records { ledger.record(found, at: place, inHead: false) }
            let finding = try #require(ledger.findings().first { $0.secret == Secrets.keyID })
            #expect(finding.pairing?.parts["secret"] == Secrets.secretKey, "later recorded first: \(laterFirst)")
        }
        // A pairing found in one content is surer than one found in another file of the commit.
        let ledger = Ledger(rules: rules)
        var byCommit = match(Secrets.secretKey)
        byCommit.pairing?.how = .sameCommit
        ledger.record(byCommit, at: occurrence(1), inHead: false)
        ledger.record(match(Secrets.secretKey2), at: occurrence(7), inHead: false)
        let finding = try #require(ledger.findings().first { $0.secret == Secrets.keyID })
        #expect(finding.pairing?.parts["secret"] == Secrets.secretKey2)
    }
}
