import Foundation
import Testing
@testable import KeySweep

/// The text report of the built binary on a fixed repository (`ReportFixture`): the whole
/// output compared with a snapshot (the scan's time masked), then each mode's secrets.
@Suite struct TextReportTests {
    /// The figures that change from run to run.
    static func masked(_ text: String) -> String {
        text.replacingOccurrences(of: #"[0-9.]+ MB in [0-9.]+ s"#, with: "X MB in Y s", options: .regularExpression)
    }

    @Test func snapshotOfTheDefaultReport() throws {
        let repo = try ReportFixture.repository()
        let result = try Keysweep.run(["scan", repo.path, "--no-color"])
        #expect(result.status == 1, "\(result.stderr)")
        try Self.compare(Self.masked(result.stdout), snapshot: "text-report.txt")
    }

    /// Compares with `Tests/KeySweepTests/Snapshots/NAME`; `KEYSWEEP_UPDATE_SNAPSHOTS=1` rewrites it.
    static func compare(_ actual: String, snapshot name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)").path
        if ProcessInfo.processInfo.environment["KEYSWEEP_UPDATE_SNAPSHOTS"] == "1" {
            try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "differs from \(path) (KEYSWEEP_UPDATE_SNAPSHOTS=1 rewrites it):\n\(actual)", sourceLocation: sourceLocation)
    }

    @Test func secretsShortenedRedactedOrShown() throws {
        let repo = try ReportFixture.repository()
        // Default: short secrets whole, the 418-character token shortened, the PEM block as header and fingerprint.
        let plain = try Keysweep.run(["scan", repo.path]).stdout
        #expect(plain.contains("aws-access-key-id  \(Secrets.keyID)  [high]"))
        #expect(plain.contains("IQoJ…(418 chars)"))
        #expect(!plain.contains(ReportFixture.sessionToken))
        #expect(plain.contains("-----BEGIN RSA PRIVATE KEY----- (1.7 KB, sha256:"))
        #expect(!plain.contains("MIIEowIBAAKCAQEA"), "no line of the key body")

        // --redact: recognisable, nothing usable.
        let redacted = try Keysweep.run(["scan", repo.path, "--redact"]).stdout
        #expect(redacted.contains("aws-access-key-id  \(Secrets.keyID)  [high]"), "a key id is not secret")
        #expect(redacted.contains("-----BEGIN RSA PRIVATE KEY----- …(1.7 KB)"))
        #expect(redacted.contains("IQoJ…"))
        for secret in [Secrets.secretKey, Secrets.githubToken, ReportFixture.sessionToken, "MIIEowIBAAKCAQEA"] {
            #expect(!redacted.contains(secret), "\(secret) in the redacted report")
        }

        // --show-secrets: all of it, once per finding.
        let shown = try Keysweep.run(["scan", repo.path, "--show-secrets"]).stdout
        #expect(shown.components(separatedBy: ReportFixture.sessionToken).count == 2)
        #expect(shown.contains(ReportFixture.pem.split(separator: "\n")[5]))

        // Both at once is a mistake, said in one line.
        let both = try Keysweep.run(["scan", repo.path, "--redact", "--show-secrets"])
        #expect(both.status == 2)
        #expect(both.stderr.contains("--redact and --show-secrets cannot be used together"))
        #expect(both.stderr.split(separator: "\n").count == 1, "one line: \(both.stderr)")
    }

    /// The id printed is the one `keysweep ignore` takes: ignoring it removes that finding.
    @Test func printedIDIsTheOneIgnoreTakes() throws {
        let repo = try ReportFixture.repository()
        let before = try Keysweep.run(["scan", repo.path, "--no-color"]).stdout
        let line = try #require(before.split(separator: "\n").first { $0.hasPrefix("github-") })
        let id = try #require(line.components(separatedBy: "  id ").last)
        #expect(id.count == 16)
        let ignored = try Keysweep.run(["ignore", id, repo.path, "--reason", "test token"])
        #expect(ignored.status == 0, "\(ignored.stderr)")
        let after = try Keysweep.run(["scan", repo.path]).stdout
        #expect(!after.contains("id \(id)"))
        #expect(after.contains("1 suppressed"))
    }

    /// With -o the report goes to the file and the answer to the terminal (standard error).
    @Test func summaryOnStandardErrorWithOutputFile() throws {
        let repo = try ReportFixture.repository()
        let out = TempDirectory()
        for format in ["text", "json", "html"] {
            let result = try Keysweep.run(["scan", repo.path, "--format", format, "-o", out.file("report.\(format)")])
            #expect(result.status == 1)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("keysweep: 2 AWS keys leaked, 2 complete credentials (not verified: add --verify); 2 other secrets (Private keys, GitHub)\n"), "\(result.stderr)")
            #expect(result.stderr.contains("scanned 4 commits"))
            #expect(result.stderr.contains("report written to \(out.file("report.\(format)"))"))
        }
    }

    @Test func pluralsAndNothingFound() throws {
        let dir = TempDirectory()
        dir.write("clean/readme.txt", "nothing here\n")
        let clean = try Keysweep.run(["scan", dir.file("clean")])
        #expect(clean.status == 0)
        #expect(clean.stdout.hasPrefix("no secrets found\n"))
        #expect(clean.stdout.contains("scanned 1 file,"), "\(clean.stdout)")
        #expect(!clean.stdout.contains("1 files"))

        dir.write("one/creds", Secrets.credentials())
        let one = try Keysweep.run(["scan", dir.file("one")]).stdout
        #expect(one.hasPrefix("1 AWS key leaked, 1 complete credential (not verified: add --verify)\n"), "\(one)")
        #expect(one.contains("seen 1 time:"))
        #expect(one.contains("2 findings (2 high) · scanned 1 file,"))
    }

