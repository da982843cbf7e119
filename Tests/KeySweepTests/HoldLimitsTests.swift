import Foundation
import Testing
@testable import KeySweep

/// No input makes a scan hold an unbounded number of matches: past each of `HoldLimits` what
/// is found is counted, reported and named in a warning, never silently dropped.
@Suite struct HoldLimitsTests {
    static let rules = try! RuleSet.builtIn()

    /// `count` distinct, well-formed AWS key ids.
    static func keyIDs(_ count: Int, seed: UInt64 = 7) -> [String] {
        var random = SplitMix64(seed: seed)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return (0..<count).map { _ in "AKIA" + String((0..<16).map { _ in alphabet[random.below(alphabet.count)] }) }
    }

    static func lines(_ ids: [String]) -> String { ids.map { "aws_access_key_id = \($0)\n" }.joined() }

    static func scan(_ targets: [String], _ limits: (inout HoldLimits) -> Void) throws -> ScanResult {
        var options = ScanOptions()
        options.jobs = 1
        limits(&options.limits)
        return try Scanner(rules: rules, options: options).scan(targets)
    }

    @Test func secretsPastTheFindingLimitAreCountedNotKept() throws {
        let dir = TempDirectory()
        dir.write("keys.txt", Self.lines(Self.keyIDs(500)))
        let result = try Self.scan([dir.path]) { $0.findings = 50 }
        #expect(result.findings.count == 50)
        #expect(result.stats.omittedMatches == 450)
        #expect(result.warnings.contains { $0.contains("450 sightings of secrets past the first 50 distinct ones") }, "\(result.warnings)")
    }

