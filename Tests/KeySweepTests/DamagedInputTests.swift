import Foundation
import Testing
@testable import KeySweep

/// Issue 13, row 12: the minor bad inputs. Each is a one-line error and exit status 2, or, for
/// what leaves the rest scannable, a one-line warning naming it; nothing written to the target.
@Suite struct DamagedInputTests {
    /// An unusable `--cache` is a warning (the scan goes on without it), now one line naming the
    /// path and the problem: it quoted a raw NSError.
    @Test func cachePointingAtAFileIsAOneLineWarning() throws {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        let dir = TempDirectory()
        dir.write("not-a-directory", "x\n")
        let before = try repo.snapshot()
        let (result, report) = try Keysweep.scanJSON([repo.path, "--cache", dir.file("not-a-directory")])
        #expect(result.status == 1)
        #expect(result.stderr == "keysweep: warning: cannot use the cache in \(dir.file("not-a-directory")): it is a file, not a directory; scanning without it\n")
        #expect(report.finding(secret: Secrets.keyID) != nil)
        #expect(try repo.snapshot() == before)
        #expect(try String(contentsOfFile: dir.file("not-a-directory"), encoding: .utf8) == "x\n")
        // Below a file: the system's reason, in one line.
        let below = try Keysweep.run(["scan", repo.path, "--cache", dir.file("not-a-directory/cache")])
        #expect(below.status == 1)
        #expect(below.stderr == "keysweep: warning: cannot use the cache in \(dir.file("not-a-directory/cache")): Not a directory; scanning without it\n")
    }

    @Test func stagedOnABareRepositoryIsAnError() throws {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        let dir = TempDirectory()
        try repo.git(["clone", "-q", "--bare", repo.path, dir.file("bare.git")])
        // It said "no secrets found" (exit 0): a bare repository has nothing staged to commit.
        expectOneLineError(try Keysweep.run(["scan", dir.file("bare.git"), "--staged"]),
                           containing: "bare.git: --staged needs a work tree; this is a bare repository")
        let empty = try GitRepo(bare: true)
        expectOneLineError(try Keysweep.run(["scan", empty.path, "--staged"]), containing: "--staged needs a work tree")
    }

    /// A HOME with no `.gitconfig`, an empty HOME and one that does not exist are nothing wrong
    /// with the repository (it said "repository is corrupt or unreadable").
    @Test func missingGlobalConfigIsNotACorruptRepository() throws {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        let emptyHome = TempDirectory("keysweep-home")
        for home in [emptyHome.path, emptyHome.file("does/not/exist"), ""] {
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = home
            environment.removeValue(forKey: "XDG_CONFIG_HOME")
            environment.removeValue(forKey: "GIT_CONFIG_GLOBAL")
            let result = try Run.process(Keysweep.binary, ["scan", repo.path], environment: environment)
            #expect(result.status == 1, "HOME=\(home): \(result.stderr)")
            #expect(result.stdout.contains(Secrets.keyID), "HOME=\(home)")
            #expect(!result.stderr.contains("corrupt"), "HOME=\(home): \(result.stderr)")
        }
    }