    /// Progress on a terminal (a pseudo-terminal made by `script`): the phase, the total once
    /// the walk is done, a percentage.
    @Test func progressShowsPhaseTotalAndPercentage() throws {
        let repo = try ReportFixture.repository()
        let command = "\(Keysweep.binary) scan \(repo.path) -o /dev/null"
        let result = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"],
                                     environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": Keysweep.stateHome]) { _, b in b })
        #expect(result.stdout.contains("scanning: "), "\(result.stdout)")
        #expect(result.stdout.range(of: #"scanning: [0-9,]+/[0-9,]+ blobs \([0-9]+%\)"#, options: .regularExpression) != nil, "\(result.stdout)")
        #expect(result.stdout.contains("walking history"))
    }

    /// The total counts blobs, not the commit messages scanned beside them: 3,000 commits of one
    /// new blob each showed 6,000 blobs.
    @Test func progressTotalCountsBlobsNotMessages() throws {
        let repo = try GitRepo()
        var stream = ""
        for n in 0..<3_000 {
            let message = "change \(n)\n", value = "value \(n)\n"
            stream += "commit refs/heads/main\ncommitter A <a@example.org> \(1_700_000_000 + n) +0000\ndata \(message.utf8.count)\n\(message)"
            stream += "M 100644 inline f\(n).txt\ndata \(value.utf8.count)\n\(value)\n"
        }
        let imported = try Run.process("/usr/bin/git", ["-C", repo.path, "fast-import", "--quiet"], stdin: Data(stream.utf8))
        #expect(imported.status == 0, "\(imported.stderr)")
        let command = "\(Keysweep.binary) scan \(repo.path) --no-worktree -o /dev/null"
        let result = try Run.process("/usr/bin/script", ["-qec", command, "/dev/null"],
                                     environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": Keysweep.stateHome]) { _, b in b })
        let totals = result.stdout.matches(of: /scanning: [0-9,]+\/([0-9,]+) blobs/).map { String($0.1) }
        #expect(!totals.isEmpty, "\(result.stdout.suffix(500))")
        #expect(totals.allSatisfy { $0 == "3,000" }, "\(Set(totals))")
    }

    /// The forms of a secret: recognisable when redacted, readable when shortened.
    @Test func redactionForms() throws {
        #expect(Redaction.redact("AKIAZAVB57H55F3T4BKH") == "AKIA…4BKH")
        #expect(Redaction.redact("abcdefghijklmn") == "ab…mn")
        #expect(Redaction.redact("short") == "*****")
        #expect(Redaction.redact(ReportFixture.pem) == "-----BEGIN RSA PRIVATE KEY----- …(1.7 KB)")
        let escaped = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\n-----END PRIVATE KEY-----\\n"
        #expect(Redaction.redact(escaped) == "-----BEGIN PRIVATE KEY----- …(\(escaped.utf8.count) B)")
        #expect(Redaction.shorten(ReportFixture.sessionToken) == "IQoJ…(418 chars)")
        #expect(Redaction.shorten(Secrets.secretKey) == Secrets.secretKey)
        #expect(Redaction.shorten(ReportFixture.pem).hasPrefix("-----BEGIN RSA PRIVATE KEY----- (1.7 KB, sha256:"))
        #expect(!Redaction.redact("ab\ncdefghijklmnopqrstuvwxyz").contains("\n"), "one line")
    }

    /// Before the total is known: counts only; after: the share done and, a little way in, the time left.
    @Test func progressLineWording() throws {
        let walking = ProgressLine(phase: .walking, unit: "blobs", commits: 1, queued: 1200, scanned: 800, total: nil, bytes: 5_000_000, elapsed: 2)
        #expect(walking.text == "walking history: 1 commit, 1,200 blobs queued, 800 scanned, 2.5 MB/s")
        let scanning = ProgressLine(phase: .scanning, unit: "blobs", commits: 10, queued: 4000, scanned: 1000, total: 4000, bytes: 10_000_000, elapsed: 5)
        #expect(scanning.text == "scanning: 1,000/4,000 blobs (25%), 2.0 MB/s, about 15 s left")
        let early = ProgressLine(phase: .scanning, unit: "files", commits: 0, queued: 10, scanned: 0, total: 10, bytes: 0, elapsed: 0.1)
        #expect(early.text == "scanning: 0/10 files (0%), 0.0 MB/s")
        #expect(ProgressLine.duration(125) == "2 min 5 s")
        #expect(ProgressLine.duration(3700) == "1 h 1 min")
    }

    /// A refused connection reads as a sentence, not a dump of NIO's error value.
    @Test func verificationNetworkErrorIsReadable() throws {
        let dir = TempDirectory()
        dir.write("in/creds", Secrets.credentials())
        let port = try MotoServer.freePort()
        let result = try Keysweep.run(["scan", dir.file("in"), "--verify", "--sts-endpoint", "http://127.0.0.1:\(port)"],
                                      environment: ["AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_STS": ""])
        #expect(result.stdout.contains("verdict:  unverified (cannot connect to 127.0.0.1:\(port): connection refused)"), "\(result.stdout)")
        #expect(!result.stdout.contains("NIOConnectionError"))
        #expect(!result.stdout.contains("connectionErrors"))
    }
}
