import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Archives and compressed files in real repositories, made with Python's zipfile, tarfile,
/// gzip, bz2 and lzma (and the zstd tool): members are scanned with provenance
/// `outer!member`, nested archives down to `--extract-depth`, and hostile archives (bombs,
/// hostile names, encrypted, truncated, corrupt) are bounded and named in warnings.
@Suite struct ArchiveTests {
    static func python(_ script: String, in dir: String) throws {
        let result = try Run.process("/usr/bin/python3", ["-c", script], cwd: dir)
        guard result.status == 0 else { throw TestFailure("python failed: \(result.stderr)") }
    }

    static let creds = "AWS_ACCESS_KEY_ID = '\(Secrets.keyID)'\nAWS_SECRET_ACCESS_KEY = '\(Secrets.secretKey)'\n"

    @Test func membersOfArchivesAndCompressedFilesAreScanned() throws {
        var keys = AWSCorpus(seed: 155)
        let ids = (0..<6).map { _ in keys.keyID() }, secrets = (0..<6).map { _ in keys.secretKey() }
        func creds(_ k: Int) -> String { "aws_access_key_id = \(ids[k])\naws_secret_access_key = \(secrets[k])\n" }
        let repo = try GitRepo()
        try repo.commit("init", ["README": "hello\n"])
        try Self.python("""
            import gzip, zipfile, tarfile, io, bz2, lzma, os
            os.makedirs("logs", exist_ok=True); os.makedirs("deploy", exist_ok=True)
            with gzip.open("logs/debug.log.gz", "wb") as f:
                f.write(b"start\\n" + b"debug: loading profile\\n" * 3 + \(Self.pyBytes(creds(0))))
            with zipfile.ZipFile("deploy/lambda.zip", "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("handler.py", "def handler(event, context):\\n    return 1\\n")
                z.writestr("config.py", \(Self.pyBytes(creds(1))))
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as z:
                z.writestr("settings.py", \(Self.pyBytes(creds(2))))
            with tarfile.open("bundle.tar.gz", "w:gz") as t:
                info = tarfile.TarInfo("app/inner.zip"); data = inner.getvalue(); info.size = len(data)
                t.addfile(info, io.BytesIO(data))
            with open("notes.txt.bz2", "wb") as f: f.write(bz2.compress(\(Self.pyBytes(creds(3)))))
            with open("env.xz", "wb") as f: f.write(lzma.compress(\(Self.pyBytes(creds(4)))))
            with open("report.docx", "wb") as f:
                b = io.BytesIO()
                with zipfile.ZipFile(b, "w") as z: z.writestr("word/document.xml", "<w:t>" + \(Self.pyBytes(creds(5))).decode() + "</w:t>")
                f.write(b.getvalue())
            """, in: repo.path)
        let commit = try repo.commit("artifacts")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        let expected = ["logs/debug.log.gz!debug.log", "deploy/lambda.zip!config.py", "bundle.tar.gz!app/inner.zip!settings.py",
                        "notes.txt.bz2!notes.txt", "env.xz!env", "report.docx!word/document.xml"]
        for (k, path) in expected.enumerated() {
            let id = try #require(report.finding(secret: ids[k]), "\(path): \(result.stderr)")
            #expect(id.first.path == path)
            #expect(id.first.commit == commit)
            let secret = try #require(report.finding(secret: secrets[k]))
            #expect(id.aws?.paired_secret == secret.id, "\(path)")
            #expect(secret.first.path == path)
        }
        #expect(report.finding(secret: ids[0])?.first.line == 5)
        #expect(report.stats.skipped_binary == 0)

        // The text report and the plan name the places the same way.
        let text = try Keysweep.run(["scan", repo.path])
        #expect(text.stdout.contains("bundle.tar.gz!app/inner.zip!settings.py"))
        let out = TempDirectory("keysweep-archive-plan")
        _ = try Keysweep.run(["scan", repo.path, "--remediation", out.file("plan.json")])
        let plan = try Plan.load(out.file("plan.json"))
        #expect(plan.row(ids[1])?.exposure.paths == ["deploy/lambda.zip!config.py"])

        // --no-extract: skipped as binary, nothing found; --extract-depth 1: the inner zip is not opened.
        let (_, off) = try Keysweep.scanJSON([repo.path, "--no-extract"])
        #expect(off.findings.isEmpty)
        #expect(off.stats.skipped_binary >= 5)
        let (shallow, one) = try Keysweep.scanJSON([repo.path, "--extract-depth", "1"])
        #expect(one.finding(secret: ids[2]) == nil)
        #expect(one.finding(secret: ids[1]) != nil)
        #expect(shallow.stderr.contains("app/inner.zip is an archive nested deeper than 1"), "\(shallow.stderr)")
        let bad = try Keysweep.run(["scan", repo.path, "--extract-depth", "0"])
        expectOneLineError(bad, containing: "--extract-depth 0")
    }

