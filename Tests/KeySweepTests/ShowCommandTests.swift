import Foundation
import Testing

/// `keysweep show FINDING_ID`: the one finding with its secret in full, from a report or a scan;
/// `--secret` for the plan's commands; a private key as a file of mode 0600 with the fingerprint
/// ssh-keygen gives; one line and status 2 for what cannot be shown.
@Suite struct ShowCommandTests {
    static let gitlabToken = "glpat-Qm7xK2pV9wRt4LzN8bYc"

    /// A repository with the GitHub token in two commits (two paths) and a GitLab token.
    static func tokenRepo() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("config", ["config/app.env": "# app\nGITHUB_TOKEN=\(Secrets.githubToken)\n"])
        try repo.commit("copy", ["deploy/ci.env": "token: \(Secrets.githubToken)\n", "gitlab.env": "GITLAB_TOKEN=\(gitlabToken)\n"])
        return repo
    }

    static func id(_ report: Report, secret: String) throws -> String {
        try #require(report.finding(secret: secret), "no finding of \(secret) in \(report.findings.map(\.rule))").id
    }

    @Test func showsTheFindingFromAReportAndFromItsTarget() throws {
        let repo = try Self.tokenRepo()
        let commits = try repo.git(["rev-list", "--reverse", "HEAD"]).split(separator: "\n").map(String.init)
        let out = TempDirectory("keysweep-show")
        let scan = try Keysweep.run(["scan", repo.path, "--format", "json", "-o", out.file("report.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: out.file("report.json"))))
        let id = try Self.id(report, secret: Secrets.githubToken)

        let fromReport = try Keysweep.run(["show", id, "--report", out.file("report.json")], cwd: out.path)
        let fromTarget = try Keysweep.run(["show", String(id.prefix(8)), repo.path], cwd: out.path)
        for (how, result) in [("report", fromReport), ("target", fromTarget)] {
            #expect(result.status == 0, "\(how): \(result.stderr)")
            let text = result.stdout
            #expect(text.hasPrefix("Finding \(id): "), "\(how): \(text)")
            #expect(text.contains("Rule:       github-token"), "\(how)")
            #expect(text.contains("Provider:   GitHub"), "\(how)")
            #expect(text.contains("Secret:     \(Secrets.githubToken)\n"), "\(how): the secret in full")
            #expect(text.contains("Seen in 2 places:"), "\(how): \(text)")
            #expect(text.contains("  commit \(commits[0]) config/app.env:2 by Ada Lovelace <ada@example.org>"), "\(how): \(text)")
            #expect(text.contains("  commit \(commits[1]) deploy/ci.env:1 by Ada Lovelace <ada@example.org>"), "\(how): \(text)")
            // The playbook's revocation command with the token in place of $SECRET.
            #expect(text.contains("-d \"{\\\"credentials\\\":[\\\"\(Secrets.githubToken)\\\"]}\""), "\(how): \(text)")
            #expect(!text.contains("$SECRET") && !text.contains("keysweep show \(id) --secret"), "\(how)")
            #expect(!FileManager.default.fileExists(atPath: out.file("keysweep-\(id).key")), "a token is no key file")
        }
    }

    @Test func secretPrintsTheBytesAsFoundAndTheReportEscapesControlCharacters() throws {
        let repo = try Self.tokenRepo()
        let out = TempDirectory("keysweep-show-secret")
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let id = try Self.id(report, secret: Self.gitlabToken)
        let secret = try Keysweep.run(["show", id, repo.path, "--secret"])
        #expect(secret.status == 0, "\(secret.stderr)")
        #expect(secret.stdoutData == Data((Self.gitlabToken + "\n").utf8))

        // What the plan's commands do: the command substitution gives the token alone.
        let shell = try Run.process("/bin/sh", ["-c", "printf '[%s]' \"$(keysweep show \(id) --secret)\""], cwd: repo.path,
                                    environment: ["PATH": (Keysweep.binary as NSString).deletingLastPathComponent + ":/usr/bin:/bin",
                                                  "XDG_STATE_HOME": Keysweep.stateHome])
        #expect(shell.stdout == "[\(Self.gitlabToken)]", "\(shell.stderr)")

        // A file name with an escape sequence: shown as `\e`, never sent raw.
        let hostile = "a\u{1B}]0;pwned\u{07}.env"
        out.write(hostile, "GITLAB_TOKEN=\(Self.gitlabToken)\n")
        let shown = try Keysweep.run(["show", id, out.path])
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(!shown.stdout.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" }, "a raw control character: \(shown.stdout)")
        #expect(shown.stdout.contains("a\\e]0;pwned\\x07.env:1"), "\(shown.stdout)")
    }

    /// Keys made by ssh-keygen: OpenSSH ed25519, PEM RSA (also as a kubeconfig's base64
    /// `client-key-data`), and a PKCS#8 ECDSA key found inside JSON with `\n` escapes. Each is
    /// written to a file of mode 0600 holding the key, and the fingerprint shown is the one
    /// ssh-keygen -l gives of the same key.
    @Test func aPrivateKeyIsWrittenPrivatelyWithItsSSHFingerprint() throws {
        let keys = TempDirectory("keysweep-show-keys")
        var expected: [String: (text: String, fingerprint: String)] = [:]
        for (name, arguments) in [("ed", ["-t", "ed25519"]), ("rsa", ["-t", "rsa", "-b", "2048", "-m", "PEM"]), ("ec", ["-t", "ecdsa", "-m", "PKCS8"])] {
            let made = try Run.process("/usr/bin/ssh-keygen", ["-q", "-N", "", "-C", "test@example.org", "-f", keys.file(name)] + arguments)
            try #require(made.status == 0, "\(made.stderr)")
            let listed = try Run.process("/usr/bin/ssh-keygen", ["-l", "-f", keys.file(name)])
            let fingerprint = try #require(listed.stdout.split(separator: " ").dropFirst().first.map(String.init), "\(listed.stderr)")
            #expect(fingerprint.hasPrefix("SHA256:"))
            expected[name] = (try String(contentsOfFile: keys.file(name), encoding: .utf8), fingerprint)
        }
        let repo = try GitRepo()
        let ec = expected["ec"]!.text.trimmingCharacters(in: .newlines).replacingOccurrences(of: "\n", with: "\\n")
        try repo.commit("keys", ["deploy/id_ed25519": expected["ed"]!.text, "ops/server.pem": expected["rsa"]!.text,
                                 "gcp/sa.json": "{\n  \"private_key\": \"\(ec)\\n\"\n}\n",
                                 "kube/config": "users:\n- name: admin\n  user:\n    client-key-data: \(Data(expected["rsa"]!.text.utf8).base64EncodedString())\n"])
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let cwd = TempDirectory("keysweep-show-cwd")
        var shown: Set<String> = []
        for (name, rule, path) in [("ed", "private-key", "deploy/id_ed25519"), ("rsa", "private-key", "ops/server.pem"),
                                   ("ec", "private-key", "gcp/sa.json"), ("rsa", "kubeconfig-client-key", "kube/config")] {
            // A kubeconfig's key is reported by its own rule, or, when the base64 decoding reveals
            // the PEM inside (for some keys only: see the closing note of stop 28), as the decoded
            // private key; either way `show` must write that key.
            let rules = rule == "kubeconfig-client-key" ? [rule, "private-key"] : [rule]
            let finding = try #require(report.findings.first { rules.contains($0.rule) && $0.occurrences.contains { $0.path == path } }, "\(rule) in \(path) not found")
            // The decoded key is the server.pem finding itself, already shown (its file is never overwritten).
            guard shown.insert(finding.id).inserted else { continue }
            let result = try Keysweep.run(["show", finding.id, repo.path], cwd: cwd.path)
            #expect(result.status == 0, "\(name): \(result.stderr)")
            let file = cwd.file("keysweep-\(finding.id).key")
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name): mode \(String(mode ?? 0, radix: 8))")
            #expect(try String(contentsOfFile: file, encoding: .utf8) == expected[name]!.text, "\(name): the key file is the key")
            #expect(result.stdout.contains("Key file:   ./keysweep-\(finding.id).key (mode 0600)"), "\(name): \(result.stdout)")
            #expect(result.stdout.contains("SSH fingerprint: \(expected[name]!.fingerprint) "), "\(name): \(result.stdout)")
            // ssh-keygen reads the written file and agrees.
            let check = try Run.process("/usr/bin/ssh-keygen", ["-l", "-f", file])
            #expect(check.stdout.contains(expected[name]!.fingerprint), "\(name): \(check.stderr)")
        }

        // --secret: the PEM as found, a line break after it; -o FILE, never over another file.
        let ed = try #require(report.findings.first { $0.first.path == "deploy/id_ed25519" })
        let secret = try Keysweep.run(["show", ed.id, repo.path, "--secret"], cwd: cwd.path)
        #expect(secret.stdoutData == Data((expected["ed"]!.text.trimmingCharacters(in: .newlines) + "\n").utf8))
        let again = try Keysweep.run(["show", ed.id, repo.path], cwd: cwd.path)
        #expect(again.status == 0 && again.stdout.contains("it was there already, the same"), "\(again.stderr)")
        cwd.write("taken", "someone's file\n")
        let taken = try Keysweep.run(["show", ed.id, repo.path, "-o", cwd.file("taken")], cwd: cwd.path)
        #expect(taken.status == 2 && taken.stdout.isEmpty)
        #expect(taken.stderr == "keysweep: \(cwd.file("taken")) exists: not overwritten (remove it, or name another file with -o FILE)\n")
        #expect(try String(contentsOfFile: cwd.file("taken"), encoding: .utf8) == "someone's file\n")
        let named = try Keysweep.run(["show", ed.id, repo.path, "-o", cwd.file("leaked_key")], cwd: cwd.path)
        #expect(named.status == 0, "\(named.stderr)")
        #expect(try String(contentsOfFile: cwd.file("leaked_key"), encoding: .utf8) == expected["ed"]!.text)
        #expect(named.stdout.contains("ssh-keygen -y -f \(cwd.file("leaked_key")) > \(cwd.file("leaked_key")).pub"), "the plan's commands read the file: \(named.stdout)")
    }

    @Test func anEncryptedKeySaysWhyItsFingerprintIsUnknown() throws {
        let keys = TempDirectory("keysweep-show-encrypted")
        let made = try Run.process("/usr/bin/ssh-keygen", ["-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "a passphrase", "-f", keys.file("key")])
        try #require(made.status == 0, "\(made.stderr)")
        let repo = try GitRepo()
        try repo.commit("key", ["id_rsa": try String(contentsOfFile: keys.file("key"), encoding: .utf8)])
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let finding = try #require(report.findings.first { $0.rule == "private-key" })
        let cwd = TempDirectory("keysweep-show-cwd")
        let result = try Keysweep.run(["show", finding.id, repo.path], cwd: cwd.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("SSH fingerprint: unknown, because the key is encrypted with a passphrase"), "\(result.stdout)")
    }

    @Test func whatCannotBeShownIsOneLineAndStatus2() throws {
        let repo = try Self.tokenRepo()
        let out = TempDirectory("keysweep-show-bad")
        let before = try repo.snapshot()
        let scan = try Keysweep.run(["scan", repo.path, "--format", "json", "-o", out.file("report.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        out.write("truncated.json", "{\"version\": 1, \"findings\": [")
        let cases: [([String], String)] = [
            (["show", "0123456789abcdef", "--report", out.file("report.json")], "keysweep: no finding 0123456789abcdef in \(out.file("report.json"))\n"),
            (["show", "0123456789abcdef", repo.path], "keysweep: no finding 0123456789abcdef in \(repo.path)\n"),
            (["show", "0123456789abcdef", "--report", out.file("missing.json")], "keysweep: \(out.file("missing.json")): no such file or directory\n"),
            (["show", "0123456789abcdef", "--report", out.file("truncated.json")], "keysweep: \(out.file("truncated.json")): truncated or malformed JSON (28 bytes; not a complete keysweep report)\n"),
            (["show", "not-an-id", repo.path], "keysweep: 'not-an-id' is not a finding id (the 16 hex digits of `id` in a report or the plan)\n"),
        ]
        for (arguments, message) in cases {
            let result = try Keysweep.run(arguments, cwd: out.path)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr == message, "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
        #expect(try repo.snapshot() == before, "nothing written to the target")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["report.json", "truncated.json"])
    }

    @Test func aRedactedReportSaysToRescan() throws {
        let repo = try Self.tokenRepo()
        let out = TempDirectory("keysweep-show-redacted")
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let id = try Self.id(report, secret: Secrets.githubToken)
        let scan = try Keysweep.run(["scan", repo.path, "--redact", "--format", "json", "-o", out.file("redacted.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        for arguments in [["show", id, "--report", out.file("redacted.json")], ["show", id, "--report", out.file("redacted.json"), "--secret"]] {
            let result = try Keysweep.run(arguments, cwd: out.path)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr == "keysweep: \(out.file("redacted.json")) was written with --redact and does not hold the secret of finding \(id); rescan the target: keysweep show \(id) TARGET\n")
        }
    }

    /// Each row's commands read its own secret with `keysweep show ID --secret`, and each row
    /// names the lines of replacements.txt that hold its secret.
    @Test func planCommandsReadEachRowsSecretAndNameItsReplacementLines() throws {
        let keys = TempDirectory("keysweep-show-plan-key")
        _ = try Run.process("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", keys.file("key")])
        let key = try String(contentsOfFile: keys.file("key"), encoding: .utf8)
        let repo = try Self.tokenRepo()
        try repo.commit("key", ["id_ed25519": key])
        let out = TempDirectory("keysweep-show-plan")
        let scan = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let markdownScan = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.md")])
        #expect(markdownScan.status == 1, "\(markdownScan.stderr)")
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let github = try Self.id(report, secret: Secrets.githubToken), gitlab = try Self.id(report, secret: Self.gitlabToken)
        let pem = try #require(report.findings.first { $0.rule == "private-key" }).id

        let raw = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.file("plan.json")))) as! [String: Any]
        let rows = Dictionary(uniqueKeysWithValues: (raw["rows"] as! [[String: Any]]).map { ($0["finding"] as! String, $0) })
        func commands(_ id: String) -> [String] {
            ((rows[id]?["steps"] as? [[String: Any]]) ?? []).flatMap { $0["commands"] as! [String] }
        }
        #expect(commands(github).contains { $0.contains("[\\\"$(keysweep show \(github) --secret)\\\"]") }, "\(commands(github))")
        #expect(commands(gitlab).contains { $0.contains("-H \"PRIVATE-TOKEN: $(keysweep show \(gitlab) --secret)\"") }, "\(commands(gitlab))")
        #expect(commands(pem).first == "keysweep show \(pem) -o leaked_key")
        for id in [github, gitlab, pem] { #expect(!commands(id).contains { $0.contains("$SECRET") || $0.contains("$FINDING") }) }

        let lines = try String(contentsOfFile: out.file("replacements.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        func numbers(_ id: String) -> [Int] { (rows[id]?["replacement_lines"] as? [Int]) ?? [] }
        #expect(numbers(github).map { lines[$0 - 1] } == ["\(Secrets.githubToken)==>REMOVED"], "\(numbers(github))")
        #expect(numbers(gitlab).map { lines[$0 - 1] } == ["\(Self.gitlabToken)==>REMOVED"], "\(numbers(gitlab))")
        let body = key.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map { "\($0)==>REMOVED" }
        #expect(numbers(pem).map { lines[$0 - 1] } == body, "\(numbers(pem))")
        #expect(Set(numbers(github) + numbers(gitlab) + numbers(pem)).count == lines.count, "every line is some row's")

        let markdown = try String(contentsOfFile: out.file("plan.md"), encoding: .utf8)
        #expect(markdown.contains("- **In `replacements.txt`:** line \(numbers(github)[0])\n"), "\(markdown)")
        #expect(markdown.contains("- **In `replacements.txt`:** lines \(numbers(pem).first!)-\(numbers(pem).last!)\n"))
    }
}