    @Test func matchesPastTheContentLimitAreNamedWithTheContent() throws {
        let dir = TempDirectory()
        dir.write("dump.txt", Self.lines(Self.keyIDs(500)))
        dir.write("other.txt", Secrets.credentials())
        let result = try Self.scan([dir.path]) { $0.matchesPerContent = 100 }
        #expect(result.findings.filter { $0.rule.id == "aws-access-key-id" }.count == 101)
        #expect(result.warnings.contains { $0.contains("dump.txt") && $0.contains("rule 'aws-access-key-id' reached the most matches kept from one content") },
                "\(result.warnings)")
    }

    @Test func matchesPastTheHeldLimitAreCounted() throws {
        let dir = TempDirectory()
        dir.write("a.txt", Self.lines(Self.keyIDs(100, seed: 1)))
        dir.write("b.txt", Self.lines(Self.keyIDs(100, seed: 2)))
        let result = try Self.scan([dir.path]) { $0.heldMatches = 120 }
        #expect(result.findings.count == 120)
        #expect(result.stats.omittedMatches == 80)
        #expect(result.warnings.contains { $0.contains("80 matches were counted, not kept") }, "\(result.warnings)")
    }

    /// A secret in every commit keeps its earliest occurrences, so its first commit stays right.
    @Test func occurrencesPastTheLimitKeepTheEarliest() throws {
        let repo = try GitRepo()
        var commits: [String] = []
        for index in 0..<10 {
            commits.append(try repo.commit("copy \(index)", ["config\(index).ini": Secrets.credentials()]))
        }
        let result = try Self.scan([repo.path]) { $0.occurrencesPerFinding = 3 }
        let finding = try #require(result.findings.first { $0.secret == Secrets.keyID })
        #expect(finding.occurrences.count == 3)
        #expect(finding.omittedOccurrences == 7)
        #expect(finding.first.commit?.id == commits[0])
        #expect(finding.occurrences.map { $0.commit?.id } == Array(commits.prefix(3)))
        let json = try JSONReport(options: ReportOptions()).render(result)
        #expect(json.contains("\"occurrences_omitted\" : 7"))
        #expect(result.warnings.contains { $0.contains("occur more than 3 times; the earliest 3 of each are listed") }, "\(result.warnings)")
    }

    /// Peak resident memory of `keysweep scan - ARGS` reading `input`, in KiB (`/usr/bin/time`).
    static func peakKiB(stdin input: Data, _ arguments: [String]) throws -> (ProcessResult, Int) {
        let result = try Run.process("/usr/bin/time", ["-f", "peak %M KiB", Keysweep.binary, "scan", "-"] + arguments, stdin: input)
        let line = result.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") }
        guard let peak = line.flatMap({ Int($0.split(separator: " ")[1]) }) else { throw TestFailure("no peak in: \(result.stderr.suffix(500))") }
        return (result, peak)
    }

    /// One million distinct key ids on standard input: 100,000 findings, each copied into the
    /// report's groupings. A finding held inline cost about 6 KB of peak memory each (654 MB
    /// in a debug build); boxed, the peak is 300 MB in all.
    @Test func millionDistinctKeyIDsStayUnder400MB() throws {
        let input = Data(Self.keyIDs(1_000_000, seed: 13).joined(separator: "\n").utf8)
        for format in ["text", "json"] {
            let (result, peak) = try Self.peakKiB(stdin: input, ["--format", format, "-o", "/dev/null"])
            #expect(result.status == 1, "\(result.stderr.suffix(500))")
            #expect(peak < 400 * 1024, "\(format): peak RSS \(peak) KiB")
        }
    }

    /// A session token of `bytes` random bytes in base64 (`IQoJb3JpZ2luX2Vj…`).
    static func sessionToken(bytes: Int, seed: UInt64) -> String {
        var random = SplitMix64(seed: seed)
        var data = Data(count: bytes)
        for i in 0..<bytes { data[i] = UInt8(truncatingIfNeeded: random.next()) }
        return "IQoJb3JpZ2luX2Vj" + data.base64EncodedString()
    }

    /// A secret longer than 8 KiB is held as its start, length and digest: its finding id and
    /// the id its key id names as paired are those of the whole secret, the JSON report says it
    /// is truncated, and the redacted and shortened forms are those of the whole.
    @Test func longSecretsAreHeldCutWithTheirIDs() throws {
        let token = Self.sessionToken(bytes: 30_000, seed: 21)
        let dir = TempDirectory()
        dir.write("creds.ini", "aws_access_key_id = ASIAQ3EGRHQ5MXL7ZB6D\naws_secret_access_key = \(Secrets.secretKey)\naws_session_token = \(token)\n")
        let expectedID = Fingerprint.findingID(rule: "aws-session-token", secret: token)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        let held = try #require(report.findings(rule: "aws-session-token").first)
        #expect(held.id == expectedID)
        #expect(held.secret.hasPrefix(String(token.prefix(64)) + "…(\(token.count) chars, sha256:"))
        #expect(held.secret.count < 200)
        #expect(report.findings(rule: "aws-access-key-id").first?.aws?.paired_token == expectedID)
        let json = try Keysweep.run(["scan", dir.path, "--format", "json"]).stdout
        #expect(json.contains("\"secret_truncated\" : true") && json.contains("\"secret_length\" : \(token.count)"))
        let redacted = try Keysweep.run(["scan", dir.path, "--redact"]).stdout
        #expect(redacted.contains("aws-session-token  \(Redaction.redact(token))  [high]"), "\(redacted)")
        let text = try Keysweep.run(["scan", dir.path]).stdout
        #expect(text.contains("aws-session-token  \(Redaction.shorten(token))  [high]"), "\(text)")
        // Read back, a report keeps it cut; its credential is never sent to STS cut.
        let path = dir.file("report.json")
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        let loaded = try ScanResult.load(jsonReportAt: path)
        #expect(loaded.findings.first { $0.rule.id == "aws-session-token" }?.secretCut?.characters == token.count)
        #expect(try JSONReport(options: ReportOptions()).render(loaded).contains("\"secret_truncated\" : true"))
        let credential = try #require(CredentialGrouping(loaded.findings).credentials.first)
        #expect(RemediationPlanner.shouldVerify(credential)?.contains("kept only in part") == true)
        // Acknowledged by its id, it is named redacted as the whole, and no longer reported.
        try FileManager.default.removeItem(atPath: path)
        let ignored = try Keysweep.run(["ignore", expectedID, dir.path, "--reason", "test"])
        #expect(ignored.stderr.contains("ignoring aws-session-token \(Redaction.redact(token)) (finding \(expectedID))"), "\(ignored.stderr)")
        #expect(try Keysweep.scanJSON([dir.path]).1.findings(rule: "aws-session-token").isEmpty)
    }

    /// 120 session tokens of 1 MB on standard input (126 MB): each finding holds 150 bytes of
    /// its secret, not 1 MB, so the peak stays near the chunks' memory (it followed the input:
    /// 600 tokens peaked at 688 MB).
    @Test func longSecretsDoNotHoldTheirSize() throws {
        var input = Data()
        for index in 0..<120 { input += Data("aws_session_token = \(Self.sessionToken(bytes: 786_432, seed: UInt64(index)))\n".utf8) }
        let (result, peak) = try Self.peakKiB(stdin: input, ["--format", "json", "-o", "/dev/null"])
        #expect(result.status == 1, "\(result.stderr.suffix(500))")
        #expect(peak < 120 * 1024, "peak RSS \(peak) KiB")
    }

    @Test func nearestPartAgreesWithALinearScan() {
        var random = SplitMix64(seed: 11)
        for _ in 0..<200 {
            let candidates = (0..<random.below(30)).map { index in (offset: random.below(200), value: "v\(index)") }
            let nearest = NearestPart(candidates)
            for origin in stride(from: -5, through: 205, by: 7) {
                let linear = candidates.min { abs($0.offset - origin) < abs($1.offset - origin) }
                let found = nearest.nearest(to: origin)
                #expect(found?.offset == linear?.offset && found?.value == linear?.value, "origin \(origin) in \(candidates)")
            }
        }
    }
}
