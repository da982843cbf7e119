import Foundation
import Testing

/// `scan --shard I/N` and `keysweep merge`, end to end with the built binary on real
/// repositories: the merged report of N shards equals the report of one process scanning
/// everything, finding for finding and occurrence for occurrence, for target shards and for blob
/// shards of one repository; and every bad input is one line, status 2.
@Suite(.serialized) struct ShardMergeTests {
    /// Keys that legitimately differ between one process and a merge of shards: the time taken,
    /// which shard a report is, and the list of the reports merged.
    static func normalized(_ data: Data) throws -> String {
        guard var top = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw TestFailure("no JSON object") }
        top["shard"] = nil
        top["merged"] = nil
        if var stats = top["stats"] as? [String: Any] { stats["seconds"] = nil; top["stats"] = stats }
        let out = try JSONSerialization.data(withJSONObject: top, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: out, as: UTF8.self)
    }

    /// Where two texts first differ, for a readable failure.
    static func firstDifference(_ a: String, _ b: String) -> String {
        let la = a.split(separator: "\n", omittingEmptySubsequences: false), lb = b.split(separator: "\n", omittingEmptySubsequences: false)
        for i in 0..<max(la.count, lb.count) where i >= la.count || i >= lb.count || la[i] != lb[i] {
            let from = max(0, i - 3)
            return "line \(i):\n one: \(la[from..<min(la.count, i + 3)].joined(separator: "\n"))\n merged: \(lb[from..<min(lb.count, i + 3)].joined(separator: "\n"))"
        }
        return "equal"
    }

    /// A generic secret of 32 hex digits, deterministic.
    static func token(_ rng: inout SplitMix64) -> String {
        String(format: "%016llx%016llx", rng.next(), rng.next())
    }

    /// A repository with secrets added, copied, removed, on a side branch, in a commit message
    /// and in an annotated tag; `shared` secrets also occur in the other repositories.
    static func repository(seed: UInt64, commits: Int, shared: [String], aws: Bool) throws -> GitRepo {
        var rng = SplitMix64(seed: seed)
        let repo = try GitRepo()
        try repo.commit("readme", ["README.md": "hello \(seed)\n"])
        var kept: [String] = []
        for c in 0..<commits {
            var files: [String: String] = [:]
            for f in 0..<(1 + rng.below(3)) {
                var lines = ["# file \(c) \(f)"]
                for _ in 0..<(1 + rng.below(3)) {
                    let secret = rng.below(3) == 0 && !kept.isEmpty ? kept[rng.below(kept.count)] : token(&rng)
                    kept.append(secret)
                    lines.append("api_key = \(secret)")
                }
                if rng.below(4) == 0 { lines.append("shared_token = \(shared[rng.below(shared.count)])") }
                files["src/part\(rng.below(12)).env"] = lines.joined(separator: "\n") + "\n"
            }
            if aws && c == commits / 2 { files["config/creds.ini"] = Secrets.credentials() }
            let message = c == 1 ? "rotate\n\nold access_token = \(token(&rng))" : "change \(c)"
            try repo.commit(message, files, remove: aws && c == commits / 2 + 2 ? ["config/creds.ini"] : [])
        }
        try repo.git(["checkout", "-q", "-b", "feature"])
        try repo.commit("feature", ["feature.env": "secret_token = \(token(&rng))\napi_key = \(kept[0])\n"])
        try repo.git(["tag", "-a", "v1", "-m", "release\n\nsigning_key = \(token(&rng))"])
        try repo.git(["checkout", "-q", "main"])
        return repo
    }

    /// Scans `targets` once, then as N shards merged; expects the merged report to equal the one.
    static func expectShardsEqualOne(_ targets: [String], shardBy: String, counts: [Int], in dir: TempDirectory) throws {
        let one = try Keysweep.run(["scan"] + targets + ["--format", "json", "-o", dir.file("one.json")])
        #expect(one.status == 1, "\(one.stderr)")
        let oneData = try Data(contentsOf: URL(fileURLWithPath: dir.file("one.json")))
        let expected = try normalized(oneData)
        let oneReport = try JSONDecoder().decode(Report.self, from: oneData)
        #expect(oneReport.findings.count >= 10)
        for n in counts {
            var reports: [String] = []
            var shardFindings: [Int] = []
            var blobs = 0
            for i in 0..<n {
                let file = dir.file("shard-\(n)-\(i).json")
                let result = try Keysweep.run(["scan"] + targets + ["--shard", "\(i)/\(n)", "--shard-by", shardBy, "--format", "json", "-o", file])
                #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
                let report = try JSONDecoder().decode(Report.self, from: try Data(contentsOf: URL(fileURLWithPath: file)))
                shardFindings.append(report.findings.count)
                blobs += report.stats.blobs
                reports.append(file)
            }
            // The work was split: no shard alone found everything, and the blobs add up.
            // (Targets fall to shards by their temporary paths' hash: now and then all to one.)
            if n > 1 && shardFindings.filter({ $0 > 0 }).count > 1 {
                #expect(shardFindings.allSatisfy { $0 < oneReport.findings.count }, "\(shardFindings)")
            }
            #expect(shardFindings.reduce(0, +) >= oneReport.findings.count, "\(shardFindings)")
            #expect(blobs == oneReport.stats.blobs)
            let merged = dir.file("merged-\(n).json")
            // Given in reverse order: the order of the inputs does not matter.
            let merge = try Keysweep.run(["merge"] + reports.reversed() + ["--format", "json", "-o", merged])
            #expect(merge.status == 1, "\(merge.stderr)")
            // With -o, only the answer, the figures and where the report went: no warning.
            #expect(!merge.stderr.contains("warning"), "\(merge.stderr)")
            #expect(merge.stderr.contains("keysweep: report written to \(merged)"), "\(merge.stderr)")
            let mergedData = try Data(contentsOf: URL(fileURLWithPath: merged))
            let actual = try normalized(mergedData)
            #expect(actual == expected, "N = \(n), \(shardBy): \(firstDifference(expected, actual))")
            let top = try JSONSerialization.jsonObject(with: mergedData) as? [String: Any]
            #expect((top?["merged"] as? [[String: Any]])?.count == n)
        }
    }

    @Test func targetShardsMergeToTheReportOfOneProcess() throws {
        let dir = TempDirectory()
        var rng = SplitMix64(seed: 7)
        let shared = (0..<3).map { _ in Self.token(&rng) }
        let repos = try (0..<6).map { try Self.repository(seed: UInt64(100 + $0), commits: 6, shared: shared, aws: $0 % 3 == 0) }
        dir.write("plain/app.env", "api_key = \(shared[0])\ndeploy_token = \(Self.token(&rng))\n")
        dir.write("plain/more/other.env", Secrets.credentials())
        let targets = repos.map(\.path) + [dir.file("plain")]
        try Self.expectShardsEqualOne(targets, shardBy: "targets", counts: [1, 2, 3, 7], in: dir)
        withExtendedLifetime(repos) {}
    }

    @Test func blobShardsOfOneRepositoryMergeToTheReportOfOneProcess() throws {
        let dir = TempDirectory()
        var rng = SplitMix64(seed: 11)
        let shared = (0..<4).map { _ in Self.token(&rng) }
        let repo = try Self.repository(seed: 5, commits: 30, shared: shared, aws: true)
        // `auto` splits a single target by blob.
        try Self.expectShardsEqualOne([repo.path], shardBy: "auto", counts: [1, 2, 3, 7], in: dir)
        let shard = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("shard-3-1.json")))) as? [String: Any]
        #expect((shard?["shard"] as? [String: Any])?["split"] as? String == "blobs")
    }

    @Test func blobShardsOfADirectorySplitFilesByPath() throws {
        let dir = TempDirectory()
        var rng = SplitMix64(seed: 3)
        for i in 0..<20 { dir.write("tree/d\(i % 4)/f\(i).env", "api_key = \(Self.token(&rng))\n") }
        dir.write("tree/creds.ini", Secrets.credentials())
        try Self.expectShardsEqualOne([dir.file("tree")], shardBy: "blobs", counts: [1, 3], in: dir)
    }

    @Test func blobShardsOfADirtyWorkTreeReadEachUncommittedFileOnce() throws {
        let dir = TempDirectory()
        var rng = SplitMix64(seed: 13)
        let shared = (0..<3).map { _ in Self.token(&rng) }
        let repo = try Self.repository(seed: 9, commits: 8, shared: shared, aws: false)
        // Untracked and modified files: scanned from disk beside the history (`WorkTreeSource`).
        for i in 0..<12 { repo.write("scratch/u\(i).env", "api_key = \(Self.token(&rng))\n") }
        repo.write("README.md", "hello\nsession_token = \(Self.token(&rng))\n")
        try Self.expectShardsEqualOne([repo.path], shardBy: "blobs", counts: [1, 3], in: dir)
        // Each uncommitted file is read by one shard: the shards' file counts add up to one process's.
        let one = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: dir.file("one.json"))))
        var files = 0
        for i in 0..<3 {
            let shard = try JSONDecoder().decode(Report.self, from: Data(contentsOf: URL(fileURLWithPath: dir.file("shard-3-\(i).json"))))
            files += shard.stats.files
        }
        #expect(one.stats.files == 13)
        #expect(files == one.stats.files)
    }

    // MARK: --shard, --targets-from

    @Test func shardOutOfRangeOrMalformedIsOneLineError() throws {
        let repo = try GitRepo()
        try repo.commit("one", ["a.txt": "hello\n"])
        for (value, text) in [("3/3", "shard index '3' is not between 0 and 2"), ("-1/2", "shard index '-1' is not between 0 and 1"),
                              ("a/b", "the number of shards 'b'"), ("1/0", "the number of shards '0'"), ("0/2/3", "is not I/N"),
                              ("", "is not I/N"), ("x", "is not I/N")] {
            expectOneLineError(try Keysweep.run(["scan", repo.path, "--shard", value]), containing: text)
        }
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--shard", "auto"], environment: ["KEYSWEEP_SHARDS": "", "JOB_COMPLETION_INDEX": ""]),
                           containing: "the number of shards ''")
        expectOneLineError(try Keysweep.run(["scan", repo.path, "--shard-by", "blobs"]), containing: "--shard-by needs --shard")
    }

    @Test func shardAutoWithoutTheIndexVariableIsOneLineError() throws {
        let repo = try GitRepo()
        try repo.commit("one", ["a.txt": "hello\n"])
        // Run without the variables at all (not merely empty).
        var env = ProcessInfo.processInfo.environment
        env["JOB_COMPLETION_INDEX"] = nil
        env["KEYSWEEP_SHARDS"] = nil
        let bare = try Run.process("/usr/bin/env", ["-u", "JOB_COMPLETION_INDEX", "-u", "KEYSWEEP_SHARDS", Keysweep.binary, "scan", repo.path, "--shard", "auto/4"], environment: env)
        expectOneLineError(bare, containing: "--shard auto/4 needs JOB_COMPLETION_INDEX")
        let noCount = try Run.process("/usr/bin/env", ["-u", "KEYSWEEP_SHARDS", Keysweep.binary, "scan", repo.path, "--shard", "auto"], environment: env)
        expectOneLineError(noCount, containing: "--shard auto needs KEYSWEEP_SHARDS")
    }

    @Test func shardAutoReadsTheIndexedJobIndex() throws {
        let repo = try GitRepo()
        try repo.commit("one", ["a.env": "api_key = 0123456789abcdef0123456789abcdef\n"])
        let (result, _) = try Keysweep.scanJSON([repo.path, "--shard", "auto"], environment: ["JOB_COMPLETION_INDEX": "2", "KEYSWEEP_SHARDS": "5"])
        let top = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any]
        let shard = top?["shard"] as? [String: Any]
        #expect(shard?["index"] as? Int == 2)
        #expect(shard?["count"] as? Int == 5)
        #expect((top?["rules"] as? String)?.count == 64)
    }

    @Test func targetsFromFileAndStandardInput() throws {
        let dir = TempDirectory()
        dir.write("a/x.env", "api_key = \(String(repeating: "0a1b2c3d", count: 4))\n")
        dir.write("b/y.env", Secrets.credentials())
        dir.write("list.txt", "# targets\n\(dir.file("a"))\n\n  \(dir.file("b"))  \n")
        let (fromFile, report) = try Keysweep.scanJSON(["--targets-from", dir.file("list.txt")])
        #expect(fromFile.status == 1)
        #expect(report.targets == [dir.file("a"), dir.file("b")])
        let (_, fromStdin) = try Keysweep.scanJSON(["--targets-from", "-"], stdin: Data("\(dir.file("b"))\n".utf8))
        #expect(fromStdin.targets == [dir.file("b")])
        expectOneLineError(try Keysweep.run(["scan", "--targets-from", dir.file("missing.txt")]), containing: "no such readable file")
        dir.write("empty.txt", "# nothing\n")
        expectOneLineError(try Keysweep.run(["scan", "--targets-from", dir.file("empty.txt")]), containing: "lists no target")
        expectOneLineError(try Keysweep.run(["scan", "-", "--targets-from", "-"]), containing: "both read standard input")
    }

    // MARK: merge: bad input

    /// Three target shards of three small repositories, written to `dir`.
    static func threeShards(_ dir: TempDirectory, extra: [String] = []) throws -> [String] {
        var repos: [GitRepo] = []
        for i in 0..<5 {
            let repo = try GitRepo()
            try repo.commit("one", ["s.env": "api_key = \(String(format: "%032x", 0xabcdef1234 * (i + 1)))\n", "c.ini": Secrets.credentials()])
            repos.append(repo)
        }
        var files: [String] = []
        for i in 0..<3 {
            let file = dir.file("s\(i).json")
            let result = try Keysweep.run(["scan"] + repos.map(\.path) + ["--shard", "\(i)/3", "--format", "json", "-o", file] + extra)
            #expect(result.status <= 1, "\(result.stderr)")
            files.append(file)
        }
        return files
    }

    @Test func mergeRefusesWhatIsNoReport() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        dir.write("notes.txt", "hello\n")
        expectOneLineError(try Keysweep.run(["merge", dir.file("notes.txt")] + shards), containing: "notes.txt: not a JSON object")
        let full = try Data(contentsOf: URL(fileURLWithPath: shards[1]))
        dir.write("cut.json", full.prefix(full.count / 2))
        expectOneLineError(try Keysweep.run(["merge", shards[0], dir.file("cut.json"), shards[2]]), containing: "cut.json: truncated or malformed JSON")
        dir.write("sarif.json", #"{"version": "2.1.0", "runs": []}"#)
        expectOneLineError(try Keysweep.run(["merge", dir.file("sarif.json")]), containing: "not a keysweep JSON report")
        // A report of every other key without its findings (a version-1 document cut by hand).
        var stripped = try #require(try JSONSerialization.jsonObject(with: full) as? [String: Any])
        stripped.removeValue(forKey: "findings")
        dir.write("nofindings.json", try JSONSerialization.data(withJSONObject: stripped))
        dir.write("out.json", "untouched\n")
        expectOneLineError(try Keysweep.run(["merge", dir.file("nofindings.json"), "-o", dir.file("out.json")]),
                           containing: "nofindings.json: not a keysweep JSON report")
        #expect(try String(contentsOfFile: dir.file("out.json"), encoding: .utf8) == "untouched\n")
        expectOneLineError(try Keysweep.run(["merge", dir.file("absent.json")]), containing: "absent.json: no such file or directory")
        expectOneLineError(try Keysweep.run(["merge"]), containing: "at least one JSON report")
    }

    @Test func mergeRefusesTwoCopiesOfOneShard() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        try FileManager.default.copyItem(atPath: shards[1], toPath: dir.file("copy.json"))
        expectOneLineError(try Keysweep.run(["merge"] + shards + [dir.file("copy.json")]), containing: "copy.json: shard 1/3 again")
    }

    @Test func mergeReportsAMissingShard() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        let output = dir.file("merged.json")
        expectOneLineError(try Keysweep.run(["merge", shards[0], shards[2], "--format", "json", "-o", output]),
                           containing: "missing shard 1/3 of the targets split (2 of 3 reports given)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let partial = try Keysweep.run(["merge", shards[0], shards[2], "--allow-partial", "--format", "json", "-o", output])
        #expect(partial.status <= 1, "\(partial.stderr)")
        #expect(partial.stderr.contains("warning: missing shard 1/3"), "\(partial.stderr)")
        #expect(FileManager.default.fileExists(atPath: output))
    }

    @Test func mergeRefusesDifferentRulesOrVersions() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        dir.write("patterns/extra.toml", """
        [[rule]]
        id = "extra-rule"
        description = "An extra rule"
        provider = "Test"
        regex = '''extra_(?<secret>[a-z]{12})'''
        keywords = ["extra_"]
        confidence = "low"
        examples = ["extra_qzmxkwtrplvh"]
        """)
        let repo = try GitRepo()
        try repo.commit("one", ["k.ini": Secrets.credentials(), "x.txt": "extra_qzmxkwtrplvh\n"])
        let other = dir.file("other.json")
        _ = try Keysweep.run(["scan", repo.path, "--patterns", dir.file("patterns"), "--format", "json", "-o", other])
        expectOneLineError(try Keysweep.run(["merge"] + shards + [other]), containing: "reports of different rules (pass --allow-mixed")
        // The merge itself loads the rules: reports of --patterns rules need the same --patterns.
        expectOneLineError(try Keysweep.run(["merge", other]), containing: "not the rules loaded here")
        let same = try Keysweep.run(["merge", other, "--patterns", dir.file("patterns"), "--format", "json"])
        #expect(same.status == 1, "\(same.stderr)")
        #expect(try JSONDecoder().decode(Report.self, from: same.stdoutData).findings(rule: "extra-rule").count == 1)
        let mixed = try Keysweep.run(["merge"] + shards + [other, "--allow-mixed", "--format", "json"])
        #expect(mixed.status == 1, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("warning:") && mixed.stderr.contains("different rules"), "\(mixed.stderr)")

        var text = try String(contentsOfFile: shards[2], encoding: .utf8)
        text = text.replacingOccurrences(of: "\"version\" : \"", with: "\"version\" : \"9.9.9-", options: [], range: nil)
        try text.write(toFile: dir.file("newer.json"), atomically: true, encoding: .utf8)
        expectOneLineError(try Keysweep.run(["merge", shards[0], shards[1], dir.file("newer.json")]), containing: "made by keysweep 9.9.9-")
    }

    @Test func mergeRefusesShardsThatPlannedDifferentTargets() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        let repo = try GitRepo()
        try repo.commit("one", ["a.txt": "hello\n"])
        let other = dir.file("other.json")
        _ = try Keysweep.run(["scan", repo.path, dir.path, "--shard", "2/3", "--shard-by", "targets", "--format", "json", "-o", other])
        expectOneLineError(try Keysweep.run(["merge", shards[0], shards[1], other]), containing: "planned other targets")
    }

    // MARK: merge: outputs

    @Test func mergeWritesSARIFTextAndThePlan() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        let sarif = try Keysweep.run(["merge"] + shards + ["--format", "sarif"])
        #expect(sarif.status == 1)
        let log = try JSONSerialization.jsonObject(with: sarif.stdoutData) as? [String: Any]
        let results = ((log?["runs"] as? [[String: Any]])?.first?["results"] as? [Any]) ?? []
        let merged = try Keysweep.run(["merge"] + shards + ["--format", "json"])
        let report = try JSONDecoder().decode(Report.self, from: merged.stdoutData)
        #expect(!results.isEmpty)
        #expect(!sarif.stdout.contains(Secrets.secretKey))
        // Five repositories share one AWS key: one finding, five occurrences.
        #expect(report.finding(secret: Secrets.keyID)?.occurrences.count == 5)
        let text = try Keysweep.run(["merge"] + shards + ["--no-color"])
        #expect(text.stdout.contains(Secrets.keyID))
        let plan = dir.file("plan.md")
        let planned = try Keysweep.run(["merge"] + shards + ["--format", "json", "--remediation", plan])
        #expect(planned.status == 1)
        #expect(try String(contentsOfFile: plan, encoding: .utf8).contains(Secrets.keyID))
    }

    @Test func mergeCarriesFieldsItDoesNotModel() throws {
        let dir = TempDirectory()
        let shards = try Self.threeShards(dir)
        // The first shard with a finding: which targets fall to which shard depends on their
        // (temporary) paths, so any one shard may have none.
        var chosen: (path: String, top: [String: Any])?
        for path in shards where chosen == nil {
            let top = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
            if !(top["findings"] as! [[String: Any]]).isEmpty { chosen = (path, top) }
        }
        let path = try #require(chosen).path
        var top = try #require(chosen).top
        var findings = top["findings"] as! [[String: Any]]
        // A key this keysweep does not know (another tool's triage, a newer keysweep's field).
        findings[0]["triage"] = ["status": "accepted", "checked": "2026-01-01T00:00:00Z", "owner": NSNull()]
        let id = findings[0]["id"] as! String
        top["findings"] = findings
        try JSONSerialization.data(withJSONObject: top).write(to: URL(fileURLWithPath: path))
        let merged = try Keysweep.run(["merge"] + shards + ["--format", "json"])
        let out = try JSONSerialization.jsonObject(with: merged.stdoutData) as? [String: Any]
        let finding = (out?["findings"] as? [[String: Any]])?.first { $0["id"] as? String == id }
        let triage = finding?["triage"] as? [String: Any]
        #expect(merged.status == 1, "\(merged.stderr)")
        #expect(triage?["status"] as? String == "accepted")
        #expect(triage?["owner"] is NSNull)
    }
}