    @Test func zstdCompressedFile() throws {
        let repo = try GitRepo()
        repo.write("config.env", Self.creds)
        let made = try Run.process("/usr/bin/env", ["zstd", "-q", "--rm", repo.path + "/config.env", "-o", repo.path + "/config.env.zst"])
        try #require(made.status == 0, "zstd: \(made.stderr)")
        try repo.commit("zstd")
        let (_, report) = try Keysweep.scanJSON([repo.path])
        #expect(report.finding(secret: Secrets.keyID)?.first.path == "config.env.zst!config.env")
    }

    /// Hostile names are text: never used as paths, escaped when printed.
    @Test func hostileMemberNamesAreOnlyText() throws {
        let repo = try GitRepo()
        let outside = repo.dir.path + "-escape.txt"
        try Self.python("""
            import zipfile
            with zipfile.ZipFile("names.zip", "w") as z:
                z.writestr("../../\(URL(fileURLWithPath: outside).lastPathComponent)", \(Self.pyBytes(Self.creds)))
                z.writestr("/tmp/keysweep-absolute-member.txt", "token \(Secrets.githubToken)\\n")
                z.writestr("\\x1b[2Jred\\x07.txt", "aws_access_key_id = \(Secrets.temporaryKeyID)\\n")
            """, in: repo.path)
        try repo.commit("names")
        let before = try repo.snapshot()
        let (_, report) = try Keysweep.scanJSON([repo.path])
        #expect(report.finding(secret: Secrets.keyID)?.first.path == "names.zip!../../\(URL(fileURLWithPath: outside).lastPathComponent)")
        #expect(report.finding(secret: Secrets.githubToken)?.first.path == "names.zip!/tmp/keysweep-absolute-member.txt")
        #expect(report.finding(secret: Secrets.temporaryKeyID)?.first.path == "names.zip!\u{1B}[2Jred\u{07}.txt")
        let text = try Keysweep.run(["scan", repo.path])
        #expect(!text.stdout.contains("\u{1B}") && !text.stdout.contains("\u{07}"))
        #expect(text.stdout.contains("names.zip!\\e[2Jred\\x07.txt"))
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(!FileManager.default.fileExists(atPath: "/tmp/keysweep-absolute-member.txt"))
        #expect(try repo.snapshot() == before)
    }

