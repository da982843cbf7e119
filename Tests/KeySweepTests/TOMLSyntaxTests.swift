import Foundation
import KeySweepRuleFile
import Testing

/// TOML read by keysweep (ignore files, gitleaks configurations, rule files) is checked by
/// `TOMLSyntax` before toml++ parses it: toml++ is built with assertions, and malformed input
/// such as `[?` or `e=[1,}` aborted the process (SIGABRT) where it should have been an error.
@Suite struct TOMLSyntaxTests {
    /// Documents toml++ aborted on, and others of the same kinds.
    static let malformed: [(text: String, line: Int, column: Int)] = [
        ("[?", 1, 2), ("e=[1,}", 1, 6), ("a = [1 2]", 1, 8), ("[a", 1, 3), ("[[a]", 1, 5), ("a.=1", 1, 3),
        ("x = {a=1,}", 1, 10), ("x = {a=1\n}", 1, 9), ("x = \"abc", 1, 5), ("x = 'a\nb'", 1, 7), ("x = 01", 1, 6),
        ("x = 1__0", 1, 7), ("x = \"\\e\"", 1, 7), ("x = \"\\uD800\"", 1, 12), ("x = 2023-02-29", 1, 13),
        ("x = 1979-05-27T25:00:00", 1, 16), ("x = .5", 1, 5), ("x = 5.", 1, 7), ("x = truex", 1, 9),
        ("x = [,]", 1, 6), ("a = 1\r\nb = 2\rc = 3", 2, 6), ("# bell \u{07}", 1, 8), ("x = \"\u{1B}[2J\"", 1, 6),
        ("\"\"\"k\"\"\" = 1", 1, 1), ("x = '''a''''''", 1, 15), ("= 1", 1, 1), ("[]", 1, 2), ("[ [a] ]", 1, 3),
        ("x = \"\"\"a\\ b\"\"\"", 1, 11), ("x = 0x", 1, 7), ("x = +0x10", 1, 7), ("x = 1e", 1, 7), ("a = \u{0}", 1, 5),
    ]

    @Test func malformedDocumentsAreErrorsWithLineAndColumn() throws {
        for (text, line, column) in Self.malformed {
            #expect(throws: TOMLSyntax.Violation.self, "\(text.debugDescription)") { try TOMLSyntax.check(text) }
            do {
                _ = try TOMLReading.table(text)
                Issue.record("accepted: \(text.debugDescription)")
            } catch {
                #expect((error.line, error.column) == (line, column), "\(text.debugDescription): \(error.message(file: "f"))")
                #expect(!error.reason.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(error.reason)")
            }
        }
    }

    /// TOML 1.0's own examples of valid syntax are accepted, and toml++ reads them.
    @Test func validDocumentsAreAccepted() throws {
        let valid = [
            "", "\u{FEFF}a = 1", "# comment\n\n  a = 1 # trailing\r\nb.c . d = 'x'\n",
            "\"quoted key\" = 1\n'literal key' = 2\n\"\" = 3\n1234 = 5\n-_- = 6",
            "[a.b]\nc = 1\n[ d . \"e\" ]\n[[f]]\n[[ f ]]\ng = [\n  1, # one\n  2,\n]\n",
            "x = \"\"\"\nline\\\n   continued \\\"quote\\\" \"\" \\u00E9 \\U0001F600\"\"\"\"\"\ny = '''\nraw \\ ''text'' '''''",
            "i = [+99, 42, 0, -17, 1_000, 0xDEAD_beef, 0o755, 0b1101, -0]\n",
            "f = [+1.0, 3.1415, -0.01, 5e+22, 1e06, -2E-2, 6.626e-34, 224_617.445_991, inf, -inf, +nan, nan, 0e0]\n",
            "d = [1979-05-27T07:32:00Z, 1979-05-27T00:32:00-07:00, 1979-05-27 07:32:00.999999, 1979-05-27, 07:32:00, 00:32:00.5, 2024-02-29t01:02:03z]\n",
            "t = { x = 1, y.z = [ { a = 'b' }, [] ], w = {} }\nb = [true, false]\n",
            "e = \"tab\there \\b\\f\\n\\r\\t\\\\\"\nd = 1979-05-27 # a date then a comment",
        ]
        for text in valid {
            #expect(throws: Never.self, "\(text.debugDescription)") { try TOMLSyntax.check(text) }
            #expect(throws: Never.self, "\(text.debugDescription)") { _ = try TOMLReading.table(text) }
        }
    }

