import Foundation
import Testing

/// Builds the labeled AWS corpus as a real git history and requires keysweep to report
/// exactly the expected findings: no miss, nothing unexpected, pairs and decodings right.
@Suite struct AWSCorpusTests {
    @Test func everyPlantedCredentialIsFoundAndNothingElse() throws {
        let corpus = AWSCorpus()
        let repo = try GitRepo()
        for commit in corpus.commits {
            for (path, data) in commit.files { repo.dir.write(path, data) }
            try repo.commit(commit.message)
        }
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")

        // The generic high-entropy rule may add low-confidence findings (issue 3 allows it only
        // at low confidence); every medium and high finding must be expected.
        let found = Set(report.findings.filter { $0.confidence != "low" }.map { "\($0.rule) \($0.secret)" })
        let wanted = Set(corpus.expected.map { "\($0.rule) \($0.secret)" })
        for missing in wanted.subtracting(found).sorted() { Issue.record("missed: \(missing)") }
        for unexpected in found.subtracting(wanted).sorted() {
            let finding = report.findings.first { "\($0.rule) \($0.secret)" == unexpected }!
            Issue.record("unexpected: \(unexpected) at \(finding.first.path):\(finding.first.line)")
        }

        for expectation in corpus.expected {
            guard let finding = report.findings.first(where: { $0.rule == expectation.rule && $0.secret == expectation.secret })
            else { continue }
            if let decoding = expectation.decoding {
                #expect(finding.occurrences.contains { $0.decoding == decoding }, "\(expectation.secret) decoding \(decoding)")
            }
            if expectation.rule == "aws-access-key-id" {
                let aws = try #require(finding.aws)
                let secretID = expectation.pairedSecret.map { id(rule: "aws-secret-access-key", secret: $0, in: report) }
                #expect(aws.paired_secret == secretID ?? nil, "\(expectation.secret) paired secret")
                let tokenID = expectation.pairedToken.map { id(rule: "aws-session-token", secret: $0, in: report) }
                #expect(aws.paired_token == tokenID ?? nil, "\(expectation.secret) paired token")
                #expect(aws.canary == expectation.canary, "\(expectation.secret) canary")
                #expect(aws.account != nil)
            }
        }
    }

    @Test func placeholdersAreShownOnlyWhenAsked() throws {
        let repo = try GitRepo()
        try repo.commit("docs", ["README.md": "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"])
        let (quiet, report) = try Keysweep.scanJSON([repo.path])
        #expect(quiet.status == 0)
        #expect(report.findings.isEmpty)
        #expect(report.stats.placeholders == 2)
        let (_, all) = try Keysweep.scanJSON([repo.path, "--include-placeholders"])
        #expect(all.findings.count == 2)
        #expect(all.findings.allSatisfy { $0.placeholder })
    }

    @Test func temporaryCredentialsCarryTheirExpiration() throws {
        var corpus = AWSCorpus(seed: 7)
        let id = corpus.keyID("ASIA"), secret = corpus.secretKey(), token = corpus.sessionToken()
        let json = "{\"AccessKeyId\": \"\(id)\", \"SecretAccessKey\": \"\(secret)\", \"SessionToken\": \"\(token)\", \"Expiration\": \"2024-05-01T12:00:00Z\"}\n"
        let (_, report) = try Keysweep.scanJSON(["-"], stdin: Data(json.utf8))
        let finding = try #require(report.finding(secret: id))
        #expect(finding.aws?.key_type == "temporary")
        #expect(finding.aws?.expiration == "2024-05-01T12:00:00Z")
        #expect(finding.aws?.leaked == "id + secret + token")
    }

    private func id(rule: String, secret: String, in report: Report) -> String? {
        report.findings.first { $0.rule == rule && $0.secret == secret }?.id
    }
}
