import Foundation
import Testing

/// Binary blobs of kinds that keep constants as plain bytes (compiled Python, Java classes)
/// are scanned through their printable strings, neighbours kept together so an id and
/// its secret stored as adjacent constants pair; other binaries stay skipped.
@Suite struct BinaryStringsTests {
    @Test func compiledPythonYieldsTheIdAndItsSecretPaired() throws {
        var keys = AWSCorpus(seed: 157)
        let id = keys.keyID(), secret = keys.secretKey()
        let wheelID = keys.keyID(), wheelSecret = keys.secretKey()
        let elfID = keys.keyID()
        let classID = keys.keyID(), classSecret = keys.secretKey()
        let repo = try GitRepo()
        try ArchiveTests.python("""
            import py_compile, os, zipfile, sqlite3, shutil
            os.makedirs("src", exist_ok=True)
            open("src/settings.py", "w").write("AWS_ACCESS_KEY_ID = '\(id)'\\nAWS_SECRET_ACCESS_KEY = '\(secret)'\\nREGION = 'eu-west-1'\\n")
            py_compile.compile("src/settings.py", cfile="__pycache__/settings.cpython-311.pyc")
            os.remove("src/settings.py")
            open("/tmp/keysweep-wheel-%d.py" % os.getpid(), "w").write("KEY = '\(wheelID)'\\nSECRET = '\(wheelSecret)'\\n")
            py_compile.compile("/tmp/keysweep-wheel-%d.py" % os.getpid(), cfile="w.pyc")
            os.remove("/tmp/keysweep-wheel-%d.py" % os.getpid())
            with zipfile.ZipFile("dist/pkg-1.0-py3-none-any.whl" if os.makedirs("dist", exist_ok=True) is None else "", "w") as z:
                z.write("w.pyc", "pkg/__pycache__/config.cpython-311.pyc")
            os.remove("w.pyc")
            # A Java class's constant pool: CONSTANT_Utf8 entries (tag 1, big-endian length).
            def utf8(s): return b"\\x01" + len(s).to_bytes(2, "big") + s.encode()
            pool = [utf8("com/example/Config"), utf8("\(classID)"), utf8("\(classSecret)"), utf8("<init>")]
            open("Config.class", "wb").write(bytes.fromhex("cafebabe00000034") + (len(pool) + 1).to_bytes(2, "big") + b"".join(pool) + bytes(16))
            shutil.copy("/bin/true", "tool")
            open("tool", "ab").write(b"\\0aws_access_key_id = \(elfID)\\0")
            """, in: repo.path)
        let commit = try repo.commit("build outputs")
        let (result, report) = try Keysweep.scanJSON([repo.path])
        let found = try #require(report.finding(secret: id), "\(result.stderr)")
        #expect(found.first.path == "__pycache__/settings.cpython-311.pyc")
        #expect(found.first.commit == commit)
        #expect(found.occurrences.first?.decoding == "strings")
        let secretFinding = try #require(report.finding(secret: secret))
        #expect(found.aws?.paired_secret == secretFinding.id)

        let wheel = try #require(report.finding(secret: wheelID))
        #expect(wheel.first.path == "dist/pkg-1.0-py3-none-any.whl!pkg/__pycache__/config.cpython-311.pyc")
        #expect(wheel.aws?.paired_secret == report.finding(secret: wheelSecret)?.id)


        let java = try #require(report.finding(secret: classID))
        #expect(java.first.path == "Config.class")
        #expect(java.aws?.paired_secret == report.finding(secret: classSecret)?.id)

        // An executable is not read for strings (README: why); --include-binary scans its raw bytes.
        #expect(report.finding(secret: elfID) == nil)
        #expect(report.stats.skipped_binary >= 1)
        #expect((report.stats.binary_strings ?? 0) == 3)
        let (_, raw) = try Keysweep.scanJSON([repo.path, "--include-binary"])
        #expect(raw.finding(secret: elfID)?.first.path == "tool")
    }
}
