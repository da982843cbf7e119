import Foundation
import Testing

/// `merge` reads reports made on other machines: every number in them is range-checked, sums
/// are checked for overflow, and a finding's secret must be the one its id was made from.
@Suite struct MergeHostileReportTests {
    /// A real report of standard input holding an AWS key pair, as a JSON object.
    static func report(_ extra: [String] = []) throws -> [String: Any] {
        let result = try Keysweep.run(["scan", "-", "--format", "json"] + extra, stdin: Data(Secrets.credentials().utf8))
        #expect(result.status == 1, "\(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
    }

    /// Writes `object` to `name` in `dir`, with the number 987654321 written as `literal`
    /// (JSONSerialization cannot write 9.3e18 or 1e300 as such).
    static func write(_ object: [String: Any], _ name: String, in dir: TempDirectory, literal: String? = nil) throws -> String {
        var text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        if let literal { text = text.replacingOccurrences(of: "987654321", with: literal) }
        dir.write(name, text)
        return dir.file(name)
    }

    static func with(_ object: [String: Any], stats key: String, _ value: Any) -> [String: Any] {
        var object = object
        var stats = object["stats"] as! [String: Any]
        stats[key] = value
        object["stats"] = stats
        return object
    }

    /// 2^63-1 commits in two reports trapped on the addition (SIGILL).
    @Test func overflowingSumIsAnErrorNamingTheReportAndField() throws {
        let dir = TempDirectory()
        let huge = Self.with(try Self.report(), stats: "commits", Int.max)
        let a = try Self.write(huge, "a.json", in: dir)
        let b = try Self.write(huge, "b.json", in: dir)
        expectOneLineError(try Keysweep.run(["merge", a, b]), containing: "b.json: stats.commits: the sum with the reports before it passes 9223372036854775807")
        let merged = try Keysweep.run(["merge", a, "--format", "json"])
        #expect(merged.status == 1, "one such report is a valid report: \(merged.stderr)")
    }

    /// 9.3e18 or 1e300 (what jq writes for numbers past Int64) made merge take the report's
    /// stats as all 0, silently.
    @Test func numbersPastInt64AreErrors() throws {
        let dir = TempDirectory()
        let base = try Self.report()
        for literal in ["9.3e18", "1e300", "1.5", "-9.3e18"] {
            let path = try Self.write(Self.with(base, stats: "blobs", 987654321), "r.json", in: dir, literal: literal)
            expectOneLineError(try Keysweep.run(["merge", path]), containing: "r.json: malformed report: stats.blobs is out of range or of no known form")
        }
    }

    @Test func negativeCountsAndLinesAreErrors() throws {
        let dir = TempDirectory()
        let base = try Self.report()
        let negative = try Self.write(Self.with(base, stats: "bytes", -1), "neg.json", in: dir)
        expectOneLineError(try Keysweep.run(["merge", negative]), containing: "neg.json: stats.bytes is -1, not a count (0 or more)")
        let forever = try Self.write(Self.with(base, stats: "seconds", 1e300), "forever.json", in: dir)
        expectOneLineError(try Keysweep.run(["merge", forever]), containing: "forever.json: stats.seconds is 1e+300, not a duration")
        var findings = base["findings"] as! [[String: Any]]
        var occurrences = findings[0]["occurrences"] as! [[String: Any]]
        occurrences[0]["line"] = 0
        findings[0]["occurrences"] = occurrences
        var lines = base
        lines["findings"] = findings
        let zero = try Self.write(lines, "zero.json", in: dir)
        expectOneLineError(try Keysweep.run(["merge", zero]), containing: "zero.json: findings.0.occurrences.0.line is 0, not a line number (1 or more)")
        expectOneLineError(try Keysweep.run(["remediate", zero]), containing: "zero.json: findings.0.occurrences.0.line is 0")
    }

    /// `shard.count` -1 trapped; 10^9 allocated gigabytes to list the missing shards.
    @Test func shardNumbersAreRangeChecked() throws {
        let dir = TempDirectory()
        dir.write("t/a.txt", Secrets.credentials())
        let result = try Keysweep.run(["scan", dir.file("t"), "--shard", "0/2", "--format", "json"])
        #expect(result.status <= 1, "\(result.stderr)")
        let shard = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        for (key, value, message) in [("count", -1, "shard.count is -1, not a number of shards from 1 to 100000"),
                                      ("count", 1_000_000_000, "shard.count is 1000000000, not a number of shards from 1 to 100000"),
                                      ("index", 2, "shard.index is 2, not from 0 to 1"),
                                      ("planned", -3, "shard.planned is -3, not a count")] {
            var edited = shard
            var record = edited["shard"] as! [String: Any]
            record[key] = value
            edited["shard"] = record
            let path = try Self.write(edited, "s.json", in: dir)
            expectOneLineError(try Keysweep.run(["merge", path, "--allow-partial"]), containing: "s.json: \(message)")
        }
    }

    /// One report's secret edited under a real id replaced the real secret in the merged report.
    @Test func aSecretThatIsNotItsIdsIsRefused() throws {
        let dir = TempDirectory()
        let real = try Self.report()
        let good = try Self.write(real, "good.json", in: dir)
        var findings = real["findings"] as! [[String: Any]]
        let index = try #require(findings.firstIndex { $0["secret"] as? String == Secrets.keyID })
        let id = try #require(findings[index]["id"] as? String)
        findings[index]["secret"] = "AKIAIOSFODNN7FORGED1"
        var forged = real
        forged["findings"] = findings
        let bad = try Self.write(forged, "bad.json", in: dir)
        let output = dir.file("merged.json")
        expectOneLineError(try Keysweep.run(["merge", bad, good, "-o", output]),
                           containing: "bad.json: finding \(id) (rule aws-access-key-id): its secret is not the one its id was made from")
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A redacted report has no whole secret to check: merged on ids, and the whole secret of
    /// another report replaces the redacted form whichever comes first.
    @Test func redactedReportsMergeOnTheirIds() throws {
        let dir = TempDirectory()
        let redacted = try Self.write(try Self.report(["--redact"]), "redacted.json", in: dir)
        let whole = try Self.write(try Self.report(), "whole.json", in: dir)
        for order in [[redacted, whole], [whole, redacted]] {
            let merged = try Keysweep.run(["merge"] + order + ["--format", "json"])
            #expect(merged.status == 1, "\(merged.stderr)")
            let report = try JSONDecoder().decode(Report.self, from: merged.stdoutData)
            #expect(report.finding(secret: Secrets.keyID) != nil, "\(merged.stdout)")
            #expect(!merged.stdout.contains("…"))
        }
        let alone = try Keysweep.run(["merge", redacted, "--format", "json"])
        #expect(alone.status == 1, "\(alone.stderr)")
        #expect(alone.stdout.contains(Secrets.keyID), "a key id is not secret")
        #expect(!alone.stdout.contains(Secrets.secretKey))
    }
}
