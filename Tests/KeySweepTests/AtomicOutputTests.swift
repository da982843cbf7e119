import Foundation
import Testing
@testable import KeySweep

/// `-o FILE` is all or nothing: a process killed mid-write leaves the previous report or the
/// new one, never half of one; what is not a regular file is still written in place.
@Suite struct AtomicOutputTests {
    /// A report of `count` findings, each a distinct AWS key id with a matching id, made from a
    /// real report (its rules and version) so `merge` takes it.
    static func bigReport(count: Int, in dir: TempDirectory) throws -> String {
        let small = try Keysweep.run(["scan", "-", "--format", "json"], stdin: Data("AWS_ACCESS_KEY_ID=\(Secrets.keyID)\n".utf8))
        var object = try #require(try JSONSerialization.jsonObject(with: small.stdoutData) as? [String: Any])
        let template = try #require((object["findings"] as? [[String: Any]])?.first)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        object["findings"] = (0..<count).map { n -> [String: Any] in
            var secret = "AKIA"
            var value = n
            for _ in 0..<16 { secret.append(alphabet[value % 32]); value /= 32 }
            var finding = template
            finding["secret"] = secret
            finding["id"] = Fingerprint.findingID(rule: "aws-access-key-id", secret: secret)
            finding.removeValue(forKey: "aws")
            return finding
        }
        let path = dir.file("big.json")
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Killed with SIGKILL as soon as the write began (and a little later), `merge -o` left
    /// invalid JSON where the previous report was, every time; now the previous report stays.
    @Test func aReportKilledMidWriteLeavesThePreviousOne() throws {
        let dir = TempDirectory()
        let big = try Self.bigReport(count: 30_000, in: dir)
        let output = dir.file("out/report.json")
        try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
        let previous = try Keysweep.run(["merge", big, "--format", "json"]).stdoutData
        #expect(try JSONSerialization.jsonObject(with: previous) is [String: Any])
        for (delay, signal) in [(0, SIGKILL), (20_000, SIGKILL), (100_000, SIGKILL), (20_000, SIGTERM), (50_000, SIGINT)] {
            try previous.write(to: URL(fileURLWithPath: output))
            let before = try FileManager.default.attributesOfItem(atPath: output)[.modificationDate] as? Date
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Keysweep.binary)
            process.arguments = ["merge", big, "--format", "json", "-o", output]
            process.environment = ["XDG_STATE_HOME": Keysweep.stateHome, "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The write begins when a file appears beside the report or the report changes.
            var began = false
            while process.isRunning && !began {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.file("out"))) ?? []
                let modified = (try? FileManager.default.attributesOfItem(atPath: output)[.modificationDate] as? Date) ?? nil
                began = names.count > 1 || modified != before || (try? Data(contentsOf: URL(fileURLWithPath: output))).map { $0.count != previous.count } ?? true
                if !began { usleep(500) }
            }
            #expect(began, "the merge ended before it wrote (delay \(delay))")
            usleep(useconds_t(delay))
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            let left = try Data(contentsOf: URL(fileURLWithPath: output))
            #expect((try? JSONSerialization.jsonObject(with: left)) is [String: Any],
                    "a broken report was left (\(left.count) bytes, delay \(delay) µs, signal \(signal))")
            let beside = try FileManager.default.contentsOfDirectory(atPath: dir.file("out"))
            if signal == SIGKILL {
                // Nothing can remove the temporary file of a process killed outright.
                for name in beside where name != "report.json" { try FileManager.default.removeItem(atPath: dir.file("out/" + name)) }
            } else {
                #expect(beside == ["report.json"], "interrupted by signal \(signal), the temporary file is removed")
            }
        }
    }

    @Test func notRegularFilesAreWrittenInPlaceAndLinksStayLinks() throws {
        let dir = TempDirectory()
        // /dev/null stays /dev/null.
        try OutputFile.write("x\n", to: "/dev/null")
        var info = stat()
        #expect(stat("/dev/null", &info) == 0 && info.st_mode & S_IFMT == S_IFCHR)
        // A FIFO is written to, not replaced.
        let fifo = dir.file("pipe")
        #expect(mkfifo(fifo, 0o600) == 0)
        // Read to the end with plain read(2) (Data(contentsOf:) may close a FIFO before the
        // writer has written, which would kill this process with SIGPIPE).
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while read(fd, &buffer, buffer.count) > 0 {}
            close(fd)
        }
        reader.start()
        try OutputFile.write("through the pipe\n", to: fifo)
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        // A symbolic link (relative, through another) stays a link; its target gets the report, mode kept.
        try FileManager.default.createDirectory(atPath: dir.file("reports"), withIntermediateDirectories: true)
        dir.write("reports/real.json", "old\n")
        chmod(dir.file("reports/real.json"), 0o640)
        #expect(symlink("reports/real.json", dir.file("middle")) == 0)
        #expect(symlink("middle", dir.file("latest.json")) == 0)
        try OutputFile.write("new\n", to: dir.file("latest.json"))
        #expect(lstat(dir.file("latest.json"), &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try String(contentsOfFile: dir.file("reports/real.json"), encoding: .utf8) == "new\n")
        #expect(stat(dir.file("reports/real.json"), &info) == 0 && info.st_mode & 0o7777 == 0o640)
        // A dangling link creates its target.
        #expect(symlink("reports/made.json", dir.file("dangling")) == 0)
        try OutputFile.write("made\n", to: dir.file("dangling"))
        #expect(try String(contentsOfFile: dir.file("reports/made.json"), encoding: .utf8) == "made\n")
        // Nothing is left beside the reports.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("reports")).sorted() == ["made.json", "real.json"])
        // A write that fails leaves the previous file and no temporary one.
        struct Stop: Error {}
        #expect(throws: Stop.self) { try OutputFile.stream(to: dir.file("reports/real.json")) { write in try write(Array("half".utf8)); throw Stop() } }
        #expect(try String(contentsOfFile: dir.file("reports/real.json"), encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("reports")).sorted() == ["made.json", "real.json"])
    }
}
