import Foundation
import Testing
@testable import KeySweep

/// Pairing, decodings and provider come from the rule files, never from a rule's id: a user's
/// rules named anything behave as the built-in ones that declare the same.
@Suite struct RuleDeclaredStagesTests {
    /// Decodes the fields the shared `Report` leaves out: `provider` and `pairing`.
    struct Extra: Decodable {
        struct Pairing: Decodable { var how: String; var parts: [String: String]; var attributes: [String: String]? }
        struct Finding: Decodable { var id: String; var rule: String; var secret: String; var provider: String; var pairing: Pairing? }
        var findings: [Finding]
    }

    static func extra(_ result: ProcessResult) throws -> Extra { try JSONDecoder().decode(Extra.self, from: result.stdoutData) }

    static let twilioSID = "AC650a44f374e87119764aa5311629cc0a"
    static let twilioToken = "c88033fd3c91918b71868ffd20032a62"

    @Test func twilioSIDPairsWithItsAuthTokenFromRuleFilesAlone() throws {
        let repo = try GitRepo()
        try repo.commit("twilio", ["sms.env": "TWILIO_ACCOUNT_SID=\(Self.twilioSID)\nTWILIO_AUTH_TOKEN=\(Self.twilioToken)\n"])
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1)
        let token = try #require(report.finding(secret: Self.twilioToken))
        let sid = try #require(try Self.extra(result).findings.first { $0.secret == Self.twilioSID })
        #expect(sid.rule == "twilio-account-sid")
        #expect(sid.provider == "Twilio")
        #expect(sid.pairing?.how == "same content")
        #expect(sid.pairing?.parts == ["secret": token.id])
    }

    @Test func awsPairingIsReportedGenericallyToo() throws {
        let repo = try GitRepo()
        try repo.commit("session", ["creds.json": """
            {"AccessKeyId": "\(Secrets.temporaryKeyID)", "SecretAccessKey": "\(Secrets.secretKey)",
             "SessionToken": "IQoJb3JpZ2luX2VjlARUsRJlNONwktN9ugkZeESG61she/QAqq0nv3Vth1Ls6v6+O9JL8ZsoWw/Rxl+IUiTeNUJ+HLRwb8GPJ7KTSJS0Sw5UQsvzU9Kk1v1MIdzu4xCxf8CvgroOx9ye17SWjAEVaSZJ0oVeMmLRLTq10V7suW9zrlSaWnPsPW23C/L9WXuHM",
             "Expiration": "2026-12-01T10:00:00Z"}
            """])
        let (result, report) = try Keysweep.scanJSON([repo.path])
        let id = try #require(try Self.extra(result).findings.first { $0.secret == Secrets.temporaryKeyID })
        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(id.provider == "AWS")
        #expect(id.pairing?.parts["secret"] == secret.id)
        #expect(id.pairing?.parts["token"] != nil)
        #expect(id.pairing?.attributes == ["expiration": "2026-12-01T10:00:00Z"])
        #expect(report.finding(secret: Secrets.temporaryKeyID)?.aws?.leaked == "id + secret + token")
    }

    /// A user's credential with an id and an unnamed secret, declared like AWS's, pairs the same
    /// way (same content, and same commit); its rule ids share nothing with any built-in rule.
    @Test func userRulesDeclaringPairsAreCompletedLikeBuiltInOnes() throws {
        let rules = TempDirectory("keysweep-rules")
        rules.write("acme/acme.toml", """
            [[rule]]
            id = "zz-client"
            description = "Acme client id"
            provider = "Acme"
            regex = '''(?<secret>acme_cid_[0-9a-f]{16})'''
            keywords = ["acme_cid_"]
            confidence = "high"
            examples = ["acme_cid_7f3a9c1e5b2d8046"]
            [[rule.pair]]
            role = "secret"
            rule = "qq-key"

            [[rule]]
            id = "qq-key"
            description = "Acme client key"
            provider = "Acme"
            regex = '''acme_key\\s*=\\s*(?<secret>[A-Za-z0-9]{24})'''
            keywords = ["acme_key"]
            confidence = "high"
            examples = ["acme_key = Zq8WnR3tKp7vLx2mYc9bHf4d"]
            [rule.unnamed]
            regex = '''(?<![A-Za-z0-9])(?<secret>K[A-Za-z0-9]{23})(?![A-Za-z0-9])'''
            entropy = 3.5
            checks = ["mixed-case"]
            """)
        let repo = try GitRepo()
        try repo.commit("named", ["a.conf": "client = acme_cid_7f3a9c1e5b2d8046\nacme_key = Zq8WnR3tKp7vLx2mYc9bHf4d\n"])
        try repo.commit("commit pair", ["b/id.txt": "acme_cid_e4b8d02c6a9f1357\n", "b/key.txt": "KwR3tZq8np7vLx2mYc9bHf4d\n"])
        let (result, _) = try Keysweep.scanJSON([repo.path, "--patterns", rules.path])
        let findings = try Self.extra(result).findings
        let first = try #require(findings.first { $0.secret == "acme_cid_7f3a9c1e5b2d8046" })
        #expect(first.provider == "Acme")
        #expect(first.pairing?.how == "same content")
        #expect(first.pairing?.parts["secret"] == Fingerprint.findingID(rule: "qq-key", secret: "Zq8WnR3tKp7vLx2mYc9bHf4d"))
        let second = try #require(findings.first { $0.secret == "acme_cid_e4b8d02c6a9f1357" })
        #expect(second.pairing?.how == "same commit")
        #expect(second.pairing?.parts["secret"] == Fingerprint.findingID(rule: "qq-key", secret: "KwR3tZq8np7vLx2mYc9bHf4d"))
        #expect(findings.contains { $0.rule == "qq-key" && $0.secret == "KwR3tZq8np7vLx2mYc9bHf4d" })
    }

    /// `decode` declares the decodings around a rule's keywords: a user rule named nothing like
    /// docker finds its base64-encoded value.
    @Test func userRuleDeclaringBase64FindsEncodedValues() throws {
        let rules = TempDirectory("keysweep-rules")
        rules.write("x.toml", """
            [[rule]]
            id = "plain-widget-token"
            description = "Widget token"
            provider = "Widget"
            regex = '''(?<secret>wdgt_[A-Za-z0-9]{20})'''
            keywords = ["wdgt_", "widget_auth"]
            decode = ["base64"]
            confidence = "high"
            examples = ["wdgt_Ab3dE6gH9jK2mN5pQ8sT"]
            """)
        let encoded = Data("token: wdgt_Ab3dE6gH9jK2mN5pQ8sT".utf8).base64EncodedString()
        let (result, report) = try Keysweep.scanJSON(["-", "--patterns", rules.path], stdin: Data("widget_auth: \(encoded)\n".utf8))
        #expect(result.status == 1)
        let finding = try #require(report.finding(secret: "wdgt_Ab3dE6gH9jK2mN5pQ8sT"))
        #expect(finding.occurrences.first?.decoding == "base64")
    }

    @Test func ruleFilesWithBadStageDeclarationsAreOneLineErrors() throws {
        let cases: [(String, String)] = [
            ("decode = [\"rot13\"]", "unknown decoding 'rot13'"),
            ("enricher = \"gcp\"", "'enricher' must be one of aws-access-key"),
            ("[[rule.pair]]\nrole = \"secret\"\nrule = \"no-such-rule\"", "pairs with unknown rule 'no-such-rule'"),
            ("[[rule.pair]]\nrole = \"secret\"", "pair 'secret': needs either a rule or a regex"),
            ("[[rule.pair]]\nrole = \"when\"\nregex = '(?<secret>x)'\nnear = \"token\"", "near unknown part 'token'"),
        ]
        for (declaration, message) in cases {
            let rules = TempDirectory("keysweep-rules")
            rules.write("bad.toml", """
                [[rule]]
                id = "bad-rule"
                regex = '''(?<secret>bad_[0-9]{8})'''
                examples = ["bad_12345678"]
                \(declaration)
                """)
            expectOneLineError(try Keysweep.run(["scan", "-", "--patterns", rules.path], stdin: Data()), containing: message)
        }
    }

    @Test func provenanceRoundTripsThroughTheReportSpelling() throws {
        let blob = try #require(ObjectID(hex: String(repeating: "ab", count: 20)))
        let cases: [(Provenance, String?)] = [
            (.blob(path: "a/b.txt", id: blob), "c"), (.commitMessage, "c"), (.unreachableBlob(blob), nil),
            (.file(path: "/tmp/x"), nil), (.stdin, nil),
        ]
        for (provenance, commit) in cases {
            let path = ProvenanceText.path(provenance)
            #expect(ProvenanceText.provenance(path: path, blob: provenance.blob?.description, commit: commit) == provenance)
        }
    }
}

