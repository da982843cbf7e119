import Foundation
import Testing
@testable import KeySweep

/// The history walk skips the entries a tree repeats from the previous tree walked at its
/// directory, and trees it walked before (recording where else they turn up). git is the
/// oracle: every (blob, path) its trees hold must be reported, with a commit that put it there.
@Suite struct TreeWalkTests {
    /// Names whose order in a tree depends on git's rule that a directory sorts as "name/".
    static let trickyNames = ["conf", "conf.d", "conf-x", "conf0", "conf_y", "a", "a b", "a.b", "ab"]

    @Test func entryOrderMatchesGit() throws {
        let repo = try GitRepo()
        var files: [String: String] = [:]
        for name in Self.trickyNames { files[name] = "file \(name)\n" }
        for name in ["conf", "a"] { files.removeValue(forKey: name); files["\(name)/inner"] = "dir \(name)\n" }
        try repo.commit("tricky names", files)
        let treeHex = try repo.git(["rev-parse", "HEAD^{tree}"])
        let repository = try Repository(path: repo.path)
        let names: [String] = try repository.withObject(try #require(ObjectID(hex: treeHex))) { _, raw in
            let entries = Array(TreeEntries(raw))
            for (a, b) in zip(entries, entries.dropFirst()) {
                #expect(ChangedEntries.precedes(a, b), "\(String(decoding: a.name, as: UTF8.self)) before \(String(decoding: b.name, as: UTF8.self))")
                #expect(!ChangedEntries.precedes(b, a))
            }
            return entries.map { String(decoding: $0.name, as: UTF8.self) }
        }
        #expect(names.count == Self.trickyNames.count)
        #expect(names.firstIndex(of: "conf.d")! < names.firstIndex(of: "conf")!)   // "conf." < "conf/"
        #expect(names.firstIndex(of: "conf")! < names.firstIndex(of: "conf0")!)    // "conf/" < "conf0"
    }

