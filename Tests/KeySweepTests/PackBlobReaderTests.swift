import Foundation
import Testing
@testable import KeySweep

/// `PackBlobReader` reads a pack's blobs as `git index-pack` does (each entry inflated once,
/// deltas applied to their bases in hand): every blob byte for byte as git reads it, deltas of
/// both kinds, its bounds leaving blobs to libgit2 rather than holding more, damage left to
/// libgit2 to name, and a history scan giving the same report with it as without it.
@Suite struct PackBlobReaderTests {
    /// A history whose blobs are delta chains: one file changed a line per commit, one file
    /// rewritten, a large file, secrets coming and going.
    static func deltaRepository(referenceDeltas: Bool = false) throws -> GitRepo {
        let repo = try GitRepo()
        var text = (0..<300).map { "line \($0) of a file that changes a little each commit" }
        for round in 0..<24 {
            text[(round * 11) % 300] = "changed in round \(round)"
            if round == 5 { text[150] = "aws_access_key_id = \(Secrets.keyID)\naws_secret_access_key = \(Secrets.secretKey)\nghtoken = \(Secrets.githubToken)" }
            if round == 9 { text[150] = "removed" }
            try repo.commit("round \(round)", ["src/file.txt": text.joined(separator: "\n") + "\r\n",
                                               "src/other-\(round % 3).txt": String(repeating: "x\(round)\n", count: 50),
                                               "big.txt": String(repeating: "b\(round % 2)", count: 40_000) + "\(round)"])
        }
        if referenceDeltas {
            try repo.git(["-c", "repack.useDeltaBaseOffset=false", "repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"])
        } else {
            try repo.git(["repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"])
        }
        return repo
    }

    static func layout(_ repo: GitRepo) throws -> PackLayout {
        let index = try #require(PackIndex.all(objectsDirectory: repo.path + "/.git/objects").first)
        return PackLayout(index: index)
    }

