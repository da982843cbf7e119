import Foundation
import Testing
@testable import KeySweep

/// Each bad input: one line on stderr naming the problem, exit status 2, nothing written.
@Suite struct BadInputTests {
    @Test func nonexistentPath() throws {
        expectOneLineError(try Keysweep.run(["scan", "/nonexistent/keysweep/path"]), containing: "/nonexistent/keysweep/path: no such file or directory")
    }

    @Test func pathThatIsNeitherRepositoryNorFileNorDirectory() throws {
        let dir = TempDirectory()
        let fifo = dir.file("pipe")
        #expect(mkfifo(fifo, 0o644) == 0)
        expectOneLineError(try Keysweep.run(["scan", fifo]), containing: "not a git repository, directory or regular file")
    }

    @Test func corruptRepository() throws {
        let repo = try GitRepo()
        for i in 0..<20 { try repo.commit("c\(i)", ["f\(i).txt": String(repeating: "data \(i)\n", count: 200)]) }
        try repo.git(["gc", "-q"])
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: repo.path + "/.git/objects/pack")
            .first { $0.hasSuffix(".pack") })
        let packPath = repo.path + "/.git/objects/pack/" + pack
        // Truncate the pack to half its size.
        let data = try Data(contentsOf: URL(fileURLWithPath: packPath))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: packPath))
        let before = try repo.snapshot()
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "repository is corrupt or unreadable")
        #expect(try repo.snapshot() == before)
    }

    @Test func emptyRepository() throws {
        let repo = try GitRepo()
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "has no commits and no files")
    }

    @Test func repositoryWithFilesButNoCommitsScansTheWorkTree() throws {
        let repo = try GitRepo()
        repo.write("creds", Secrets.credentials())
        let before = try repo.snapshot()
        let (result, report) = try Keysweep.scanJSON([repo.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("repository has no commits; scanning its work tree"))
        #expect(report.finding(secret: Secrets.keyID) != nil)
        #expect(try repo.snapshot() == before)
    }

    /// Named as the target, an unreadable file is exit 2 (it was a warning and exit 0, "no secrets found").
    @Test func unreadableFileNamedAsTheTargetIsAnError() throws {
        let dir = TempDirectory()
        dir.write("secret.txt", Secrets.credentials())
        chmod(dir.file("secret.txt"), 0)
        chmod(dir.path, 0o755)
        var command = [Keysweep.binary, "scan", dir.file("secret.txt")]
        if getuid() == 0 { command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command }
        expectOneLineError(try Run.process(command[0], Array(command.dropFirst())), containing: "secret.txt: permission denied")
    }

    @Test func unreadableFileInADirectoryIsAWarning() throws {
        let dir = TempDirectory()
        dir.write("ok.txt", Secrets.credentials())
        dir.write("secret.txt", "nothing\n")
        chmod(dir.file("secret.txt"), 0)
        chmod(dir.path, 0o755)
        // Root reads any file, so run as an unprivileged user when the tests run as root.
        var command = [Keysweep.binary, "scan", dir.path, "--format", "json"]
        if getuid() == 0 { command = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] + command }
        let result = try Run.process(command[0], Array(command.dropFirst()))
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("warning: cannot open \(dir.file("secret.txt")): Permission denied"))
        #expect(result.stdout.contains(Secrets.keyID))
    }

    @Test func unknownFlag() throws {
        expectOneLineError(try Keysweep.run(["scan", "--no-such-flag", "."]), containing: "--no-such-flag")
    }

    @Test func badOptionValues() throws {
        expectOneLineError(try Keysweep.run(["scan", "--jobs", "0", "."]), containing: "--jobs")
        expectOneLineError(try Keysweep.run(["scan", "--max-size", "lots", "."]), containing: "--max-size")
        expectOneLineError(try Keysweep.run(["scan", "--format", "xml", "."]), containing: "xml")
        // Overflow, negative numbers and zero are named as such (they crashed or read as a missing value).
        expectOneLineError(try Keysweep.run(["scan", "--max-size", "99999999999G", "."]), containing: "is not a size below 8 EiB")
        expectOneLineError(try Keysweep.run(["scan", "--max-size", "-5", "."]), containing: "--max-size '-5' is negative")
        expectOneLineError(try Keysweep.run(["scan", "--max-size", "0", "."]), containing: "--max-size 0 would skip everything")
        expectOneLineError(try Keysweep.run(["scan", "--jobs", "-1", "."]), containing: "(-1 is negative)")
    }

    /// `--verify-timeout -1` read `-1` as a flag and said "Missing value"; every numeric flag
    /// names a negative value as negative, written as two arguments or with `=`.
    @Test func negativeNumbersAreNamedAsNegative() throws {
        let dir = TempDirectory()
        dir.write("target.txt", "hello\n")
        let report = dir.file("report.json")
        let cases: [([String], String)] = [
            (["scan", "--verify", "--verify-timeout", "-1"], "--verify-timeout -1 is negative"),
            (["scan", "--verify-timeout", "-2.5"], "--verify-timeout -2.5 is negative"),
            (["scan", "--verify-timeout", "0"], "--verify-timeout 0 is not above 0 and at most 600 seconds"),
            (["scan", "--extract-depth", "-1"], "--extract-depth -1 is negative"),
            (["scan", "--clone-jobs", "-1"], "--clone-jobs must be at least 1 (-1 is negative)"),
            (["scan", "--remote-timeout", "-1"], "--remote-timeout must be at least 1 (-1 is negative)"),
            (["scan", "--max-rate-limit-wait", "-1"], "--max-rate-limit-wait -1 is negative"),
            (["remediate", report, "--verify-timeout", "-1"], "--verify-timeout -1 is negative"),
            (["merge", report, report, "--verify-timeout", "-1"], "--verify-timeout -1 is negative"),
        ]
        for (arguments, message) in cases {
            let command = arguments[0] == "scan" ? arguments + [dir.file("target.txt")] : arguments
            expectOneLineError(try Keysweep.run(command), containing: message)
            // The same value after `=`.
            var joined = command
            let flag = try #require(joined.firstIndex { $0.hasPrefix("--") && $0 != "--verify" && !$0.hasPrefix("--verify ") })
            joined.replaceSubrange(flag...(flag + 1), with: ["\(joined[flag])=\(joined[flag + 1])"])
            expectOneLineError(try Keysweep.run(joined), containing: message)
        }
    }

    /// `--jobs 100000` started ~32k threads and hung; it is capped, with a warning.
    @Test func hugeJobCountIsCapped() throws {
        let result = try Keysweep.run(["scan", "-", "--jobs", "100000"], stdin: Data("key \(Secrets.keyID)\n".utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("keysweep: warning: --jobs 100000 capped at 256"))
        #expect(result.stdout.contains(Secrets.keyID))
    }

    @Test func invalidRuleFileNamesTheFileAndRule() throws {
        let dir = TempDirectory()
        dir.write("rules/broken.toml", """
            [[rule]]
            id = "my-broken-rule"
            regex = '''(unclosed'''
            examples = ["x"]
            """)
        dir.write("target.txt", "hello\n")
        let result = try Keysweep.run(["scan", "--patterns", dir.file("rules"), dir.file("target.txt")])
        expectOneLineError(result, containing: "broken.toml: rule 'my-broken-rule': regex does not compile")

        dir.write("rules/broken.toml", "[[rule]\nid = ")
        expectOneLineError(try Keysweep.run(["scan", "--patterns", dir.file("rules"), dir.file("target.txt")]),
                           containing: "broken.toml:1:8: invalid TOML: expected ']]' to close the table header")
        expectOneLineError(try Keysweep.run(["scan", "--patterns", dir.file("nope"), dir.file("target.txt")]),
                           containing: "no such rules directory")
    }

    @Test func ruleFieldOfTheWrongTypeIsNamed() throws {
        // Read by KeySweepRuleFile, as the built-in rules are at build time: a value of the
        // wrong type is an error, not silently the default.
        let dir = TempDirectory()
        dir.write("target.txt", "hello\n")
        for (field, message) in [("entropy = \"high\"", "'entropy' must be a number"),
                                 ("caseless = \"yes\"", "'caseless' must be true or false"),
                                 ("description = 7", "'description' must be a string"),
                                 ("keywords = \"key\"", "'keywords' must be an array of strings"),
                                 ("keyword_window = 8", "'keyword_window' needs keywords")] {
            dir.write("rules/typed.toml", "[[rule]]\nid = \"typed\"\nregex = 'x'\nexamples = [\"x\"]\n\(field)\n")
            expectOneLineError(try Keysweep.run(["scan", "--patterns", dir.file("rules"), dir.file("target.txt")]),
                               containing: "typed.toml: rule 'typed': \(message)")
        }
    }

    @Test func helpAndVersionExitZero() throws {
        let help = try Keysweep.run(["scan", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--redact"))
        #expect(try Keysweep.run(["--version"]).status == 0)
    }
}

/// Names, authors and secrets come from whoever committed them: printed to a terminal, their
/// control characters are escapes, never commands, and a newline cannot forge a report line.
@Suite struct OutputForgeryTests {
    static func repoWithHostileNames() throws -> GitRepo {
        let repo = try GitRepo()
        try repo.commit("hostile", ["clear\u{1B}[2Jscreen\u{1B}]0;pwned\u{07}.env": "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n",
                                    "two\nfirst:    forged.txt:1": "token \(Secrets.githubToken)\n"])
        return repo
    }

    @Test func textReportInARealTerminalEscapesControlCharacters() throws {
        let repo = try Self.repoWithHostileNames()
        // script(1) gives keysweep a pseudo-terminal: colour on, as a person would see it.
        let result = try Run.process("/usr/bin/script", ["-qec", "\(Keysweep.binary) scan --no-color \(repo.path)", "/dev/null"])
        let out = result.stdout
        #expect(out.contains(Secrets.keyID))
        #expect(!out.contains("\u{1B}[2J") && !out.contains("\u{1B}]0;") && !out.contains("\u{07}"), "raw control sequence reached the terminal")
        #expect(out.contains("clear\\e[2Jscreen\\e]0;pwned\\x07.env"))
        #expect(out.contains("two\\nfirst:    forged.txt:1"))
        #expect(!out.split(separator: "\n").contains { $0.hasPrefix("first:    forged") }, "a file name forged a line")
    }

    @Test func githubAnnotationsEscapeControlCharacters() throws {
        let repo = try Self.repoWithHostileNames()
        let result = try Keysweep.run(["scan", repo.path, "--format", "github"])
        #expect(result.status == 1)
        #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{07}"))
        #expect(result.stdout.contains("clear\\e[2Jscreen"))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::") || $0.hasPrefix("keysweep: ") })
    }

    @Test func terminalTextEscapes() {
        #expect(TerminalText.escape("plain/path.txt") == "plain/path.txt")
        #expect(TerminalText.escape("a\u{1B}[31mb\tc\r\n\u{7F}\u{9B}\u{202E}d") == "a\\e[31mb\\tc\\r\\n\\x7F\\x9B\\u{202E}d")
    }
}
