import Foundation
import Testing
@testable import KeySweep

/// What makes a value a placeholder, from the leaky-repo benchmark's misses: a test password
/// for a real server is still a way into it, and a secret's name is not enough to hide a value
/// that no more specific rule takes.
@Suite struct PlaceholderTests {
    @Test(arguments: [
        ("localhost", true), ("127.0.0.1", true), ("0.0.0.0", true), ("db", true), ("[", true),
        ("db.example.com", true), ("api.test", true), ("printer.local", true), ("example.org", true),
        ("ds048537.mongolab.com", false), ("db-prod.internal", false), ("10.0.4.12", false),
        ("cluster0.x7yqz.mongodb.net", false), ("example.com.evil.io", false),
    ])
    func hostsOnlyADeveloperOrTheDocumentationReaches(host: String, local: Bool) {
        #expect(CredentialHost.isLocalOrDocumentation(host) == local)
    }

    @Test func aTestPasswordForARealServerIsReported() throws {
        let dir = TempDirectory("keysweep-testpass")
        dir.write("mongoid.yml", "production:\n  clients:\n    default:\n      uri: \"mongodb://testuser:testpass@ds048537.mongolab.com:48537/main\"\n")
        dir.write("dev.env", "DATABASE_URL=mongodb://testuser:testpass@localhost:27017/main\n")
        let (_, report) = try Keysweep.scanJSON([dir.path])
        let found = try #require(report.finding(secret: "testpass"))
        // One finding, every place it appears; whichever file is read first, it is no placeholder.
        #expect(!found.placeholder)
        #expect(Set(found.occurrences.map { URL(fileURLWithPath: $0.path).lastPathComponent }) == ["mongoid.yml", "dev.env"])
        try FileManager.default.removeItem(atPath: dir.path + "/mongoid.yml")
        let (_, local) = try Keysweep.scanJSON([dir.path])
        #expect(local.findings.isEmpty)
        #expect(local.stats.placeholders == 1)
        // Elsewhere "test" still marks a test value.
        let (_, generic) = try Keysweep.scanJSON(["-"], stdin: Data("password = \"testpass\"\n".utf8))
        #expect(generic.findings.isEmpty)
    }

    /// Merged reports agree with one scan: a finding one report calls a placeholder and another
    /// does not is no placeholder, in either order, and is not counted among the placeholders.
    @Test func mergeKeepsAFindingThatAnyReportSawAsReal() throws {
        let local = TempDirectory("keysweep-testpass-local"), real = TempDirectory("keysweep-testpass-real")
        local.write("dev.env", "DATABASE_URL=mongodb://testuser:testpass@localhost:27017/main\n")
        real.write("mongoid.yml", "uri: \"mongodb://testuser:testpass@ds048537.mongolab.com:48537/main\"\n")
        let a = local.path + "/../" + URL(fileURLWithPath: local.path).lastPathComponent + ".json"
        let b = real.path + "/../" + URL(fileURLWithPath: real.path).lastPathComponent + ".json"
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        _ = try Keysweep.run(["scan", local.path, "--include-placeholders", "--format", "json", "-o", a])
        _ = try Keysweep.run(["scan", real.path, "--format", "json", "-o", b])
        for order in [[a, b], [b, a]] {
            let merged = try Keysweep.run(["merge"] + order + ["--format", "json"])
            let report = try JSONDecoder().decode(Report.self, from: merged.stdoutData)
            #expect(report.finding(secret: "testpass")?.placeholder == false, "\(order)")
        }
    }

    /// `aws_secret_access_key` with a value that is no AWS secret (38 characters): no AWS rule
    /// takes it, so the generic rule must (its name no longer excludes it).
    @Test func aValueNamedAsAnAWSSecretThatIsNoneIsStillASecret() throws {
        let text = "[default]\naws_access_key_id = yLryKGwcGc3ez9G8YAnjeYMQOc\naws_secret_access_key = nAH2VzKrMrRjySLlt8HCdFU3tM2TUuUZgh39NX\n"
        let (_, report) = try Keysweep.scanJSON(["-"], stdin: Data(text.utf8))
        #expect(report.finding(secret: "nAH2VzKrMrRjySLlt8HCdFU3tM2TUuUZgh39NX")?.rule == "generic-secret")
        // A real AWS secret there is the AWS rule's, reported once.
        let real = "aws_access_key_id = \(Secrets.keyID)\naws_secret_access_key = \(Secrets.secretKey)\n"
        let (_, paired) = try Keysweep.scanJSON(["-"], stdin: Data(real.utf8))
        #expect(paired.findings.filter { $0.secret == Secrets.secretKey }.map(\.rule) == ["aws-secret-access-key"])
    }