    /// What toml++ recursed on (100,000 dotted segments overflowed its stack) or spent the
    /// square of on (distinct `[[arrays]]`) stops at the limits, as errors.
    @Test func depthAndArrayTableHeadersAreBounded() throws {
        let deepHeader = "[" + String(repeating: "a.", count: 100_000) + "a]"
        let deepKey = String(repeating: "a.", count: 100_000) + "a = 1"
        let deepValue = "x = " + String(repeating: "[", count: 100_000)
        let deepInline = "x = " + String(repeating: "{a.b.c.d=", count: 60) + "1" + String(repeating: "}", count: 60)
        for text in [deepHeader, deepKey, deepValue, deepInline] {
            #expect(throws: TOMLSyntax.Violation.self) { try TOMLSyntax.check(text) }
        }
        #expect(throws: Never.self) { try TOMLSyntax.check("[" + String(repeating: "a.", count: TOMLSyntax.maxDepth - 1) + "a]") }
        let arrays = (0...TOMLSyntax.maxArrayTableHeaders).map { "[[a\($0)]]" }.joined(separator: "\n")
        do {
            try TOMLSyntax.check(arrays)
            Issue.record("\(TOMLSyntax.maxArrayTableHeaders + 1) array headers accepted")
        } catch {
            #expect(error.line == TOMLSyntax.maxArrayTableHeaders + 1)
            #expect(error.reason.contains("[[array of tables]] headers"))
        }
        #expect(throws: TOMLSyntax.Violation.self) { try TOMLSyntax.check(String(repeating: "#", count: TOMLSyntax.maxBytes + 1)) }
    }

