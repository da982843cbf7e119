import Foundation
import Testing

/// The containers libarchive reads besides zip and tar (a `.deb`'s ar, cpio, RPM, 7z, ISO 9660,
/// xar, cab), binary property lists and PDFs' compressed streams, made by the test: `ar` for the
/// `.deb`, libarchive's own writer through Python's ctypes for 7z, ISO and xar (no 7z, mkisofs or
/// xar tool here), and Python building cpio, RPM and cab bytes by their formats. Cut and garbage
/// versions of each are scanned without a crash.
@Suite struct ContainerFormatTests {
    /// Python helpers: `write_archive(path, format, files)` (libarchive's writer), `cpio`,
    /// `rpm`, `cab` (bytes of those formats holding `files`, a list of (name, bytes)).
    static let helpers = #"""
        import ctypes, gzip, io, struct, tarfile, subprocess, os, zlib, plistlib, random
        la = ctypes.CDLL("libarchive.so.13")
        la.archive_write_new.restype = ctypes.c_void_p
        la.archive_entry_new.restype = ctypes.c_void_p
        la.archive_write_data.restype = ctypes.c_ssize_t
        def write_archive(path, fmt, files):
            a = ctypes.c_void_p(la.archive_write_new())
            assert getattr(la, "archive_write_set_format_" + fmt)(a) == 0, fmt
            assert la.archive_write_open_filename(a, path.encode()) == 0
            for name, data in files:
                e = ctypes.c_void_p(la.archive_entry_new())
                la.archive_entry_set_pathname(e, name.encode())
                la.archive_entry_set_size(e, ctypes.c_int64(len(data)))
                la.archive_entry_set_filetype(e, 0o100000)
                la.archive_entry_set_perm(e, 0o644)
                assert la.archive_write_header(a, e) == 0
                assert la.archive_write_data(a, data, ctypes.c_size_t(len(data))) == len(data)
                la.archive_entry_free(e)
            assert la.archive_write_close(a) == 0
            la.archive_write_free(a)
        def cpio(files):
            out = io.BytesIO()
            for i, (name, data) in enumerate(files + [("TRAILER!!!", b"")]):
                n = name.encode() + b"\0"
                mode = 0o100644 if name != "TRAILER!!!" else 0
                out.write(b"070701" + b"".join(b"%08X" % v for v in [i + 1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0]))
                out.write(n); out.write(b"\0" * (-(110 + len(n)) % 4)); out.write(data); out.write(b"\0" * (-len(data) % 4))
            return out.getvalue()
        def rpm(files):
            lead = b"\xed\xab\xee\xdb\x03\x00\x00\x00\x00\x01" + b"keysweep-test".ljust(66, b"\0") + b"\x00\x01\x00\x05" + b"\0" * 16
            header = b"\x8e\xad\xe8\x01\0\0\0\0" + struct.pack(">II", 0, 0)
            return lead + header + header + gzip.compress(cpio(files))
        def cab(files):
            data = b"".join(d for _, d in files)
            names = [n.encode() + b"\0" for n, _ in files]
            files_off = 36 + 8
            data_off = files_off + sum(16 + len(n) for n in names)
            out = b"MSCF" + struct.pack("<IIIIIBBHHHHH", 0, data_off + 8 + len(data), 0, files_off, 0, 3, 1, 1, len(files), 0, 0, 0)
            out += struct.pack("<IHH", data_off, 1, 0)
            pos = 0
            for (n, d), raw in zip(files, names):
                out += struct.pack("<IIHHHH", len(d), pos, 0, 0x5A21, 0, 0x20) + raw
                pos += len(d)
            return out + struct.pack("<IHH", 0, len(data), len(data)) + data
        def tgz(files):
            b = io.BytesIO()
            with tarfile.open(fileobj=b, mode="w:gz") as t:
                for name, data in files:
                    info = tarfile.TarInfo(name); info.size = len(data); t.addfile(info, io.BytesIO(data))
            return b.getvalue()
        def pdf(content):
            stream = zlib.compress(content)
            objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
                       b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
                       b"<< /Type /Page /Parent 2 0 R /Contents 3 0 R >>"]
            out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
            offsets = []
            for i, body in enumerate(objects):
                offsets.append(len(out)); out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
            xref = len(out)
            out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
            return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref
        """#

    static func python(_ script: String, in dir: String) throws {
        try ArchiveTests.python(helpers + "\n" + script, in: dir)
    }

    static func creds(_ id: String, _ secret: String) -> String {
        ArchiveTests.pyBytes("aws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n")
    }

    @Test func debCpioRPM7zISOXarAndCabMembersAreScanned() throws {
        var keys = AWSCorpus(seed: 157)
        let ids = (0..<7).map { _ in keys.keyID() }, secrets = (0..<7).map { _ in keys.secretKey() }
        let repo = try GitRepo()
        try Self.python("""
            os.makedirs("deb", exist_ok=True)
            open("deb/debian-binary", "wb").write(b"2.0\\n")
            open("deb/control.tar.gz", "wb").write(tgz([("control", b"Package: app\\n")]))
            open("deb/data.tar.gz", "wb").write(tgz([("etc/app/credentials", \(Self.creds(ids[0], secrets[0])))]))
            subprocess.run(["ar", "rc", "../app.deb", "debian-binary", "control.tar.gz", "data.tar.gz"], cwd="deb", check=True)
            for f in os.listdir("deb"): os.remove("deb/" + f)
            os.rmdir("deb")
            open("initrd.cpio", "wb").write(cpio([("etc/app.conf", \(Self.creds(ids[1], secrets[1])))]))
            open("app.rpm", "wb").write(rpm([("etc/app.conf", \(Self.creds(ids[2], secrets[2])))]))
            write_archive("bundle.7z", "7zip", [("etc/app.conf", \(Self.creds(ids[3], secrets[3])))])
            write_archive("disk.iso", "iso9660", [("etc/app.conf", \(Self.creds(ids[4], secrets[4])))])
            write_archive("app.xar", "xar", [("etc/app.conf", \(Self.creds(ids[5], secrets[5])))])
            open("setup.cab", "wb").write(cab([("etc/app.conf", \(Self.creds(ids[6], secrets[6])))]))
            """, in: repo.path)
        try repo.commit("packages")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        let expected = ["app.deb!data.tar.gz!etc/app/credentials", "initrd.cpio!etc/app.conf", "app.rpm!etc/app.conf",
                        "bundle.7z!etc/app.conf", "disk.iso!etc/app.conf", "app.xar!etc/app.conf", "setup.cab!etc/app.conf"]
        for (k, path) in expected.enumerated() {
            let id = try #require(report.finding(secret: ids[k]), "\(path): \(result.stderr)")
            #expect(id.first.path == path)
            let secret = try #require(report.finding(secret: secrets[k]), "\(path)")
            #expect(id.aws?.paired_secret == secret.id, "\(path)")
        }
        #expect(report.stats.skipped_binary == 0)
    }

    @Test func binaryPropertyListsAndPDFStreamsAreRead() throws {
        let repo = try GitRepo()
        try Self.python("""
            os.makedirs("Preferences", exist_ok=True)
            prefs = {"aws_access_key_id": "\(Secrets.keyID)", "aws_secret_access_key": "\(Secrets.secretKey)",
                     "note": "Jeton d’accès: \(Secrets.githubToken)", "count": 3}
            open("Preferences/com.example.app.plist", "wb").write(plistlib.dumps(prefs, fmt=plistlib.FMT_BINARY))
            text = b"BT /F1 12 Tf 72 712 Td (aws_access_key_id = \(Secrets.keyID2)) Tj ET\\n" \\
                   b"BT /F1 12 Tf 72 700 Td (aws_secret_access_key = \(Secrets.secretKey2)) Tj ET\\n"
            open("handbook.pdf", "wb").write(pdf(text))
            """, in: repo.path)
        try repo.commit("documents")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        let id = try #require(report.finding(secret: Secrets.keyID), "\(result.stderr)")
        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(id.aws?.paired_secret == secret.id)
        #expect(id.first.path == "Preferences/com.example.app.plist")
        #expect(id.occurrences.first?.decoding == "strings")
        // A string with a non-ASCII character is stored as UTF-16BE.
        #expect(report.finding(secret: Secrets.githubToken)?.first.path == "Preferences/com.example.app.plist")

        let pdfID = try #require(report.finding(secret: Secrets.keyID2), "\(result.stderr)")
        let pdfSecret = try #require(report.finding(secret: Secrets.secretKey2))
        #expect(pdfID.first.path == "handbook.pdf!stream 3")
        #expect(pdfID.aws?.paired_secret == pdfSecret.id)
    }

    /// Every format cut short at several points, and with its body overwritten by noise: the
    /// scan ends, with a report, and names nothing it could not read as a finding.
    @Test func cutAndGarbageContainersDoNotCrash() throws {
        let dir = TempDirectory("keysweep-cut-containers")
        try Self.python("""
            files = [("etc/app.conf", \(Self.creds(Secrets.keyID, Secrets.secretKey)) * 50)]
            made = {"cpio": cpio(files), "rpm": rpm(files), "cab": cab(files),
                    "plist": plistlib.dumps({"k%d" % i: "v" * i for i in range(200)}, fmt=plistlib.FMT_BINARY),
                    "pdf": pdf(b"BT (x) Tj ET\\n" * 500)}
            for fmt in ["7zip", "iso9660", "xar", "ar_svr4"]:
                write_archive("whole." + fmt, fmt, files); made[fmt] = open("whole." + fmt, "rb").read(); os.remove("whole." + fmt)
            rng = random.Random(7)
            for name, data in made.items():
                for k in range(1, 8):
                    open("cut-%s-%d" % (name, k), "wb").write(data[: len(data) * k // 8])
                noisy = bytearray(data)
                for i in range(16, len(noisy)): noisy[i] = rng.randrange(256) if rng.random() < 0.05 else noisy[i]
                open("noise-" + name, "wb").write(bytes(noisy))
                open("garbage-" + name, "wb").write(data[:16] + bytes(rng.randrange(256) for _ in range(4096)))
            # A plist whose offsets all name one dictionary, and a PDF of many empty streams.
            body = b"bplist00\\xdf\\x10\\xff" + b"\\x00" * 2 * 255
            open("many-refs.plist", "wb").write(body + b"\\x08" * 8000 + struct.pack(">6xBBQQQ", 1, 1, 8000, 0, len(body)))
            open("streams.pdf", "wb").write(b"%PDF-1.4\\n" + b"1 0 obj << /Filter /FlateDecode >>\\nstream\\n\\x78\\x9c\\x03\\x00\\nendstream\\n" * 20000)
            """, in: dir.path)
        let start = Date()
        let (result, report) = try Keysweep.scanJSON([dir.path])
        #expect(result.status == 0 || result.status == 1, "\(result.stderr)")
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(report.stats.files > 40)
    }

    /// The new formats are held to the same limits: a 7z and an RPM of 64 MiB of zeros stop at
    /// the ratio or the member size, with a warning, and the key beside them is still found.
    @Test func bombsInTheNewFormatsAreBounded() throws {
        let dir = TempDirectory("keysweep-new-bombs")
        try Self.python("""
            zeros = [("var/zeros", b"\\0" * (64 << 20))]
            write_archive("bomb.7z", "7zip", zeros)
            open("bomb.rpm", "wb").write(rpm(zeros))
            open("keys.env", "wb").write(\(Self.creds(Secrets.keyID, Secrets.secretKey)))
            """, in: dir.path)
        let start = Date()
        let (result, report) = try Keysweep.scanJSON([dir.path])
        #expect(Date().timeIntervalSince(start) < 60)
        #expect(report.finding(secret: Secrets.keyID) != nil)
        let notes = result.stderr.components(separatedBy: "\n").filter { $0.contains("compression bomb") || $0.contains("larger than --max-size") }
        #expect(notes.count == 2, "\(result.stderr)")
        #expect(report.stats.extracted_bytes ?? 0 < 64 << 20)
    }
}