    /// A name that says its value is a counter-example (gitleaks' `nonMatchingToken := "…"`,
    /// tests' `invalidToken`, `wrongPassword`) makes the value a placeholder; words are whole,
    /// so a verb (`invalidate`), a library (`faker`) or a sample app's real key is not one.
    @Test(arguments: [
        ("nonMatchingToken := \"", true), ("invalidToken = ", true), ("INVALID_API_KEY=", true), ("wrong_password: ", true),
        ("bogus_token=", true), ("FAKE_SECRET=", true), ("MockApiKey: ", true), ("BADToken=", true), ("non_matching_token=", true),
        ("dummy-secret: ", true), ("const incorrectPassword = '", true), ("placeHolderSecret=", true), ("malformedJwtSecret=", true),
        ("invalidateToken = ", false), ("tokenToInvalidate := \"", false), ("fakerSecret=", false), ("SAMPLE_API_KEY = '", false),
        ("EXAMPLE_TOKEN=", false), ("TEST_API_KEY=", false), ("mockingbirdToken=", false), ("badgeToken=", false),
        ("nonceToken=", false), ("validToken = ", false), ("matchingToken := \"", false), ("", false),
        // another field of a connection string or a query names something else
        ("Server=mock-db;Password=", false), ("?fake=1&token=", false), ("?env=prod&fake_token=", true),
    ])
    func namesThatSayTheValueIsACounterExample(name: String, counterExample: Bool) {
        var bytes = Array(name.utf8)
        #expect(bytes.withUnsafeBufferPointer { PlaceholderName.isCounterExample($0) } == counterExample, "\(name)")
    }

    @Test func aNameCutByTheWindowStartsAtItsNextWord() {
        // The window's first byte is the `f` of `xfake`: cut there, the name would read `fake`.
        let rest = "_" + String(repeating: "secret_", count: 13)
        let long = "xfake" + rest
        #expect(long.utf8.count == PlaceholderName.window + 1)
        var bytes = Array(long.utf8)
        #expect(!bytes.withUnsafeBufferPointer { PlaceholderName.isCounterExample($0) })
        var whole = Array(("fake" + rest).utf8)
        #expect(whole.withUnsafeBufferPointer { PlaceholderName.isCounterExample($0) })
    }

    @Test func aCounterExampleNameIsCountedNotReported() throws {
        let value = "vidm9oui0mxsg37g"
        let (_, named) = try Keysweep.scanJSON(["-"], stdin: Data("nonMatchingToken := \"\(value)\"\n".utf8))
        #expect(named.findings.isEmpty)
        #expect(named.stats.placeholders == 1)
        let (_, verb) = try Keysweep.scanJSON(["-"], stdin: Data("tokenToInvalidate := \"\(value)\"\n".utf8))
        #expect(verb.finding(secret: value)?.rule == "generic-secret")
    }

    /// For a password in a URL the host decides, as for a test word: a `mock_user` of a real
    /// server is still a way into it.
    @Test func aCounterExampleUserOfARealServerIsReported() throws {
        let (_, real) = try Keysweep.scanJSON(["-"], stdin: Data("DATABASE_URL=postgres://mock_user:Rk8vQz2LmW4t@db-prod.internal:5432/app\n".utf8))
        #expect(real.finding(secret: "Rk8vQz2LmW4t")?.placeholder == false)
        let (_, local) = try Keysweep.scanJSON(["-"], stdin: Data("DATABASE_URL=postgres://mock_user:Rk8vQz2LmW4t@localhost:5432/app\n".utf8))
        #expect(local.findings.isEmpty)
        #expect(local.stats.placeholders == 1)
    }

    /// A value typed along the alphabet (`abcdefg12346+FJQCK`) is a placeholder: seven letters
    /// or eight characters in sequence. Hex holds at most six letters in a row (`abcdef`), and
    /// seven digits in a row are left to numeric ids (Kingfisher's honeycomb sample).
    @Test(arguments: [
        ("abcdefg12346+FJQCK", true), ("Zq4XklmnopqR2vT8", true), ("9fK2x12345678Lq8", true), ("QRSTUVWxk29fj3La", true),
        ("3f9abcdef41c07d2b58e6a1d", false), ("z0d1f2bcaloumn3456789P", false), ("abcdef0x12346+FJQCK", false),
    ])
    func valuesTypedAlongTheAlphabet(value: String, placeholder: Bool) {
        #expect(Placeholder.isPlaceholder(value) == placeholder, "\(value)")
    }
}

