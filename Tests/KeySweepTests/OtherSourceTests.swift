import Foundation
import Testing
@testable import KeySweep

@Suite struct OtherSourceTests {
    @Test func stdinIsScanned() throws {
        let input = "line one\nexport AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"
        let (result, report) = try Keysweep.scanJSON(["-"], stdin: Data(input.utf8))
        #expect(result.status == 1)
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.path == "-")
        #expect(finding.first.line == 2)
        #expect(finding.first.commit == nil)
    }

    @Test func inputLargerThanAChunkFindsSecretsOnTheBoundaries() throws {
        // Standard input and a large named file are both read in chunks: place secrets across
        // the first two boundaries and at the very end.
        let chunk = Chunking.size
        var data = Data(repeating: UInt8(ascii: "x"), count: 3 * chunk)
        for i in stride(from: 1000, to: data.count, by: 1000) { data[i] = 0x0A }
        let secret = Data(" \(Secrets.keyID) ".utf8)
        for offset in [chunk - 10, 2 * chunk - 5, data.count - secret.count] {
            data.replaceSubrange(offset..<(offset + secret.count), with: secret)
        }
        data.append(Data("\n\(Secrets.githubToken)\n".utf8))
        let lines = [chunk - 10, 2 * chunk - 5, data.count - secret.count - Secrets.githubToken.count - 2].map { offset in
            data[..<offset].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        }
        let dir = TempDirectory("keysweep-chunks")
        try data.write(to: URL(fileURLWithPath: dir.file("big.log")))
        // Chunks are scanned by several workers at once: each must know its first line.
        for jobs in ["1", "2", "3"] {
            for (target, input) in [("-", data), (dir.file("big.log"), nil)] {
                // --max-size below the file's size: read in chunks (whole, it would be one blob).
                let (_, report) = try Keysweep.scanJSON([target, "--jobs", jobs, "--max-size", "1M"], stdin: input)
                let finding = try #require(report.finding(secret: Secrets.keyID))
                #expect(finding.occurrences.map(\.line) == lines, "\(target), \(jobs) jobs")
                #expect(finding.first.path == target)
                #expect(report.finding(secret: Secrets.githubToken)?.first.line == lines[2] + 1)
                #expect(report.stats.bytes == data.count)
            }
        }
    }

    @Test func decodingsDeepInALargeFileKeepTheirLines() throws {
        // Decodings run only on the lines around key id and token keywords: a base64 Kubernetes
        // Secret and a JSON-escaped pair 2 MB into a file of ordinary text must still be found,
        // paired, and placed on their own lines.
        let id1 = FakeAWS.keyID(), secret1 = FakeAWS.secret()
        let id2 = FakeAWS.keyID(), secret2 = Secrets.secretKey   // holds a `/` to escape
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        let filler = String(repeating: "static int parse_token(const char *key, size_t len); /* tokens */\n", count: 30_000)
        let escaped = secret2.replacingOccurrences(of: "/", with: "\\/")
        let text = filler
            + "data:\n  AWS_ACCESS_KEY_ID: \(b64(id1))\n  AWS_SECRET_ACCESS_KEY: \(b64(secret1))\n"
            + filler
            + "{\"AccessKeyId\": \"\(id2)\", \"SecretAccessKey\": \"\(escaped)\"}\n"
            + filler
        let dir = TempDirectory("keysweep-large")
        try text.write(toFile: dir.file("big.txt"), atomically: false, encoding: .utf8)
        let (_, report) = try Keysweep.scanJSON([dir.file("big.txt")])
        let first = try #require(report.finding(secret: id1))
        #expect(first.first.line == 30_002)
        #expect(first.occurrences.first?.decoding == "base64")
        #expect(first.aws?.paired_secret == report.finding(secret: secret1)?.id)
        let second = try #require(report.finding(secret: id2))
        #expect(second.first.line == 60_004)
        #expect(second.aws?.paired_secret == report.finding(secret: secret2)?.id)
        #expect(report.finding(secret: secret2)?.first.line == 60_004)
    }

    @Test func aFileNamedAsATargetIsScannedWhateverItsSize() throws {
        // --max-size skips large files met in a directory; a file the user names is read in
        // chunks instead, however large (a 156 MB log must not come back "nothing found").
        let dir = TempDirectory("keysweep-big")
        let text = String(repeating: "an ordinary log line\n", count: 2000) + "AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n"
        dir.write("logs/big.log", text)
        var binary = Data(repeating: 0, count: 4096)
        binary.append(Data("AWS_ACCESS_KEY_ID=\(Secrets.keyID2)\n".utf8))
        dir.write("logs/big.bin", binary)

        let (result, direct) = try Keysweep.scanJSON([dir.file("logs/big.log"), "--max-size", "1K"])
        #expect(result.status == 1)
        let finding = try #require(direct.finding(secret: Secrets.keyID))
        #expect(finding.first.path == dir.file("logs/big.log"))
        #expect(finding.first.line == 2001)
        #expect(direct.stats.skipped_large == 0)
        #expect(direct.stats.bytes == text.utf8.count)

        let (binaryResult, binaryReport) = try Keysweep.scanJSON([dir.file("logs/big.bin"), "--max-size", "1K"])
        #expect(binaryResult.status == 0)
        #expect(binaryReport.stats.skipped_binary == 1)

        let (_, viaDirectory) = try Keysweep.scanJSON([dir.path, "--max-size", "1K"])
        #expect(viaDirectory.findings.isEmpty)
        #expect(viaDirectory.stats.skipped_large == 2)
    }

    @Test func rulesInSubfoldersOfThePatternsDirectoryAreLoaded() throws {
        // --patterns DIR takes every *.toml under DIR, laid out as Patterns/ is.
        let rules = TempDirectory("keysweep-rules")
        rules.write("acme/acme-deploy-token.toml", """
            [[rule]]
            id = "acme-deploy-token"
            description = "Acme deploy token"
            regex = '''(?<secret>acme_[a-z0-9]{24})'''
            keywords = ["acme_"]
            confidence = "high"
            examples = ["acme_q7w2k9x4m1z8r5t3v6y0ab12"]
            """)
        rules.write("acme/README.md", "not a rule file\n")
        let input = "deploy with acme_q7w2k9x4m1z8r5t3v6y0ab12\n"
        let (result, report) = try Keysweep.scanJSON(["-", "--patterns", rules.path], stdin: Data(input.utf8))
        #expect(result.status == 1)
        #expect(report.findings(rule: "acme-deploy-token").count == 1)
        let listed = try Keysweep.run(["rules", "--patterns", rules.path])
        #expect(listed.stdout.contains("acme-deploy-token"))
    }

    @Test func stdinWithInvalidUTF8IsScannedAsBytes() throws {
        var data = Data([0xFF, 0xFE, 0xC3, 0x28, 0x0A])
        data.append(Data("key=\(Secrets.keyID)\n".utf8))
        data.append(Data([0xE2, 0x82]))
        let (result, report) = try Keysweep.scanJSON(["-"], stdin: data)
        #expect(result.status == 1)
        #expect(report.finding(secret: Secrets.keyID)?.first.line == 2)
    }

    @Test func stdinWithNULBytesIsRefusedUnlessAsked() throws {
        var data = Data("key=\(Secrets.keyID)\n".utf8)
        data.append(contentsOf: [0, 1, 2, 0])
        let refused = try Keysweep.run(["scan", "-"], stdin: data)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("keysweep: standard input is binary"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        let (result, report) = try Keysweep.scanJSON(["-", "--include-binary"], stdin: data)
        #expect(result.status == 1)
        #expect(report.finding(secret: Secrets.keyID) != nil)
    }

    @Test func plainDirectorySkipsDotGitAndBinaryAndLargeFiles() throws {
        let dir = TempDirectory()
        dir.write("app/settings.py", "AWS_ACCESS_KEY_ID = '\(Secrets.keyID)'\n")
        dir.write(".git/config", "token = \(Secrets.githubToken)\n") // not a repository, but .git/ is skipped
        var binary = Data([0x7F, 0x45, 0x4C, 0x46, 0x00])
        binary.append(Data(" \(Secrets.keyID2) ".utf8))
        dir.write("bin/tool", binary)
        dir.write("big/dump.txt", String(repeating: "a", count: 2000) + " \(Secrets.secretKey2) aws_secret_access_key=\(Secrets.secretKey2)\n")

        let (result, report) = try Keysweep.scanJSON([dir.path, "--max-size", "1K"])
        #expect(result.status == 1)
        #expect(report.findings.count == 1)
        let finding = try #require(report.finding(secret: Secrets.keyID))
        #expect(finding.first.path == dir.path + "/app/settings.py")
        #expect(finding.in_head == true)
        #expect(report.stats.skipped_binary == 1)
        #expect(report.stats.skipped_large == 1)
        #expect(report.stats.files == 3)   // a file skipped as too large is counted, as a blob is

        let (_, all) = try Keysweep.scanJSON([dir.path, "--include-binary"])
        #expect(all.finding(secret: Secrets.keyID2) != nil)
        #expect(all.finding(secret: Secrets.secretKey2) != nil)
        #expect(all.finding(secret: Secrets.githubToken) == nil)
    }

    @Test func singleFile() throws {
        let dir = TempDirectory()
        dir.write("notes.txt", "\n\n\(Secrets.githubToken)\n")
        let (_, report) = try Keysweep.scanJSON([dir.file("notes.txt")])
        #expect(report.finding(secret: Secrets.githubToken)?.first.line == 3)
    }

    @Test func outputFileAndTextFormat() throws {
        let dir = TempDirectory()
        dir.write("in/creds", Secrets.credentials())
        let out = dir.file("report.txt")
        let result = try Keysweep.run(["scan", dir.file("in"), "--output", out])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("aws-access-key-id  \(Secrets.keyID)  [high]"))
        #expect(text.contains("account 619888638459"))
        #expect(!text.contains("\u{1B}["), "no colour when not a terminal")
        let redacted = try Keysweep.run(["scan", dir.file("in"), "--redact"])
        #expect(redacted.stdout.contains("aws-access-key-id  \(Secrets.keyID)  [high]"), "a key id is not secret")
        #expect(!redacted.stdout.contains(Secrets.secretKey))
    }
}