    /// A single-member bomb and 42.zip-style nesting stop at the limits, with a warning and
    /// bounded memory; the rest of the history is still scanned.
    @Test func compressionBombsAreBounded() throws {
        let repo = try GitRepo()
        try Self.python("""
            import zipfile, io, gzip
            # One member: 1 GiB of zeros, about 1 MiB compressed.
            with zipfile.ZipFile("single.zip", "w", zipfile.ZIP_DEFLATED) as z:
                with z.open("zeros.bin", "w") as m:
                    chunk = bytes(1 << 20)
                    for _ in range(1024): m.write(chunk)
            # 42.zip-style: 16 x 16 x 16 members of 16 MiB of zeros (64 GiB), nested three deep.
            leaf = io.BytesIO()
            with zipfile.ZipFile(leaf, "w", zipfile.ZIP_DEFLATED) as z:
                with z.open("0.bin", "w") as m:
                    for _ in range(16): m.write(bytes(1 << 20))
            def wrap(inner, count):
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    for i in range(count): z.writestr("%d.zip" % i, inner.getvalue())
                return out
            with open("42.zip", "wb") as f: f.write(wrap(wrap(wrap(leaf, 16), 16), 16).getvalue())
            # A gzip bomb: 2 GiB of one letter (zeros would read as an empty tar).
            with gzip.open("letters.log.gz", "wb") as g:
                for _ in range(2048): g.write(b"A" * (1 << 20))
            """, in: repo.path)
        try repo.commit("bombs", ["creds.ini": Secrets.credentials()])
        let start = Date()
        // keysweep's own peak, measured by time(1): RUSAGE_CHILDREN would be the largest of every
        // child this test process has had, other tests' included.
        let result = try Run.process("/usr/bin/time", ["-f", "peak %M KiB", Keysweep.binary, "scan", repo.path, "--format", "json"],
                                     environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": Keysweep.stateHome]) { $1 })
        let seconds = Date().timeIntervalSince(start)
        let report = try JSONDecoder().decode(Report.self, from: result.stdoutData)
        let peak = try #require(result.stderr.split(separator: "\n").last { $0.hasPrefix("peak ") }.flatMap { Int($0.split(separator: " ")[1]) })
        #expect(report.finding(secret: Secrets.keyID) != nil)
        #expect(result.stderr.contains("compression bomb"), "\(result.stderr)")
        #expect(result.stderr.contains("member (data) is larger than --max-size; skipped"), "\(result.stderr)")
        #expect(result.stderr.contains("more notes about this archive not shown"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count < 40)
        #expect(report.stats.extracted_bytes ?? 0 < 3 * (256 << 20))
        #expect(seconds < 60)
        // Peak resident memory of the largest child so far (keysweep here): bounded.
        #expect(peak < 600 * 1024, "peak RSS \(peak) KiB")
    }

    @Test func tooManyMembersAndTooDeepNesting() throws {
        let repo = try GitRepo()
        try Self.python("""
            import zipfile, io
            with zipfile.ZipFile("many.zip", "w") as z:
                for i in range(10050): z.writestr("f%05d.txt" % i, "x")
                z.writestr("zz-last.txt", "token \(Secrets.githubToken)\\n")
            data = io.BytesIO()
            with zipfile.ZipFile(data, "w") as z: z.writestr("deep.py", \(Self.pyBytes(Self.creds)))
            for level in range(4, 0, -1):
                out = io.BytesIO()
                with zipfile.ZipFile(out, "w") as z: z.writestr("level%d.zip" % level, data.getvalue())
                data = out
            open("deep.zip", "wb").write(data.getvalue())
            """, in: repo.path)
        try repo.commit("limits")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.stderr.contains("more than 10000 archive members"), "\(result.stderr)")
        #expect(report.finding(secret: Secrets.githubToken) == nil)
        #expect(report.finding(secret: Secrets.keyID) == nil)
        #expect(result.stderr.contains("level3.zip is an archive nested deeper than 3"), "\(result.stderr)")
        let (_, deeper) = try Keysweep.scanJSON([repo.path, "--extract-depth", "5"])
        #expect(deeper.finding(secret: Secrets.keyID)?.first.path == "deep.zip!level1.zip!level2.zip!level3.zip!level4.zip!deep.py")
    }

    /// A tar.gz cut anywhere from 30% to 95%: the member's bytes decoded before the cut are
    /// scanned, so the key on its first line is found. The member is 64 KiB of a repeated line
    /// (a few hundred compressed bytes) then random text: `archive_read_data` dropped the 64 KiB
    /// it had filled when the next block failed, so every cut gave nothing.
    @Test func truncatedMemberIsScannedAsFarAsRead() throws {
        let dir = TempDirectory()
        try Self.python("""
            import tarfile, io, random, base64
            body = b"aws_access_key_id = \(Secrets.keyID)\\n" + b"INFO request served\\n" * 3300 + base64.encodebytes(random.Random(5).randbytes(45000))
            t = io.BytesIO()
            with tarfile.open(fileobj=t, mode="w:gz") as tar:
                info = tarfile.TarInfo("big.log"); info.size = len(body); tar.addfile(info, io.BytesIO(body))
            data = t.getvalue()
            for percent in range(30, 100, 5):
                open("cut%d.tar.gz" % percent, "wb").write(data[: len(data) * percent // 100])
            """, in: dir.path)
        let (result, report) = try Keysweep.scanJSON([dir.path])
        let places = Set(report.finding(secret: Secrets.keyID)?.occurrences.map(\.path) ?? [])
        for percent in stride(from: 30, to: 100, by: 5) {
            #expect(places.contains("\(dir.path)/cut\(percent).tar.gz!big.log"), "cut at \(percent)%: \(result.stderr)")
        }
        #expect(result.stderr.contains("cut30.tar.gz: member big.log is damaged"), "\(result.stderr)")
        #expect(result.status == 1)
    }

