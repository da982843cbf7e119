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

    struct PairCase: Sendable, CustomTestStringConvertible {
        var idRule: String, provider: String, role: String, partRule: String, id: String, part: String, text: String
        var testDescription: String { idRule }
    }

    /// Credentials beyond AWS and Twilio declared as pairs in their rule files: the id's finding
    /// names its part's, so the plan can call the credential complete.
    static let pairCases: [PairCase] = [
        PairCase(idRule: "datadog-api-key", provider: "Datadog", role: "application_key", partRule: "datadog-application-key", id: "cc6577428c2f6d6bc64e5a22fac180d6", part: "b2e6e1b465e551305fd2d2490ca4c616e8c4bf14", text: "DD_API_KEY=cc6577428c2f6d6bc64e5a22fac180d6\nDD_APP_KEY=b2e6e1b465e551305fd2d2490ca4c616e8c4bf14\n"),
        PairCase(idRule: "algolia-application-id", provider: "Algolia", role: "secret", partRule: "algolia-api-key", id: "K6ZQ4TIUFE", part: "46af783b52901a6ccaccdb251bce7979", text: "ALGOLIA_APP_ID=K6ZQ4TIUFE\nALGOLIA_ADMIN_KEY=46af783b52901a6ccaccdb251bce7979\n"),
        PairCase(idRule: "azure-client-id", provider: "Microsoft Azure", role: "secret", partRule: "azure-ad-client-secret", id: "3a67c9e2-ed82-9af4-8d9d-59ce6ca6b0b9", part: "92m8Q~5QQkYOqQAVW3ToA33wQzahGImaHt8RVkGY", text: "AZURE_CLIENT_ID=3a67c9e2-ed82-9af4-8d9d-59ce6ca6b0b9\nAZURE_CLIENT_SECRET=92m8Q~5QQkYOqQAVW3ToA33wQzahGImaHt8RVkGY\n"),
        PairCase(idRule: "okta-org-url", provider: "Okta", role: "secret", partRule: "okta-api-token", id: "https://acme-corp.okta.com", part: "00ZC7nqV2VADJHONXO1WMXsmVbgZteLc9dAtxJO8TL", text: "OKTA_ORG_URL=https://acme-corp.okta.com\nOKTA_API_TOKEN=00ZC7nqV2VADJHONXO1WMXsmVbgZteLc9dAtxJO8TL\n"),
        PairCase(idRule: "alibaba-access-key-id", provider: "Alibaba Cloud", role: "secret", partRule: "alibaba-access-key-secret", id: "LTAI5tKsmWg3YzzYlqDvi4i5", part: "C32SSyAJ9TlxqnrDK24Syl067EK5O4", text: "ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tKsmWg3YzzYlqDvi4i5\nALIBABA_CLOUD_ACCESS_KEY_SECRET=C32SSyAJ9TlxqnrDK24Syl067EK5O4\n"),
        PairCase(idRule: "confluent-api-key", provider: "Confluent", role: "secret", partRule: "confluent-api-secret", id: "4KE8P37AHV5EVA8R", part: "bO0HvrgYegRDLu4h1Dyo+vIJUjzwTkoqrtleWvTDuRgR3yNwos/bDWmE4kuv4VGO", text: "CONFLUENT_API_KEY=4KE8P37AHV5EVA8R\nCONFLUENT_API_SECRET=bO0HvrgYegRDLu4h1Dyo+vIJUjzwTkoqrtleWvTDuRgR3yNwos/bDWmE4kuv4VGO\n"),
        PairCase(idRule: "sumologic-access-id", provider: "Sumo Logic", role: "secret", partRule: "sumologic-access-key", id: "suLcLzbt8ki8a4", part: "sZJsshFBZecwkMRu2vQuZ19cy0rNoJjSRbW38sVzAGT5XolHAdnpPqk1KgBaK8b1", text: "SUMO_ACCESS_ID=suLcLzbt8ki8a4\nSUMO_ACCESS_KEY=sZJsshFBZecwkMRu2vQuZ19cy0rNoJjSRbW38sVzAGT5XolHAdnpPqk1KgBaK8b1\n"),
        PairCase(idRule: "digitalocean-spaces-access-key", provider: "DigitalOcean", role: "secret", partRule: "digitalocean-spaces-secret-key", id: "DO00MILTDQL1JAC6Z2EK", part: "DR3q9lVuD+Am3zwr8FwGvjEED1YjEGPQ/ymde3hOygL", text: "SPACES_ACCESS_KEY_ID=DO00MILTDQL1JAC6Z2EK\nSPACES_SECRET_ACCESS_KEY=DR3q9lVuD+Am3zwr8FwGvjEED1YjEGPQ/ymde3hOygL\n"),
    ]

    @Test(arguments: pairCases)
    func providerIdPairsWithItsPart(_ c: PairCase) throws {
        let repo = try GitRepo()
        try repo.commit("config", ["app.env": c.text])
        let (result, _) = try Keysweep.scanJSON([repo.path])
        let findings = try Self.extra(result).findings
        let id = try #require(findings.first { $0.secret == c.id }, "\(c.idRule): no finding of the id")
        let part = try #require(findings.first { $0.secret == c.part }, "\(c.idRule): no finding of the part")
        #expect(id.rule == c.idRule)
        #expect(part.rule == c.partRule)
        #expect(id.provider == c.provider)
        #expect(id.pairing?.parts[c.role] == part.id)
    }

    @Test func azureClientIdTakesItsTenantToo() throws {
        let repo = try GitRepo()
        let tenant = "3f2c9a41-7d1e-4b6a-9c0e-5a8d7e6f1b24"
        try repo.commit("azure", ["azure.env": "AZURE_TENANT_ID=\(tenant)\nAZURE_CLIENT_ID=0d5e8f7a-2b4c-4e9d-8a1f-6c3b7e2d9f01\nAZURE_CLIENT_SECRET=Xk48Q~Tz7vLq2mN9pR4sW6yB1cD3fG5hJ8kL0nP2\n"])
        let (result, _) = try Keysweep.scanJSON([repo.path])
        let id = try #require(try Self.extra(result).findings.first { $0.rule == "azure-client-id" })
        #expect(id.pairing?.parts["secret"] != nil)
        #expect(id.pairing?.attributes?["tenant"] == tenant)
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