@Suite struct OutputFileTests {
    /// A report written through a symbolic link (or to /dev/null, a FIFO) goes through it: the
    /// path is never replaced by a new regular file.
    @Test func outputThroughASymbolicLinkKeepsTheLink() throws {
        let dir = TempDirectory()
        dir.write("in/creds", Secrets.credentials())
        dir.write("real.json", "old\n")
        try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: dir.file("real.json"))
        let result = try Keysweep.run(["scan", dir.file("in"), "--format", "json", "--output", dir.file("link.json")])
        #expect(result.status == 1)
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.file("link.json"))
        #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
        #expect(try String(contentsOfFile: dir.file("real.json"), encoding: .utf8).contains(Secrets.keyID))
    }

    @Test func unwritableOutputIsAOneLineError() throws {
        let dir = TempDirectory()
        dir.write("in/creds", Secrets.credentials())
        let result = try Keysweep.run(["scan", dir.file("in"), "--output", dir.file("no/such/dir/report.txt")])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("keysweep: cannot write"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

@Suite struct EmbeddedRulesTests {
    /// The default rules are compiled into the binary: a copy run from an unrelated directory,
    /// with no Patterns/ anywhere near it, has them all.
    @Test func binaryCarriesItsRulesFromAnyDirectory() throws {
        let dir = TempDirectory()
        let copy = dir.file("keysweep")
        try FileManager.default.copyItem(atPath: Keysweep.binary, toPath: copy)
        let result = try Run.process(copy, ["rules"], cwd: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("aws-access-key-id\thigh"))
        #expect(result.stdout.split(separator: "\n").count > 40)
        let scan = try Run.process(copy, ["scan", "-"], cwd: dir.path, stdin: Data("id \(Secrets.keyID)\n".utf8))
        #expect(scan.status == 1)
    }
}
