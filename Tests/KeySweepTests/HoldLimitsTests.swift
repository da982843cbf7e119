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
