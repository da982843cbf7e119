import Foundation
import Testing
@testable import KeySweep

/// What a limit or a budget drops is counted and said, never silent; ordinary content never
/// exhausts a budget; a budget that runs out marks the scan incomplete (exit 2 unless
/// `--allow-incomplete`); no limit set for one source takes from the next.
@Suite struct LimitsAndBudgetsTests {
    /// The binary, killed after `seconds` (so a regression that hangs fails instead of stalling the suite).
    static func run(_ arguments: [String], stdin: Data? = nil, seconds: Int = 300) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = Keysweep.stateHome
        return try Run.process("/usr/bin/timeout", ["-s", "KILL", "\(seconds)", Keysweep.binary] + arguments,
                               stdin: stdin, environment: environment)
    }

    static func report(_ result: ProcessResult) throws -> Report {
        guard let report = try? JSONDecoder().decode(Report.self, from: result.stdoutData) else {
            throw TestFailure("no JSON report (status \(result.status)): \(result.stderr.prefix(2000))")
        }
        return report
    }

    /// `HoldLimits.heldMatches` is one source's: a key in the last of many repositories is found
    /// although the ones before held more than the limit between them.
    @Test func theHeldLimitIsPerSourceNotPerScan() throws {
        var repos: [GitRepo] = []
        for seed in 0..<4 {
            let repo = try GitRepo()
            try repo.commit("keys \(seed)", ["ids.txt": HoldLimitsTests.lines(HoldLimitsTests.keyIDs(100, seed: UInt64(20 + seed)))])
            repos.append(repo)
        }
        let last = try GitRepo()
        try last.commit("creds", ["creds.ini": Secrets.credentials()])
        repos.append(last)
        let result = try HoldLimitsTests.scan(repos.map(\.path)) { $0.heldMatches = 150 }
        #expect(result.findings.contains { $0.secret == Secrets.keyID }, "\(result.warnings)")
        #expect(result.findings.filter { $0.rule.id == "aws-access-key-id" }.count == 401)
        #expect(result.stats.omittedMatches == 0)
    }

    /// 10,001 copies of the documentation's example key, then a real one: the decoys fill the
    /// content's limit, the real key takes a decoy's place, and the decoys past it are counted.
    @Test func decoysPastTheContentLimitDoNotHideTheKeyAfterThem() throws {
        let decoys = String(repeating: "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n", count: 10_001)
        let text = decoys + Secrets.credentials()
        let result = try Self.run(["scan", "-", "--format", "json", "--include-placeholders"], stdin: Data(text.utf8))
        #expect(result.status == 1, "\(result.stderr)")
        let report = try Self.report(result)
        #expect(report.finding(secret: Secrets.keyID) != nil, "\(result.stderr.prefix(1000))")
        #expect(report.finding(secret: Secrets.secretKey) != nil)
        #expect((report.stats.omitted_matches ?? 0) >= 1)
        #expect(report.stats.incomplete ?? 0 == 0)
    }

    /// 300,000 distinct ids on standard input: what the per-content limit (10,000 per rule and
    /// chunk) and the findings limit (100,000) drop is counted, and the first line says so.
    @Test func everyMatchALimitDropsIsCounted() throws {
        let ids = HoldLimitsTests.keyIDs(300_000, seed: 99)
        let text = HoldLimitsTests.lines(ids)
        let result = try Self.run(["scan", "-", "--format", "json"], stdin: Data(text.utf8))
        #expect(result.status == 1, "\(result.stderr.prefix(1000))")
        let report = try Self.report(result)
        let kept = report.findings.count
        let omitted = report.stats.omitted_matches ?? 0
        // Each id is one match; a match in the overlap of two chunks is seen twice (kept once).
        #expect(kept + omitted >= 300_000, "kept \(kept), omitted \(omitted)")
        #expect(kept + omitted <= 300_000 + 10_000, "kept \(kept), omitted \(omitted)")
        let plain = try Self.run(["scan", "-", "--no-color"], stdin: Data(text.utf8))
        let first = plain.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(first.contains("past keysweep's limits counted, not kept"), "\(first)")
    }

    /// Ordinary content never spends a budget: 20,000 URLs without a password in 1.2 MB of
    /// minified JSON (url-password's look-ahead read each to the end of the line), then a URL
    /// with one, which must be found.
    @Test func ordinaryURLsDoNotSpendURLPasswordsBudget() throws {
        var json = "{\"links\":["
        for n in 0..<20_000 { json += "\"http://localhost:8080/api/v1/items/\(n)?expand=owner\"," }
        json += "\"git remote add origin https://jdoe:ghx8Rk2mQw@gitlab.acme.io/acme/app.git\"]}"
        let dir = TempDirectory()
        dir.write("links.json", json)
        let result = try Self.run(["scan", dir.path, "--format", "json"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("time budget"), "\(result.stderr)")
        let report = try Self.report(result)
        #expect(report.findings.contains { $0.rule == "url-password" && $0.secret == "ghx8Rk2mQw" })
        #expect(report.stats.incomplete ?? 0 == 0)
    }

    /// `https://user:` repeated (each `://` 13 bytes apart, so the keyword windows merge into
    /// one range): linear now, and no budget runs out.
    @Test func repeatedSchemeAndUserIsLinear() throws {
        let text = String(repeating: "https://user:", count: 80_660)
        let result = try Self.run(["scan", "-", "--jobs", "1", "--format", "json"], stdin: Data(text.utf8), seconds: 120)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try Self.report(result).stats.incomplete ?? 0 == 0)
    }

    /// A rule whose cost is quadratic, given with --patterns, over keywords close enough that
    /// their windows merge into one range: its budget holds inside that range, the rule stops,
    /// and the scan says it is incomplete (exit 2, or 0 with --allow-incomplete).
    @Test func aBudgetThatRunsOutMakesTheScanIncomplete() throws {
        let dir = TempDirectory()
        dir.write("rules/slow.toml", """
            [[rule]]
            id = "slow-rule"
            regex = '''k:(?![^@]*zz)(?<secret>[a-z]{8})@'''
            keywords = ["k:"]
            keyword_window = 0
            examples = ["k:abcdefgh@"]
            """)
        dir.write("input.txt", String(repeating: "k:", count: 2_000_000))
        let result = try Self.run(["scan", dir.file("input.txt"), "--patterns", dir.file("rules"), "--format", "json"], seconds: 240)
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("rule 'slow-rule' ran out of its time budget"), "\(result.stderr)")
        #expect(try Self.report(result).stats.incomplete == 1)
        let text = try Self.run(["scan", dir.file("input.txt"), "--patterns", dir.file("rules"), "--no-color"], seconds: 240)
        #expect(text.stdout.hasPrefix("no secrets found — INCOMPLETE: a rule stopped before the end of 1 content"), "\(text.stdout.prefix(300))")
        let allowed = try Self.run(["scan", dir.file("input.txt"), "--patterns", dir.file("rules"), "--allow-incomplete", "--format", "json",
                                    "-o", dir.file("incomplete.json")], seconds: 240)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        // A merge of an incomplete report is incomplete: it says so and exits 2, or 0 when allowed.
        let merged = try Self.run(["merge", dir.file("incomplete.json"), "--patterns", dir.file("rules"), "--format", "json"])
        #expect(merged.status == 2, "\(merged.stderr)")
        #expect(try Self.report(merged).stats.incomplete == 1)
        let mergedAllowed = try Self.run(["merge", dir.file("incomplete.json"), "--patterns", dir.file("rules"), "--allow-incomplete", "-o", "/dev/null"])
        #expect(mergedAllowed.status == 0, "\(mergedAllowed.stderr)")
    }

    /// Context words (`context = ["appsync"]`) are looked for once per content, not once per
    /// candidate: 2,000 AppSync-shaped ids in 1 MB of code without the word cost about what the
    /// code alone costs (each id searched the whole content: 2 GB of searching).
    @Test func contextWordsAreSearchedOncePerContent() throws {
        var rng = SplitMix64(seed: 5)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var code = ""
        while code.utf8.count < 1 << 20 { code += "    let value = compute(input, options: defaults) // keeps the cache warm\n" }
        var withIDs = code
        for _ in 0..<2_000 { withIDs += "key: da2-" + String((0..<26).map { _ in alphabet[rng.below(alphabet.count)] }) + "\n" }
        let scanner = ContentScanner(rules: HoldLimitsTests.rules, options: ScanOptions())
        let plain = Array(code.utf8), dense = Array(withIDs.utf8)
        let base = max(ThreadClock.best(of: 3) { _ = plain.withUnsafeBytes { scanner.detect(in: $0) } }, 1e-3)
        let cost = ThreadClock.best(of: 3) { _ = dense.withUnsafeBytes { scanner.detect(in: $0) } }
        #expect(cost / base < 20, "2,000 candidates without their context word cost \(cost / base)x the code alone")
    }
}