    /// Every built-in rule file passes the check (the build reads them through it too).
    @Test func everyBuiltInRuleFileIsAccepted() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let files = FileManager.default.enumerator(atPath: root.path + "/Patterns")?.compactMap { $0 as? String }.filter { $0.hasSuffix(".toml") } ?? []
        #expect(files.count > 100)
        for file in files {
            let text = try String(contentsOfFile: root.path + "/Patterns/" + file, encoding: .utf8)
            #expect(throws: Never.self, "\(file)") { try TOMLSyntax.check(text) }
        }
    }

    /// Every prefix and every one-byte change of valid documents: the check either refuses it or
    /// toml++ reads it without aborting this process (toml++ is built with its assertions here).
    @Test func editsOfValidDocumentsNeverReachAnAssertion() throws {
        let seeds = ["[a.b]\nc = [1, {d = 'e'}, \"f\\n\"]\n[[g]]\nh = 1979-05-27T07:32:00Z # x\n",
                     "x = \"\"\"\na\\\n b\"\"\"\ny = '''q'''\nz = {a.b = 0x1F, c = -1.5e3, d = inf}\n"]
        let replacements: [UInt8] = Array("[]{}=,.\"'#\n\r\\ 0aeE+-_:T?}".utf8)
        for seed in seeds {
            let bytes = Array(seed.utf8)
            for end in 0...bytes.count { _ = try? TOMLReading.table(String(decoding: bytes[..<end], as: UTF8.self)) }
            for position in bytes.indices {
                for replacement in replacements {
                    var edited = bytes
                    edited[position] = replacement
                    _ = try? TOMLReading.table(String(decoding: edited, as: UTF8.self))
                    edited.insert(replacement, at: position)
                    _ = try? TOMLReading.table(String(decoding: edited, as: UTF8.self))
                }
                var removed = bytes
                removed.remove(at: position)
                _ = try? TOMLReading.table(String(decoding: removed, as: UTF8.self))
            }
        }
    }

    // MARK: The built binary

    @Test func committedIgnoreFileThatIsNotTOMLIsAWarning() throws {
        let repo = try GitRepo()
        try repo.commit("add", [".keysweepignore": "[?", "creds": Secrets.credentials()])
        let before = try repo.snapshot()
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("keysweep: warning: \(repo.path)/.keysweepignore:1:2: invalid TOML: expected a key"), "\(result.stderr)")
        #expect(result.stderr.contains("scanned without it"))
        #expect(report.finding(secret: Secrets.keyID) != nil)
        #expect(try repo.snapshot() == before)

        // Read from HEAD's tree (a bare repository) the same.
        let bare = TempDirectory()
        try repo.git(["clone", "-q", "--bare", repo.path, bare.file("b.git")])
        let (fromHead, _) = try Keysweep.scanJSON([bare.file("b.git")])
        #expect(fromHead.status == 1, "\(fromHead.stderr)")
        #expect(fromHead.stderr.contains("HEAD:.keysweepignore:1:2: invalid TOML"), "\(fromHead.stderr)")
    }

    /// A committed ignore file past TOML's limit is not read at all (a blob is read whole).
    @Test func oversizedIgnoreFileIsNotRead() throws {
        let repo = try GitRepo()
        try repo.commit("add", [".keysweepignore": "# " + String(repeating: "x", count: TOMLSyntax.maxBytes) + "\n",
                                "creds": Secrets.credentials()])
        let (result, _) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(".keysweepignore: larger than 8 MiB, not an ignore file; scanned without it"), "\(result.stderr)")
        let bare = TempDirectory()
        try repo.git(["clone", "-q", "--bare", repo.path, bare.file("b.git")])
        let (fromHead, _) = try Keysweep.scanJSON([bare.file("b.git")])
        #expect(fromHead.stderr.contains("HEAD:.keysweepignore: larger than 8 MiB, not an ignore file"), "\(fromHead.stderr)")
        let dir = TempDirectory()
        dir.write("big.toml", "# " + String(repeating: "x", count: TOMLSyntax.maxBytes) + "\n")
        dir.write("target.txt", "hello\n")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--config", dir.file("big.toml")]),
                           containing: "big.toml: larger than 8 MiB, not a gitleaks configuration")
    }

    /// A committed `.keysweepignore` that is a symbolic link to /dev/zero (or a FIFO) is not
    /// read forever: only a regular file is read.
    @Test func ignoreFileThatIsNoRegularFileIsNotRead() throws {
        let repo = try GitRepo()
        try repo.commit("add", ["creds": Secrets.credentials()])
        #expect(symlink("/dev/zero", repo.path + "/.keysweepignore") == 0)
        try repo.commit("link")
        let (result, _) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains(".keysweepignore: not a regular file, not an ignore file; scanned without it"), "\(result.stderr)")
        let dir = TempDirectory()
        dir.write("target.txt", "hello\n")
        #expect(mkfifo(dir.file("fifo.toml"), 0o600) == 0)
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--config", dir.file("fifo.toml")]),
                           containing: "fifo.toml: not a regular file, not a gitleaks configuration")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--ignore-file", "/dev/zero"]),
                           containing: "/dev/zero: not a regular file, not an ignore file")
        // A FIFO among the rule files is named as such (it was "cannot read rule file").
        try FileManager.default.createDirectory(atPath: dir.file("rules"), withIntermediateDirectories: true)
        #expect(mkfifo(dir.file("rules/wait.toml"), 0o600) == 0)
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--patterns", dir.file("rules")]),
                           containing: "wait.toml: not a regular file, not a rule file")
    }

    @Test func namedFilesThatAreNotTOMLAreOneLineErrors() throws {
        let dir = TempDirectory()
        dir.write("target.txt", "hello\n")
        dir.write("bad.ignore", "[?")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--ignore-file", dir.file("bad.ignore")]),
                           containing: "bad.ignore:1:2: invalid TOML: expected a key, found '?'")
        dir.write("gitleaks.toml", "[[rules]]\nid = 'x'\ne=[1,}")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--config", dir.file("gitleaks.toml")]),
                           containing: "gitleaks.toml:3:6: invalid TOML: expected a value, found '}'")
        dir.write("rules/bad.toml", "e=[1,}")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--patterns", dir.file("rules")]),
                           containing: "bad.toml:1:6: invalid TOML: expected a value, found '}'")
        expectOneLineError(try Keysweep.run(["rules", "--patterns", dir.file("rules")]), containing: "bad.toml:1:6: invalid TOML")
        // What toml++ itself refuses (meaning, not syntax) keeps its message, with line and column.
        dir.write("rules/bad.toml", "a = 1\na = 2\n")
        expectOneLineError(try Keysweep.run(["scan", dir.file("target.txt"), "--patterns", dir.file("rules")]),
                           containing: "bad.toml:2:5: invalid TOML: Error while parsing key-value pair: cannot redefine existing integer 'a'")
    }

    @Test func preCommitHookOfARepositoryWithAMalformedIgnoreFile() throws {
        let repo = try GitRepo()
        try repo.commit("initial", [".keysweepignore": "[?", "README.md": "hello\n"])
        let installed = try Keysweep.run(["install-hook", repo.path])
        #expect(installed.status == 0, "\(installed.stderr)")
        repo.write("notes.txt", "nothing secret\n")
        try repo.git(["add", "notes.txt"])
        let clean = try repo.gitResult(["commit", "-q", "-m", "notes"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stderr.contains(".keysweepignore:1:2: invalid TOML"), "\(clean.stderr)")
        #expect(!clean.stderr.contains("Assertion"))
        repo.write("deploy.sh", "export GITHUB_TOKEN=\(Secrets.githubToken)\n")
        try repo.git(["add", "deploy.sh"])
        let refused = try repo.gitResult(["commit", "-q", "-m", "deploy"])
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("github-token") || refused.stdout.contains("github-token"), "\(refused.stdout)\(refused.stderr)")
    }
}