/// A rule that gives up on PCRE2's match limit says so, naming itself and the place.
@Suite struct MatchLimitTests {
    @Test func aRuleHittingTheMatchLimitIsAWarningNamingItAndThePlace() throws {
        let rules = TempDirectory("keysweep-rules")
        rules.write("slow.toml", """
            [[rule]]
            id = "exponential-rule"
            regex = '''zq(?<secret>(?:a|aa)+)(?:b|c)'''
            keywords = ["zq"]
            examples = ["zqaab"]
            """)
        let text = "zq" + String(repeating: "a", count: 64) + "\n"
        let result = try Keysweep.run(["scan", "-", "--patterns", rules.path], stdin: Data(text.utf8))
        #expect(result.stderr.contains("standard input (chunk 1): rule 'exponential-rule' gave up at PCRE2's match limit"),
                "stderr: \(result.stderr)")
    }
}

/// A rule whose pattern is quadratic (each header searched to the end of the content for an
/// END that never comes) cannot stall a scan: it stops at its time budget, with a warning
/// naming it and the place, and the other rules still find what they find there.
@Suite struct TimeBudgetTests {
    @Test func aQuadraticRuleStopsAtItsBudgetAndSaysSo() throws {
        let rules = TempDirectory("keysweep-rules")
        rules.write("slow.toml", """
            [[rule]]
            id = "quadratic-rule"
            regex = '''(?<secret>-----BEGIN X-----\\s+[A-Za-z0-9\\-\\s]{40,}?\\s*-----END X-----)'''
            keywords = ["-----begin x-----"]
            examples = ["-----BEGIN X-----\\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\n-----END X-----"]
            """)
        // Minutes of work for this pattern unbounded: every header is searched up to the `!`
        // (the END after it keeps PCRE2 from ruling the search out at once). This was the shape
        // of the built-in private-key rule, 18 s on 512 KiB of headers.
        let text = String(repeating: "-----BEGIN X-----\n", count: 60_000) + "!-----END X-----\n" + Secrets.credentials()
        let result = try Keysweep.run(["scan", "-", "--patterns", rules.path, "--jobs", "1"], stdin: Data(text.utf8))
        #expect(result.stderr.contains("standard input (chunk 1): rule 'quadratic-rule' ran out of its time budget"),
                "stderr: \(result.stderr)")
        #expect(result.status == 1, "the AWS key after the headers is still found: \(result.stdout)")
    }
}