    /// Every blob git lists, with the bytes libgit2 reads.
    static func expectedBlobs(_ repo: GitRepo) throws -> [ObjectID: [UInt8]] {
        let listed = try repo.git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname)"])
        let reader = try Repository(path: repo.path)
        var blobs: [ObjectID: [UInt8]] = [:]
        for line in listed.split(separator: "\n") where line.hasPrefix("blob ") {
            let id = try #require(ObjectID(hex: String(line.dropFirst(5))))
            blobs[id] = try reader.withObject(id) { _, raw in Array(raw) }
        }
        return blobs
    }

    @Test(arguments: [false, true])
    func everyBlobReadsAsGitReadsIt(referenceDeltas: Bool) throws {
        let repo = try Self.deltaRepository(referenceDeltas: referenceDeltas)
        let layout = try Self.layout(repo)
        let deltaType = referenceDeltas ? PackEntryHeader.referenceDelta : PackEntryHeader.offsetDelta
        let deltas = layout.kinds.indices.filter { layout.kinds[$0] == PackEntryHeader.blob && layout.types[$0] == deltaType }
        #expect(deltas.count > 20, "the pack holds chains of blob deltas of the kind asked for")
        let expected = try Self.expectedBlobs(repo)
        var read: [ObjectID: [UInt8]] = [:]
        let left = PackBlobReader(layout: layout, maxObjectSize: 64 << 20, maxHeldBytes: 64 << 20).read { id, bytes in
            #expect(read[id] == nil, "\(id) delivered twice")
            read[id] = bytes
            return true
        }
        #expect(left.isEmpty)
        #expect(read.count == expected.count)
        for (id, bytes) in expected { #expect(read[id] == bytes, "\(id) differs from git's") }
    }

    /// An entry larger than the bound is not read, nor are the deltas built on it; with no
    /// room to hold bases, only whole blobs and their direct deltas are read. Nothing is lost:
    /// what is not delivered is returned.
    @Test func boundsLeaveBlobsToLibgit2() throws {
        let repo = try Self.deltaRepository()
        let layout = try Self.layout(repo)
        let expected = try Self.expectedBlobs(repo)
        for (maxObject, maxHeld) in [(60_000, 64 << 20), (64 << 20, 0)] {
            var read: [ObjectID: [UInt8]] = [:]
            let left = PackBlobReader(layout: layout, maxObjectSize: maxObject, maxHeldBytes: maxHeld).read { id, bytes in
                read[id] = bytes
                return true
            }
            #expect(!left.isEmpty, "the bound left something (\(maxObject), \(maxHeld))")
            #expect(Set(left).isDisjoint(with: read.keys))
            #expect(Set(left).union(read.keys) == Set(expected.keys))
            for (id, bytes) in read { #expect(expected[id] == bytes) }
            if maxObject < 64 << 20 { #expect(read.values.allSatisfy { $0.count <= maxObject }) }
        }
    }

    /// A damaged delta (bytes flipped in its zlib data) is left, with everything built on it,
    /// for libgit2 to name; every other blob still reads right.
    @Test func damagedDeltaIsLeftNotRead() throws {
        let repo = try Self.deltaRepository()
        let layout = try Self.layout(repo)
        let expected = try Self.expectedBlobs(repo)
        let victim = try #require(layout.kinds.indices.first {
            layout.kinds[$0] == PackEntryHeader.blob && layout.types[$0] == PackEntryHeader.offsetDelta && layout.sizes[$0] > 40
        })
        let range = try #require(layout.dataRange(of: victim))
        let pack = layout.packPath
        chmod(pack, 0o644)
        var data = try Data(contentsOf: URL(fileURLWithPath: pack))
        let middle = Int(range.lowerBound + range.upperBound) / 2
        for i in middle..<min(middle + 4, Int(range.upperBound)) { data[i] ^= 0xFF }
        try data.write(to: URL(fileURLWithPath: pack))
        var read: [ObjectID: [UInt8]] = [:]
        let left = PackBlobReader(layout: try Self.layout(repo), maxObjectSize: 64 << 20, maxHeldBytes: 64 << 20).read { id, bytes in
            read[id] = bytes
            return true
        }
        #expect(left.contains(layout.ids[victim]))
        #expect(Set(left).union(read.keys) == Set(expected.keys))
        for (id, bytes) in read { #expect(expected[id] == bytes, "\(id) read wrong after the damage") }
    }

    /// Crafted deltas: nothing read or written out of bounds, each refused.
    @Test func craftedDeltasAreRefused() {
        let base = Array("0123456789".utf8)
        let sound: [UInt8] = [10, 4, 0x91, 2, 3, 1, 0x5A]        // copy 3 bytes at 2, insert "Z"
        #expect(PackDelta.apply(sound, to: base, maxSize: 100) == Array("234Z".utf8))
        let crafted: [(String, [UInt8])] = [
            ("copy past the base", [10, 4, 0x91, 9, 4]),
            ("copy of 64 KiB from a small base", [10, 4, 0x81, 0]),
            ("insert past the delta", [10, 4, 4, 1, 2]),
            ("result shorter than declared", [10, 4, 0x91, 0, 3]),
            ("result longer than declared", [10, 2, 0x91, 0, 3]),
            ("reserved instruction 0", [10, 1, 0, 1, 0x41]),
            ("wrong base size", [9, 1, 1, 0x41]),
            ("target over the bound", [10, 0xFF, 0xFF, 0xFF, 0x7F]),
            ("size varint past 64 bits", [10] + [UInt8](repeating: 0xFF, count: 11) + [1]),
            ("truncated copy operands", [10, 4, 0xFF, 1]),
            ("empty", []),
        ]
        for (name, delta) in crafted { #expect(PackDelta.apply(delta, to: base, maxSize: 100) == nil, "\(name)") }
    }

    /// The history scan reads the packs ahead with this reader (`--jobs` above 1) and scans
    /// each blob as it arrives; without read-ahead (`--jobs 1`) each blob is read through
    /// libgit2. Both give the same report, every occurrence and line included.
    @Test func historyScanGivesTheSameReportEitherWay() throws {
        let repo = try Self.deltaRepository()
        let serial = try Self.report(repo, ["--jobs", "1"]), ahead = try Self.report(repo, ["--jobs", "2"])
        #expect(((serial["findings"] as? [Any]) ?? []).count >= 1)
        #expect(serial == ahead)
    }

    /// The JSON report of a scan of `repo` (which finds something) with `arguments`, its time left out.
    static func report(_ repo: GitRepo, _ arguments: [String]) throws -> NSDictionary {
        let result = try Keysweep.run(["scan", repo.path, "--format", "json"] + arguments)
        #expect(result.status == 1, "\(result.stderr)")
        var json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        var stats = try #require(json["stats"] as? [String: Any])
        stats["seconds"] = nil
        json["stats"] = stats
        return json as NSDictionary
    }

    /// A history holding what reading the packs must get right: renames, a copy, a merge,
    /// delta chains whose bases are newer than their targets (git's choice), a secret present
    /// from the first version and only copied after, a secret whose second half a later commit
    /// inserts (split across an insertion), CRLF, and a file binary in one version and text in
    /// the next.
    static func historyFeatureRepository() throws -> GitRepo {
        let repo = try GitRepo()
        var lines = (0..<200).map { "line \($0) of a config that changes a little in each commit" }
        lines[20] = "GITHUB_TOKEN = \"\(Secrets.githubToken)\""
        lines[120] = "aws_access_key_id = \(Secrets.keyID.prefix(10))"
        let crlf = "[default]\r\nregion = eu-west-1\r\n" + Secrets.credentials(Secrets.keyID2, Secrets.secretKey).replacingOccurrences(of: "\n", with: "\r\n")
        try repo.commit("first", ["app/config.py": lines.joined(separator: "\n"), "crlf.ini": crlf,
                                  "data.bin": "\u{0}\u{1}\u{2} binary token \(Secrets.githubToken)"])
        for round in 0..<10 {
            lines[(round * 13 + 31) % 200 == 20 ? 21 : (round * 13 + 31) % 200] = "changed in round \(round)"
            if round == 3 { lines[120] = "aws_access_key_id = \(Secrets.keyID)\naws_secret_access_key = \(Secrets.secretKey2)" }
            var files = ["app/config.py": lines.joined(separator: "\n"), "crlf.ini": crlf + "; round \(round)\r\n"]
            if round == 4 { files["data.bin"] = "now text: token = \(Secrets.githubToken)\n" }
            try repo.commit("round \(round)", files)
        }
        try repo.git(["mv", "app/config.py", "app/settings.py"])
        try repo.commit("rename")
        lines[199] = "copied and changed"
        try repo.commit("copy", ["other/config-copy.py": lines.joined(separator: "\n")])
        let trunk = try repo.git(["rev-parse", "--abbrev-ref", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try repo.git(["checkout", "-q", "-b", "side"])
        lines[150] = "changed on the side branch"
        try repo.commit("side", ["app/settings.py": lines.joined(separator: "\n")])
        try repo.git(["checkout", "-q", trunk])
        try repo.commit("trunk", ["crlf.ini": crlf + "; trunk\r\n"])
        try repo.git(["merge", "-q", "--no-ff", "-m", "merge side", "side"])
        try repo.git(["repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"])
        return repo
    }

    /// Reading the packs (`--jobs 2`), everything on one thread (`--jobs 1`) and `--no-delta`
    /// (every object through libgit2, every blob matched whole) give the same report, every
    /// occurrence and line included, over the history above.
    @Test func historyFeaturesGiveTheSameReportEveryWay() throws {
        let repo = try Self.historyFeatureRepository()
        func report(_ arguments: [String]) throws -> NSDictionary { try Self.report(repo, arguments) }
        let packed = try report(["--jobs", "2"])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: packed), as: UTF8.self)
        // Not a vacuous comparison: the renamed path, the copy, the key pieced together by an
        // insertion, the CRLF file and the text version of the binary file are all found.
        for expected in ["settings.py", "config-copy.py", Secrets.keyID, Secrets.keyID2, "data.bin", "crlf.ini"] {
            #expect(text.contains(expected), "\(expected) missing from the report")
        }
        #expect(try report(["--jobs", "2", "--no-delta"]) == packed)
        #expect(try report(["--jobs", "1"]) == packed)
    }

    /// The keyword occurrences carried through each real delta of the pack equal a full pass
    /// over the result: the prefilter's work for a delta follows what it adds, and finds the same.
    @Test func keywordHitsFollowEveryDelta() throws {
        let repo = try Self.deltaRepository()
        let prefilter = try RuleSet.builtIn().prefilter
        var deltas = 0, carried = 0
        let left = PackBlobReader(layout: try Self.layout(repo), maxObjectSize: 64 << 20, maxHeldBytes: 64 << 20).read {
            (_: ObjectID, bytes: [UInt8], derived: PackBlobReader.Derived<KeywordHits?>?) -> KeywordHits?? in
            bytes.withUnsafeBytes { raw in
                let full = KeywordHits.scan(raw, prefilter)
                guard let derived, let base = derived.base else { return .some(full) }
                deltas += 1
                let followed = base.following(derived.copies, in: raw, prefilter)
                #expect(followed?.hits == full?.hits)
                carried += followed?.hits.count ?? 0
                return .some(followed)
            }
        }
        #expect(left.isEmpty)
        #expect(deltas > 20 && carried > 0)
    }

    /// Content dense with keywords (one end to end) is not carried: a bounded list, or none.
    @Test func denseKeywordsAreNotCarried() throws {
        let prefilter = try RuleSet.builtIn().prefilter
        let dense = Array(String(repeating: "password", count: 10_000).utf8)
        #expect(dense.withUnsafeBytes { KeywordHits.scan($0, prefilter) } == nil)
        // Bounded while it is built, not only once built: the pass stops past the limit.
        var partial: [KeywordHits.Hit] = []
        dense.withUnsafeBytes { prefilter.hits(in: $0, [0..<$0.count], into: &partial, limit: 1_000) }
        #expect(partial.count > 1_000 && partial.count < 1_100)
        // A delta copying a dense stretch again and again is given up, whatever its base's list.
        let base = Array((String(repeating: "x", count: 4_000) + "password").utf8)
        let baseHits = try #require(base.withUnsafeBytes { KeywordHits.scan($0, prefilter) })
        let copies = (0..<2_000).map { PackDelta.Copy(target: $0 * 8, source: 4_000, length: 8) }
        let target = Array(String(repeating: "password", count: 2_000).utf8)
        #expect(target.withUnsafeBytes { baseHits.following(copies, in: $0, prefilter) } == nil)
        let sparse = Array((String(repeating: "plain text without any of them ", count: 300) + "password").utf8)
        #expect(sparse.withUnsafeBytes { KeywordHits.scan($0, prefilter) }?.hits.isEmpty == false)
    }

    /// Random deltas over text dense with keywords: inserts that complete a keyword begun in a
    /// copy, copies joined in the middle of a keyword, copies out of order and repeated,
    /// empty inserts and results. Carried occurrences equal a full pass every time.
    @Test func keywordHitsFollowCraftedDeltas() throws {
        let prefilter = try RuleSet.builtIn().prefilter
        var random = SplitMix64(seed: 30)
        let pieces = ["password", "pass", "word", "secret", "_key", "api", "token", "AKIA", "ghp_", "xoxb-", "aws",
                      "sec", "ret", "=", " ", "\n", "AbCd", "PASSWORD", "Api_Key"]
        func text(_ n: Int) -> [UInt8] { Array((0..<n).map { _ in pieces[random.below(pieces.count)] }.joined().utf8) }
        for _ in 0..<300 {
            let base = text(1 + random.below(120))
            var target: [UInt8] = []
            var copies: [PackDelta.Copy] = []
            for _ in 0..<random.below(12) {
                if random.below(2) == 0 {
                    let source = random.below(base.count), length = 1 + random.below(base.count - source)
                    copies.append(PackDelta.Copy(target: target.count, source: source, length: length))
                    target += base[source..<(source + length)]
                } else {
                    target += text(random.below(4))
                }
            }
            let baseHits = try #require(base.withUnsafeBytes { KeywordHits.scan($0, prefilter, density: 100) })
            let followed = target.withUnsafeBytes { baseHits.following(copies, in: $0, prefilter, density: 100) }
            let full = target.withUnsafeBytes { KeywordHits.scan($0, prefilter, density: 100) }
            #expect(followed?.hits == full?.hits, "base \(String(decoding: base, as: UTF8.self)) copies \(copies)")
        }
    }

    /// Every tree the walk asks for reads as libgit2 reads it, through chains of offset and
    /// reference deltas, with a cache of bases large or too small to hold any; what it cannot
    /// read (not a tree, not in a pack) is nil, for libgit2.
    @Test(arguments: [false, true])
    func packTreeReaderReadsEveryTreeAsGitDoes(referenceDeltas: Bool) throws {
        let repo = try Self.deltaRepository(referenceDeltas: referenceDeltas)
        try repo.commit("many", Dictionary(uniqueKeysWithValues: (0..<80).map { ("a/many/file-\($0).txt", "\($0)") }))
        for round in 0..<30 { try repo.commit("deep \(round)", ["a/b/c/d\(round % 4).txt": "\(round)", "a/many/file-\(round).txt": "r\(round)"]) }
        try repo.git((referenceDeltas ? ["-c", "repack.useDeltaBaseOffset=false"] : []) + ["repack", "-a", "-d", "-f", "-q", "--depth=50", "--window=50"])
        let listed = try repo.git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname) %(deltabase)"])
        let trees = listed.split(separator: "\n").map { $0.split(separator: " ") }.filter { $0[0] == "tree" }
        #expect(trees.filter { $0[2] != Substring(String(repeating: "0", count: 40)) }.count > 10, "trees are deltas")
        let git = try Repository(path: repo.path)
        for cache in [48 << 20, 0] {
            let reader = PackObjectReader(objectsDirectory: repo.path + "/.git/objects", maxCachedBytes: cache)
            for fields in trees {
                let id = try #require(ObjectID(hex: String(fields[1])))
                let expected = try git.withObject(id) { _, raw in Array(raw) }
                #expect(reader.withTree(id) { Array($0) } == expected, "tree \(id) (cache \(cache))")
            }
            let blob = try #require(ObjectID(hex: try repo.git(["rev-parse", "HEAD:big.txt"])))
            #expect(reader.withTree(blob) { _ in true } == nil)
        }
    }
}