    @Test func everyPathOfASecretThroughRenamesSwapsModesAndMerges() throws {
        let repo = try GitRepo()
        let variants = (0..<4).map { "KEY=\(Secrets.keyID)\n# variant \($0)\n" }
        var random = SplitMix64(seed: 6)
        let allFillers = (0..<40).map { i in ["", "deep/", "deep/a/"][i % 3] + String(format: "f%02d.txt", i) }
        var initial: [String: String] = [:]
        for file in allFillers { initial[file] = "filler \(file)\n" }
        // No marker keeps the directories' trees distinct: when a move or a deletion makes one
        // equal to a tree walked elsewhere, its files must still be reported at its paths.
        try repo.commit("fillers", initial)

        // Random churn on one branch: each commit edits fillers and writes, moves, deletes or
        // chmods secret files among names that sort around each other. The branches touch
        // different files, so they merge without conflict.
        func churn(_ commits: Int, pool: [String], fillers: [String]) throws {
            for n in 0..<commits {
                var files: [String: String] = [:]
                for _ in 0..<2 { files[fillers[random.below(fillers.count)]] = "filler edit \(random.next())\n" }
                let existing = pool.filter { FileManager.default.fileExists(atPath: repo.path + "/" + $0) }
                switch random.below(4) {
                case 0 where !existing.isEmpty:
                    let from = existing[random.below(existing.count)]
                    let free = pool.filter { !existing.contains($0) }
                    if let to = free.isEmpty ? nil : free[random.below(free.count)] {
                        try FileManager.default.createDirectory(atPath: repo.path + "/" + (to as NSString).deletingLastPathComponent,
                                                                withIntermediateDirectories: true)
                        try repo.git(["mv", from, to])
                    }
                case 1 where !existing.isEmpty:
                    try repo.git(["rm", "-q", existing[random.below(existing.count)]])
                case 2 where !existing.isEmpty:
                    let file = repo.path + "/" + existing[random.below(existing.count)]
                    let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? 0o644
                    try FileManager.default.setAttributes([.posixPermissions: mode == 0o755 ? 0o644 : 0o755], ofItemAtPath: file)
                default:
                    files[pool[random.below(pool.count)]] = variants[random.below(variants.count)]
                }
                try repo.commit("churn \(n)", files)
            }
        }
        let mainPool = ["conf.d", "conf-x", "conf0", "conf_y", "deep/key.env", "deep/a/key.env", "deep/a/b/key.env"]
        let mainFillers = Array(allFillers.prefix(30)), sideFillers = Array(allFillers.suffix(10))
        try churn(15, pool: mainPool, fillers: mainFillers)
        try repo.git(["checkout", "-q", "-b", "side"])
        try churn(10, pool: ["side/key.env", "side/deep/key.env", "deep/a/b/side.env"], fillers: sideFillers)
        try repo.git(["checkout", "-q", "main"])
        try churn(10, pool: mainPool, fillers: mainFillers)
        try repo.git(["merge", "-q", "--no-edit", "side"])
        // A file becomes a directory of the same name, and back.
        try repo.commit("file conf", ["conf": variants[0]])
        try repo.git(["rm", "-q", "conf"])
        try repo.commit("conf is a directory", ["conf/key.env": variants[1], "conf/.marker": "conf/"])
        try repo.git(["rm", "-q", "conf/key.env", "conf/.marker"])
        try repo.commit("conf is a file again", ["conf": variants[2]])
        try churn(8, pool: mainPool + ["conf"], fillers: mainFillers)

        var expected = Set<String>()
        let secretBlobs = try Set(variants.map { variant in
            let file = TempDirectory("keysweep-variant")
            file.write("v", variant)
            return try repo.git(["hash-object", file.path + "/v"])
        })
        for commit in try repo.git(["rev-list", "--all"]).split(separator: "\n") {
            for line in try repo.git(["ls-tree", "-r", String(commit)]).split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 1)
                let blob = String(fields[0].split(separator: " ")[2])
                if secretBlobs.contains(blob) { expected.insert("\(blob) \(fields[1])") }
            }
        }

        for jobs in ["1", "2"] {
            let (_, report) = try Keysweep.scanJSON([repo.path, "--jobs", jobs])
            let finding = try #require(report.finding(secret: Secrets.keyID))
            let reported = finding.occurrences.map { "\($0.blob ?? "-") \($0.path)" }
            #expect(reported.count == Set(reported).count, "each (blob, path) once")
            #expect(Set(reported) == expected)
            for occurrence in finding.occurrences { try Self.expectIntroduced(occurrence, in: repo) }
        }
        #expect(expected.count > 10)
    }

    /// The occurrence's commit holds its blob at its path, and none of that commit's parents does.
    static func expectIntroduced(_ occurrence: Report.Occurrence, in repo: GitRepo,
                                 sourceLocation: SourceLocation = #_sourceLocation) throws {
        let commit = try #require(occurrence.commit, sourceLocation: sourceLocation)
        let held = { (commit: String) in try repo.git(["rev-parse", "-q", "--verify", "\(commit):\(occurrence.path)"], allowFailure: true) }
        #expect(try held(commit) == occurrence.blob, "\(commit) holds \(occurrence.path)", sourceLocation: sourceLocation)
        for parent in try repo.git(["rev-list", "--parents", "-n1", commit]).split(separator: " ").dropFirst() {
            #expect(try held(String(parent)) != occurrence.blob, "\(occurrence.path) was already in \(parent)", sourceLocation: sourceLocation)
        }
    }

    /// A directory copied or renamed whole is a tree walked before: its files are reported at
    /// the new paths, each with the commit that put them there, not when the copy changes later.
    @Test func copiedAndRenamedDirectoriesKeepTheirOwnPaths() throws {
        let repo = try GitRepo()
        let added = try repo.commit("add", ["config/prod/creds.env": Secrets.credentials(), "config/prod/notes.txt": "notes\n",
                                            "README": "x\n"])
        try FileManager.default.createDirectory(atPath: repo.path + "/backup", withIntermediateDirectories: true)
        _ = try Run.process("/bin/cp", ["-r", repo.path + "/config/prod", repo.path + "/backup/prod-old"])
        let copied = try repo.commit("back up prod")
        try repo.git(["mv", "config", "settings"])
        let renamed = try repo.commit("rename config")
        try repo.commit("edit the backup's notes", ["backup/prod-old/notes.txt": "changed\n"])
        try repo.commit("edit the settings' notes", ["settings/prod/notes.txt": "changed too\n"])

        for jobs in ["1", "2"] {
            let (_, report) = try Keysweep.scanJSON([repo.path, "--jobs", jobs])
            for secret in [Secrets.keyID, Secrets.secretKey] {
                let finding = try #require(report.finding(secret: secret))
                let places = Dictionary(uniqueKeysWithValues: finding.occurrences.map { ($0.path, $0.commit ?? "-") })
                #expect(places == ["config/prod/creds.env": added, "backup/prod-old/creds.env": copied,
                                   "settings/prod/creds.env": renamed])
                for occurrence in finding.occurrences { try Self.expectIntroduced(occurrence, in: repo) }
                #expect(finding.in_head)
            }
        }
    }

    /// Hostile trees: 100,000 directories nested one in another (the walk once recursed and
    /// overflowed its stack), and 5,000 nested with 200-byte names (every path built whole cost
    /// gigabytes), each copied whole under three more names in a second commit (trees the walk
    /// has seen: `AliasedPlaces` reads them without recursion, its paths cut the same way). All
    /// are scanned; a path past 4096 bytes is cut where the cut is marked.
    @Test func deepTreesAreWalkedAndTheirPathsCut() throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Support/deep_tree_repo.py").path
        for (depth, nameLength) in [(100_000, 1), (5_000, 200)] {
            let dir = TempDirectory("keysweep-deep")
            let made = try Run.process("/usr/bin/python3", [script, dir.file("deep.git"), "\(depth)", "\(nameLength)",
                                                           "token: \(Secrets.githubToken)\n", "3"])
            #expect(made.status == 0, "\(made.stderr)")
            let (result, report) = try Keysweep.scanJSON([dir.file("deep.git")])
            #expect(result.status == 1, "\(result.stderr)")
            let finding = try #require(report.finding(secret: Secrets.githubToken))
            let name = String(repeating: "d", count: nameLength)
            let places = finding.occurrences.map(\.path)
            #expect(places.count == 4)
            for top in [name, "copy0", "copy1", "copy2"] {
                let path = try #require(places.first { $0.hasPrefix(top + "/") }, "a place under \(top)/")
                #expect(path.contains("/…/") && path.hasSuffix("/creds"), "\(path.prefix(40))…")
                #expect(path.utf8.count <= PathCut.maxBytes + 16)
            }
        }
    }
}