    /// Headers cost decompression too: a tar.gz of directory entries (no member data at all)
    /// stops at the entry limit, and one of pax headers with long names at the ratio limit,
    /// each with a warning naming the object; a member before them is still scanned.
    @Test func archivesOfHeadersAreBounded() throws {
        let dir = TempDirectory()
        try Self.python("""
            import tarfile, io
            def add_key(tar):
                text = b"aws_access_key_id = \(Secrets.keyID)\\n"
                info = tarfile.TarInfo("first.txt"); info.size = len(text); tar.addfile(info, io.BytesIO(text))
            # 150,000 directory headers: 77 MB of tar, no data.
            with tarfile.open("dirs.tar.gz", "w:gz", format=tarfile.USTAR_FORMAT) as tar:
                add_key(tar)
                for i in range(150000):
                    info = tarfile.TarInfo("d/%06d" % i); info.type = tarfile.DIRTYPE; tar.addfile(info)
            # 20,000 directories named by 8,000 bytes each: 200 MB of pax headers.
            with tarfile.open("names.tar.gz", "w:gz", format=tarfile.PAX_FORMAT) as tar:
                add_key(tar)
                for i in range(20000):
                    info = tarfile.TarInfo("n" * 8000 + "%05d" % i); info.type = tarfile.DIRTYPE; tar.addfile(info)
            """, in: dir.path)
        let (result, report) = try Keysweep.scanJSON([dir.path])
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains("dirs.tar.gz: extraction stopped: more than 100000 entries") }, "\(result.stderr)")
        #expect(lines.contains { $0.contains("names.tar.gz: extraction stopped: decompressed more than 100 times") }, "\(result.stderr)")
        let places = Set(report.finding(secret: Secrets.keyID)?.occurrences.map(\.path) ?? [])
        #expect(places == ["\(dir.path)/dirs.tar.gz!first.txt", "\(dir.path)/names.tar.gz!first.txt"])
    }

    /// Encrypted members are skipped and counted; truncated and corrupt archives warn and the
    /// rest (of the archive, and of the scan) goes on.
    @Test func encryptedTruncatedAndCorruptArchives() throws {
        var keys = AWSCorpus(seed: 156)
        let early = keys.keyID(), late = keys.keyID()
        let repo = try GitRepo()
        try Self.python("""
            import zipfile, tarfile, io, gzip, struct
            # A zip whose second member is marked encrypted (general purpose flag bit 0).
            b = io.BytesIO()
            with zipfile.ZipFile(b, "w") as z:
                z.writestr("plain.txt", "aws_access_key_id = \(early)\\n")
                z.writestr("secret.txt", "aws_access_key_id = \(late)\\n")
            data = bytearray(b.getvalue())
            second = data.find(b"PK\\x03\\x04", 4)
            data[second + 6] |= 1
            central = data.find(b"PK\\x01\\x02", data.find(b"PK\\x01\\x02") + 4)
            data[central + 8] |= 1
            open("locked.zip", "wb").write(bytes(data))
            # A tar.gz cut short: the first member is whole, the second is lost.
            t = io.BytesIO()
            with tarfile.open(fileobj=t, mode="w:gz") as tar:
                for name, text in [("first.txt", \(Self.pyBytes(Self.creds))), ("second.bin", bytes(range(256)) * 4096)]:
                    info = tarfile.TarInfo(name); info.size = len(text); tar.addfile(info, io.BytesIO(text))
            open("cut.tar.gz", "wb").write(t.getvalue()[: len(t.getvalue()) // 2])
            # A gzip log cut short: what was decompressed is scanned.
            g = gzip.compress(b"token \(Secrets.githubToken)\\n" + b"".join(b"GET /item/%d 200 %d\\n" % (i, i * 7919 % 10007) for i in range(20000)))
            open("cut.log.gz", "wb").write(g[: len(g) // 2])
            # Garbage with a zip's magic.
            open("corrupt.zip", "wb").write(b"PK\\x03\\x04" + bytes(range(256)) * 8)
            """, in: repo.path)
        try repo.commit("damaged")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(report.finding(secret: early)?.first.path == "locked.zip!plain.txt")
        #expect(report.finding(secret: late) == nil)
        #expect(report.stats.encrypted_members == 1)
        #expect(result.stderr.contains("member secret.txt is encrypted; skipped"), "\(result.stderr)")
        #expect(report.finding(secret: Secrets.keyID)?.first.path == "cut.tar.gz!first.txt")
        #expect(report.finding(secret: Secrets.githubToken)?.first.path == "cut.log.gz!cut.log")
        #expect(result.stderr.contains("is damaged"), "\(result.stderr)")
        #expect(result.stderr.contains("corrupt") || result.stderr.contains("cannot be opened") || result.stderr.contains("damaged"))
        #expect(result.status == 1)
    }

    /// Damaged archives of every kind, and damaged compiled Python and Java class files (read
    /// for their strings), bytes flipped, cut, spliced at random, reproducibly: the scan ends normally (status 0 or 1, never a signal or 2), and a plain file beside them is found.
    @Test func mutatedArchivesNeverCrashTheScan() throws {
        let repo = try GitRepo()
        try Self.python("""
            import zipfile, tarfile, gzip, bz2, lzma, io, py_compile, os
            text = \(Self.pyBytes(Self.creds)) * 20
            z = io.BytesIO()
            with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as f:
                f.writestr("a.py", text); f.writestr("dir/b.txt", text)
            t = io.BytesIO()
            with tarfile.open(fileobj=t, mode="w:gz") as f:
                info = tarfile.TarInfo("c.py"); info.size = len(text); f.addfile(info, io.BytesIO(text))
            for name, data in [("z.zip", z.getvalue()), ("t.tar.gz", t.getvalue()), ("g.gz", gzip.compress(text)),
                               ("b.bz2", bz2.compress(text)), ("x.xz", lzma.compress(text))]:
                open("seed-" + name, "wb").write(data)
            open("c.py", "w").write("KEY = '\(Secrets.keyID)'\\nSECRET = '\(Secrets.secretKey)'\\nNAMES = ['a' * 300, 'b' * 70000]\\n")
            py_compile.compile("c.py", cfile="seed-c.pyc"); os.remove("c.py")
            pool = b"".join(b"\\x01" + len(s).to_bytes(2, "big") + s for s in [b"\(Secrets.keyID)", b"\(Secrets.secretKey)"])
            open("seed-C.class", "wb").write(bytes.fromhex("cafebabe00000034") + (3).to_bytes(2, "big") + pool + bytes(16))
            """, in: repo.path)
        var random = SplitMix64(seed: 15)
        for seed in try FileManager.default.contentsOfDirectory(atPath: repo.path) where seed.hasPrefix("seed-") {
            let original = try Data(contentsOf: URL(fileURLWithPath: repo.path + "/" + seed))
            for variant in 0..<40 {
                var bytes = [UInt8](original)
                switch variant % 4 {
                case 0: for _ in 0..<(1 + random.below(8)) { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
                case 1: bytes = Array(bytes.prefix(1 + random.below(bytes.count)))
                case 2: let at = random.below(bytes.count); bytes.insert(contentsOf: bytes[0..<min(64, bytes.count)], at: at)
                default: let at = 4 + random.below(max(1, bytes.count - 4)); bytes.replaceSubrange(at..<min(bytes.count, at + 16), with: [UInt8](repeating: 0xFF, count: 16))
                }
                repo.dir.write("m/\(variant)-\(seed.dropFirst(5))", Data(bytes))
            }
        }
        try repo.commit("mutants", ["plain.ini": Secrets.credentials(Secrets.oldKeyID, Secrets.secretKey2)])
        for extra in [[], ["--jobs", "1"], ["--extract-depth", "1"]] {
            let (result, report) = try Keysweep.scanJSON([repo.path] + extra)
            #expect(result.status == 1, "status \(result.status): \(result.stderr.suffix(500))")
            #expect(report.finding(secret: Secrets.oldKeyID)?.first.path == "plain.ini")
        }
    }

    /// A Python bytes literal of `text`.
    static func pyBytes(_ text: String) -> String {
        "bytes.fromhex('" + text.utf8.map { String(format: "%02x", $0) }.joined() + "')"
    }
}
