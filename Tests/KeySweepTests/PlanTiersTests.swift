import Foundation
import Testing
@testable import KeySweep

/// A plan someone can stop reading: credentials that act first, then password hashes, then
/// encrypted keys and test values, each tier headed and rows numbered across them; one row per
/// credential; a provider's steps printed once.
@Suite struct PlanTiersTests {
    static let slack = "xoxb-987539749202-2927532291355-1Q5yw88pBJRbMvzW0TfB97Ps"
    static let slack2 = "xoxb-731846520917-5501938274610-Zq8Rk2vLm4NwYc7Tb3Hx9Gd1"
    static let bcrypt = "$2y$12$s.YfVZdfvAuO/Iz6fte5iO..ZbbEgreZnDcYOGvX4NGJskYQIstcG"

    /// Deterministic bytes, base64 in lines of 70, as key files wrap them.
    static func base64Lines(_ bytes: [UInt8]) -> String {
        let text = Data(bytes).base64EncodedString()
        return stride(from: 0, to: text.count, by: 70).map { start in
            let from = text.index(text.startIndex, offsetBy: start)
            return String(text[from..<(text.index(from, offsetBy: 70, limitedBy: text.endIndex) ?? text.endIndex)])
        }.joined(separator: "\n")
    }

    static func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
    }

    static func string(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        let n = UInt32(bytes.count)
        return [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + bytes
    }

    /// An OpenSSH private key whose header names `cipher` (`none`: not encrypted).
    static func openSSH(cipher: String, seed: UInt64) -> String {
        let body = Array("openssh-key-v1\u{0}".utf8) + string(cipher) + string(cipher == "none" ? "none" : "bcrypt")
            + noise(400, seed: seed)
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n\(base64Lines(body))\n-----END OPENSSH PRIVATE KEY-----\n"
    }

    /// A traditional PEM key encrypted with a passphrase (RFC 1421 headers).
    static let encryptedPEM = "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,8A4D2F0E6C1B3A5D7E9F0A1B2C3D4E5F\n\n"
        + base64Lines(noise(600, seed: 7)) + "\n-----END RSA PRIVATE KEY-----\n"

    /// An OpenPGP v4 Ed25519 secret key packet; `usage` 0 is unencrypted, 254 passphrase-protected.
    static func pgp(usage: UInt8) -> String {
        let oid: [UInt8] = [0x09, 0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]
        var body: [UInt8] = [4, 0x65, 0x43, 0x21, 0x00, 22] + oid + [0x01, 0x07, 0x40] + noise(32, seed: 3) + [usage]
        body += noise(60, seed: 4)
        let packet: [UInt8] = [0xC5, UInt8(body.count)] + body
        return "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n\(base64Lines(packet))\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n"
    }

    @Test func encryptionIsReadFromTheKeyItself() {
        #expect(PrivateKeyEncryption.isEncrypted(Self.encryptedPEM) == true)
        #expect(PrivateKeyEncryption.isEncrypted(Self.openSSH(cipher: "aes256-ctr", seed: 1)) == true)
        #expect(PrivateKeyEncryption.isEncrypted(Self.openSSH(cipher: "none", seed: 2)) == false)
        #expect(PrivateKeyEncryption.isEncrypted(Self.pgp(usage: 254)) == true)
        #expect(PrivateKeyEncryption.isEncrypted(Self.pgp(usage: 0)) == false)
        #expect(PrivateKeyEncryption.isEncrypted("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI\n-----END ENCRYPTED PRIVATE KEY-----") == true)
        #expect(PrivateKeyEncryption.isEncrypted("-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n") == false,
                "a key in JSON, with \\n escapes")
        #expect(PrivateKeyEncryption.isEncrypted("PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: aes256-cbc\nComment: x\n") == true)
        #expect(PrivateKeyEncryption.isEncrypted(Self.slack) == nil)
    }

    /// A token, a bcrypt hash and encrypted keys: three tiers in that order, each headed with what
    /// it is, rows numbered across them; the same from the JSON report read back, redacted too.
    @Test func aTokenAHashAndAnEncryptedKeyAreThreeTiers() throws {
        let repo = try GitRepo()
        let plainKey = Self.openSSH(cipher: "none", seed: 11)
        try repo.commit("everything", [
            "app/.env": "SLACK_BOT_TOKEN=\(Self.slack)\n",
            "db/dump.sql": "INSERT INTO users VALUES (1, 'rogers63', '\(Self.bcrypt)', 1);\n",
            "keys/deploy_key": Self.openSSH(cipher: "aes256-ctr", seed: 12),
            "keys/legacy.pem": Self.encryptedPEM,
            "keys/plain_key": plainKey,
        ])
        let out = TempDirectory("keysweep-tiers")
        let scan = try Keysweep.run(["scan", repo.path, "--format", "json", "-o", out.file("report.json"),
                                     "--remediation", out.file("plan.md")])
        #expect(scan.status == 1, "\(scan.stderr)")
        _ = try Keysweep.run(["scan", repo.path, "--redact", "--format", "json", "-o", out.file("redacted.json")])

        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        let one = try #require(markdown.range(of: "## Tier 1: credentials that act as they are (rows 1–2)\n\nLive or complete"))
        let two = try #require(markdown.range(of: "## Tier 2: password hashes (row 3)\n\nPassword hashes: of use only once cracked"))
        let three = try #require(markdown.range(of: "## Tier 3: encrypted keys, test values and canaries (rows 4–5)\n\n"))
        #expect(one.lowerBound < two.lowerBound && two.lowerBound < three.lowerBound)
        #expect(markdown.contains("stop after this tier"))
        #expect(markdown[two.upperBound..<three.lowerBound].contains("\n| 3 | complete, in HEAD or a branch tip | — | Password hashes | `$2y$…stcG` |"),
                "numbered across tiers")
        #expect(markdown.contains("Reset the password it hashes"))
        #expect(markdown[three.upperBound...].contains("| Private key (PEM or OpenSSH), encrypted with a passphrase |"))

        for (name, arguments) in [("scan", [String]()), ("report", ["remediate", out.file("report.json")]),
                                  ("redacted", ["remediate", out.file("redacted.json")])] {
            let path = out.file("\(name).plan.json")
            if arguments.isEmpty {
                _ = try Keysweep.run(["scan", repo.path, "--remediation", path])
            } else {
                _ = try Keysweep.run(arguments + ["--remediation", path])
            }
            let plan = try Plan.load(path)
            #expect(plan.rows.map(\.rank) == Array(1...plan.rows.count), "\(name)")
            func tier(_ rule: String, path: String? = nil) -> Int? {
                plan.rows.first { $0.rule == rule && (path == nil || $0.exposure.first_path == path) }?.tier
            }
            #expect(tier("slack-bot-token") == 1, "\(name)")
            #expect(tier("private-key", path: "keys/plain_key") == 1, "\(name): an unencrypted key acts as it is")
            #expect(tier("bcrypt-hash") == 2, "\(name)")
            #expect(tier("private-key", path: "keys/deploy_key") == 3, "\(name)")
            #expect(tier("private-key", path: "keys/legacy.pem") == 3, "\(name)")
            #expect(plan.rows.map { $0.tier ?? 0 } == plan.rows.map { $0.tier ?? 0 }.sorted(), "\(name): tiers in order")
        }
    }

    /// An AWS key id and its secret, a Twilio SID and its auth token: one row each, the id shown
    /// and where its secret is.
    @Test func aPairedCredentialIsOneRow() throws {
        let repo = try GitRepo()
        let id = FakeAWS.keyID(), secret = FakeAWS.secret()
        try repo.commit("pairs", [
            "config/credentials": FakeAWS.credentials(id, secret),
            ".env": "TWILIO_ACCOUNT_SID=AC650a44f374e87119764aa5311629cc0a\nTWILIO_AUTH_TOKEN=c88033fd3c91918b71868ffd20032a62\n",
        ])
        let out = TempDirectory("keysweep-pairs")
        let scan = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        _ = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.md")])
        let plan = try Plan.load(out.file("plan.json"))
        #expect(plan.rows.count == 2, "\(plan.rows.map(\.rule))")
        let aws = try #require(plan.row(id))
        #expect(aws.parts?.map(\.role) == ["secret"])
        #expect(aws.parts?.first?.path == "config/credentials")
        let twilio = try #require(plan.rows.first { $0.rule == "twilio-account-sid" })
        #expect(twilio.leaked == "id + secret")
        #expect(twilio.parts?.first.map { ($0.role, $0.path, $0.line) } ?? ("", "", 0) == ("secret", ".env", 2))
        #expect(!plan.rows.contains { $0.rule == "twilio-auth-token" || $0.rule == "aws-secret-access-key" })
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.contains("- **Its secret:** `.env:2`"))
        #expect(markdown.contains("- **Its secret:** `config/credentials:"))
        // Still purged: the secret is in replacements.txt though it has no row.
        let replacements = try String(contentsOfFile: out.file("replacements.txt"), encoding: .utf8)
        #expect(replacements.contains("c88033fd3c91918b71868ffd20032a62==>REMOVED"))
        #expect(replacements.contains("\(secret)==>REMOVED"))
    }

    /// Two Slack tokens: the Slack steps once, each row naming them; the JSON plan keeps each
    /// row's own steps.
    @Test func aProvidersStepsArePrintedOnce() throws {
        let repo = try GitRepo()
        try repo.commit("tokens", ["a/.env": "SLACK_BOT_TOKEN=\(Self.slack)\n"])
        try repo.commit("more", ["b/.env": "SLACK_BOT_TOKEN=\(Self.slack2)\n"])
        let out = TempDirectory("keysweep-shared-steps")
        let scan = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.md")])
        #expect(scan.status == 1, "\(scan.stderr)")
        _ = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.json")])
        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.components(separatedBy: "https://slack.com/api/auth.revoke").count == 2, "the Slack steps once")
        // The revoke command reads each row's own secret: `ID` is named per row.
        #expect(markdown.components(separatedBy: "Steps: see **Steps: Slack** below (the same for rows #1, #2), with `ID` this row's finding id `").count == 3)
        #expect(markdown.contains("### Steps: Slack\n\nFor rows #1, #2; “its leak date” is each row's **Exposed since**; `ID` is each row's finding id, given in its section."))
        #expect(markdown.contains("$(keysweep show ID --secret)"))
        #expect(markdown.contains("Review its use since its leak date"))
        let plan = try Plan.load(out.file("plan.json"))
        #expect(plan.rows.count == 2)
        #expect(plan.rows.allSatisfy { $0.commands.contains { $0.contains("auth.revoke") } })
    }

    /// A rule file names its revocation steps (`playbook`): an organisation's own Slack-issued
    /// token rule gets Slack's steps, from the scan and from its JSON report, and a name no
    /// playbook has is refused when the rules load.
    @Test func aRuleFileNamesItsPlaybook() throws {
        let dir = TempDirectory("keysweep-playbook")
        let rule = """
            [[rule]]
            id = "acme-chat-token"
            description = "ACME's Slack-issued chat token"
            provider = "Slack"
            playbook = "slack"
            regex = '''(?<secret>acmechat_[A-Za-z0-9]{24})'''
            keywords = ["acmechat_"]
            examples = ["acmechat_Q7wLm2xQ9vT4kP8zR3nB6yH1"]
            """
        dir.write("rules/acme.toml", rule)
        dir.write("target.txt", "CHAT=acmechat_Q7wLm2xQ9vT4kP8zR3nB6yH1\n")
        let scan = try Keysweep.run(["scan", "--patterns", dir.file("rules"), dir.file("target.txt"),
                                     "--format", "json", "-o", dir.file("report.json"), "--remediation", dir.file("plan.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let plan = try Plan.load(dir.file("plan.json"))
        let row = try #require(plan.rows.first { $0.rule == "acme-chat-token" })
        #expect(row.commands.contains { $0.contains("https://slack.com/api/auth.revoke") })
        let report = try String(contentsOfFile: dir.file("report.json"), encoding: .utf8)
        #expect(report.contains("\"playbook\":\"slack\"") || report.contains("\"playbook\" : \"slack\""))
        let again = try Keysweep.run(["remediate", dir.file("report.json"), "--remediation", dir.file("again.json")], cwd: dir.path)
        #expect(again.status == 0 || again.status == 1, "\(again.stderr)")
        let fromReport = try Plan.load(dir.file("again.json"))
        #expect(fromReport.rows.first { $0.rule == "acme-chat-token" }?.commands.contains { $0.contains("auth.revoke") } == true)

        dir.write("rules/acme.toml", rule.replacingOccurrences(of: "playbook = \"slack\"", with: "playbook = \"slak\""))
        expectOneLineError(try Keysweep.run(["scan", "--patterns", dir.file("rules"), dir.file("target.txt")]),
                           containing: "acme.toml: rule 'acme-chat-token': unknown playbook 'slak'")
    }
}