    /// A HOME the user may not enter (libgit2 cannot stat `~/.gitconfig`) is not a corrupt
    /// repository either: the scan runs without that configuration, with a warning.
    @Test func unreadableGlobalConfigIsNotACorruptRepository() throws {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        let home = TempDirectory("keysweep-home")
        home.write(".gitconfig", "[user]\n\tname = x\n")
        chmod(home.path, 0)
        defer { chmod(home.path, 0o755) }
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home.path
        environment.removeValue(forKey: "XDG_CONFIG_HOME")
        var command = [Keysweep.binary, "scan", repo.path, "--format", "json"]
        if getuid() == 0 {
            // Root enters any directory: run as an unprivileged user, who owns the repository.
            try Run.process("/bin/chown", ["-R", "65534:65534", repo.path])
            command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command
        }
        let result = try Run.process(command[0], Array(command.dropFirst()), environment: environment)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("corrupt"), "\(result.stderr)")
        // ~/.gitconfig and ~/.config/git/config: one warning each.
        #expect(result.stderr.split(separator: "\n").map(String.init) == [".gitconfig", ".config/git/config"].map {
            "keysweep: warning: cannot read the git configuration \(home.path)/\($0) (Permission denied); its settings are not used"
        })
        let report = try JSONDecoder().decode(Report.self, from: result.stdoutData)
        #expect(report.stats.commits == 1, "scanned as a repository")
        #expect(report.finding(secret: Secrets.keyID) != nil)
    }

    /// A repository of a commit with the secret and five more commits, each adding a file,
    /// packed without deltas so each object's bytes stand alone.
    static func packedRepository() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        for i in 0..<5 {
            try repo.commit("c\(i)", ["f\(i).txt": (0..<40).map { "line \($0) of file \(i)\n" }.joined()])
        }
        try repo.git(["repack", "-a", "-d", "-q", "--window=0"])
        return repo
    }

    /// Flips bytes in the middle of the compressed data of `object` in the repository's pack.
    static func damage(_ object: String, in repo: GitRepo) throws {
        let packs = repo.path + "/.git/objects/pack/"
        let index = try #require(try FileManager.default.contentsOfDirectory(atPath: packs).first { $0.hasSuffix(".idx") })
        // `verify-pack -v`: id, type, size, size in the pack, offset.
        let line = try #require(try repo.git(["verify-pack", "-v", packs + index]).split(separator: "\n").first { $0.hasPrefix(object) })
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        let (length, offset) = (try #require(Int(fields[3])), try #require(Int(fields[4])))
        let pack = packs + index.dropLast(4) + ".pack"
        chmod(pack, 0o644)
        var data = try Data(contentsOf: URL(fileURLWithPath: pack))
        for i in (offset + length / 2)..<(offset + length / 2 + 4) { data[i] ^= 0xFF }
        try data.write(to: URL(fileURLWithPath: pack))
    }

    /// One damaged object is a warning naming it, and the rest of the history is scanned (it
    /// aborted the whole scan as "repository is corrupt").
    @Test(arguments: ["HEAD~2:f2.txt", "HEAD~2^{tree}", "HEAD~2"])
    func oneDamagedObjectIsAWarning(_ revision: String) throws {
        let repo = try Self.packedRepository()
        let object = try repo.git(["rev-parse", revision])
        try Self.damage(object, in: repo)
        #expect(try repo.git(["cat-file", "-p", object], allowFailure: true).isEmpty, "the object still reads")
        let before = try repo.snapshot()
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.finding(secret: Secrets.keyID) != nil)
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 1 && warnings[0].hasPrefix("keysweep: warning: ") && warnings[0].contains(object),
                "\(result.stderr)")
        // Past a damaged commit the walk cannot see its parents: HEAD and HEAD~1 remain.
        #expect(report.stats.commits == (revision == "HEAD~2" ? 2 : 6))
        #expect(try repo.snapshot() == before)
    }

    /// An offset-delta header whose base distance runs past 64 bits (a 12-byte varint) crashed
    /// the pack-order read-ahead with an overflow trap; it is damage like any other.
    @Test func deltaDistancePastSixtyFourBitsIsNotACrash() throws {
        let repo = try Self.packedRepository()
        let object = try repo.git(["rev-parse", "HEAD~2:f2.txt"])
        let packs = repo.path + "/.git/objects/pack/"
        let index = try #require(try FileManager.default.contentsOfDirectory(atPath: packs).first { $0.hasSuffix(".idx") })
        let line = try #require(try repo.git(["verify-pack", "-v", packs + index]).split(separator: "\n").first { $0.hasPrefix(object) })
        let offset = try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[4]))
        let pack = packs + index.dropLast(4) + ".pack"
        chmod(pack, 0o644)
        var data = try Data(contentsOf: URL(fileURLWithPath: pack))
        // Type 6 (offset delta), size 0; then a distance whose 11th byte would overflow.
        let header: [UInt8] = [0x60, 0x80] + [UInt8](repeating: 0xFE, count: 8) + [0xFF, 0x80]
        data.replaceSubrange(offset..<(offset + header.count), with: header)
        try data.write(to: URL(fileURLWithPath: pack))
        let (result, report) = try Keysweep.scanJSON([repo.path, "--jobs", "2"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(report.finding(secret: Secrets.keyID) != nil)
        #expect(result.stderr.contains("warning: ") && result.stderr.contains(object), "\(result.stderr)")
    }

    /// An empty `.idx` is no index (not read: Foundation leaked a 4 KiB buffer reading an empty
    /// file, found by the pack-index fuzzer's leak check).
    @Test func emptyPackIndexIsSkipped() throws {
        let dir = TempDirectory()
        dir.write("objects/pack/pack-empty.idx", Data())
        dir.write("objects/pack/pack-empty.pack", Data())
        #expect(PackIndex.damage(at: dir.file("objects/pack/pack-empty.idx")) == nil)
        #expect(PackIndex.all(objectsDirectory: dir.file("objects")).isEmpty)
        #expect(PackedBlobs.inPackOrder(objectsDirectory: dir.file("objects")).isEmpty)
    }

    /// A second keysweep on the same `--cache` waits for the first's lock (it gave up at once
    /// with "database is locked" and scanned without the cache).
    @Test func secondProcessOnOneCacheWaitsForTheLock() throws {
        let repo = try GitRepo()
        try repo.commit("creds", ["creds.env": Secrets.credentials()])
        let cache = TempDirectory("keysweep-cache")
        #expect(try Keysweep.run(["scan", repo.path, "--cache", cache.path]).status == 1)
        // Another process holds the database's exclusive lock for two seconds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        holder.arguments = ["python3", "-c", """
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('BEGIN EXCLUSIVE')
            print('locked', flush=True)
            time.sleep(2)
            db.execute('COMMIT')
            """, cache.file("keysweep-cache.sqlite")]
        let out = Pipe()
        holder.standardOutput = out
        try holder.run()
        #expect(String(decoding: out.fileHandleForReading.availableData, as: UTF8.self).hasPrefix("locked"))
        let (result, report) = try Keysweep.scanJSON([repo.path, "--cache", cache.path])
        holder.waitUntilExit()
        try? out.fileHandleForReading.close()
        #expect(result.status == 1)
        #expect(result.stderr.isEmpty, "\(result.stderr)")
        #expect(report.stats.cached_blobs == report.stats.blobs)
        #expect(report.finding(secret: Secrets.keyID) != nil)
    }
}
