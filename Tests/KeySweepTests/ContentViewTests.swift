import Foundation
import Testing
@testable import KeySweep

/// Text that git's tests and rules' boundaries misread: a coloured log line (a key right after
/// `ESC [ 0 m`) and NUL-separated text (`/proc/PID/environ`, `env -0`). Found from files and
/// from standard input, at the lines of the content as written, the pair paired.
@Suite struct ContentViewTests {
    static let escape = "\u{1B}"

    static let colouredLog = """
        2026-12-07T09:00:00Z \(escape)[32mINFO\(escape)[0m starting worker
        2026-12-07T09:00:01Z \(escape)[33mDEBUG\(escape)[0m env: id=\(escape)[0m\(Secrets.keyID)\(escape)[0m secret=\(escape)[1;31m\(Secrets.secretKey)\(escape)[0m
        2026-12-07T09:00:02Z \(escape)[36mDEBUG\(escape)[0m token \(escape)[32m\(Secrets.githubToken)\(escape)[0m
        \(escape)]0;title\u{07}done

        """

    static func expectColouredLogFound(_ report: Report) throws {
        let id = try #require(report.finding(secret: Secrets.keyID))
        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(id.first.line == 2)
        #expect(secret.first.line == 2)
        #expect(id.aws?.paired_secret == secret.id)
        #expect(report.finding(secret: Secrets.githubToken)?.first.line == 3)
    }

    @Test func keysRightAfterTerminalColourCodesAreFound() throws {
        let dir = TempDirectory("keysweep-ansi")
        dir.write("worker.log", Self.colouredLog)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        try Self.expectColouredLogFound(report)
        #expect(report.finding(secret: Secrets.keyID)?.first.path.hasSuffix("worker.log") == true)

        let (_, piped) = try Keysweep.scanJSON(["-"], stdin: Data(Self.colouredLog.utf8))
        try Self.expectColouredLogFound(piped)

        // The text report never prints the escapes it read.
        let text = try Keysweep.run(["scan", dir.path])
        #expect(!text.stdout.contains(Self.escape))
    }

    static let environ: Data = {
        let entries = ["HOSTNAME=worker-7", "AWS_ACCESS_KEY_ID=\(Secrets.keyID)", "AWS_SECRET_ACCESS_KEY=\(Secrets.secretKey)",
                       "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/root"]
        return Data(entries.joined(separator: "\0").utf8 + [0])
    }()

    static func expectEnvironFound(_ report: Report) throws {
        let id = try #require(report.finding(secret: Secrets.keyID))
        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(id.aws?.paired_secret == secret.id)
        // One entry a line.
        #expect(id.first.line == 2)
        #expect(secret.first.line == 3)
        #expect(report.stats.skipped_binary == 0)
    }

    @Test func nulSeparatedEnvironmentIsText() throws {
        let dir = TempDirectory("keysweep-environ")
        dir.write("proc/4242/environ", Self.environ)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        try Self.expectEnvironFound(report)

        let (result, piped) = try Keysweep.scanJSON(["-"], stdin: Self.environ)
        #expect(result.status == 1, "\(result.stderr)")
        try Self.expectEnvironFound(piped)
    }

    /// A binary with NUL runs and other control bytes is not NUL-separated text: still skipped.
    @Test func binariesAreNotNULSeparatedText() throws {
        let dir = TempDirectory("keysweep-not-environ")
        var binary = Data("AWS_ACCESS_KEY_ID=\(Secrets.keyID)".utf8)
        binary.append(contentsOf: [0, 0, 0, 1, 0x7F, 0])
        dir.write("blob.bin", binary)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        #expect(report.findings.isEmpty)
        #expect(report.stats.skipped_binary == 1)
    }

    /// The table-driven test agrees with the plain definition (entries of at least two text
    /// bytes between single NULs), on random bytes drawn mostly from text, NUL and a few controls.
    @Test func nulSeparatedTextAgreesWithItsDefinition() {
        func reference(_ bytes: [UInt8]) -> Bool {
            guard bytes.contains(0) else { return false }
            var entry = 0
            for byte in bytes {
                switch byte {
                case 0:
                    guard entry >= NULSeparatedText.minimumEntry else { return false }
                    entry = 0
                    continue
                case 0x09, 0x0A, 0x0D, 0x1B, 0x20...0x7E, 0x80...0xFF: break
                default: return false
                }
                entry += 1
            }
            return true
        }
        var random = SplitMix64(seed: 11)
        let alphabet: [UInt8] = Array("AB=x \n\t".utf8) + [0, 0, 0x1B, 0xC3, 0x7F, 0x01]
        for length in [0, 1, 2, 3, 5, 9, 40, 300] {
            for _ in 0..<300 {
                let bytes = (0..<length).map { _ in alphabet[random.below(alphabet.count)] }
                let found = bytes.withUnsafeBytes { NULSeparatedText.matches($0) }
                #expect(found == reference(bytes), "\(bytes)")
            }
        }
        // Every byte value, in the 32-byte blocks, in the tail after them, and past the 127
        // blocks after which the per-lane counts are summed; and long entries whose only
        // fault is one short entry far in (the lengths are checked first).
        let entry = Array("KEY=value-of-some-length/0123456789abcdef".utf8)
        let environ = Array(Array(repeating: entry, count: 120).joined(separator: [0]))
        for byte in 0...255 {
            for position in [5, 33, environ.count - 3, 4_100, environ.count - 40] where environ[position] != 0 {
                var bytes = environ
                bytes[position] = UInt8(byte)
                let found = bytes.withUnsafeBytes { NULSeparatedText.matches($0) }
                #expect(found == reference(bytes), "byte \(byte) at \(position)")
            }
        }
        for position in [1, 200, 3_000, environ.count - 2] {
            var bytes = environ
            bytes.insert(0, at: position)
            bytes.insert(0, at: position)
            let found = bytes.withUnsafeBytes { NULSeparatedText.matches($0) }
            #expect(found == reference(bytes), "NUL pair at \(position)")
        }
    }

    /// One view per worker: the copy of a content with an ESC reuses the storage of the last
    /// (a fresh array per 2 MiB chunk cost a page fault per 4 KiB), and storage past
    /// `keptCapacity` is let go once its content is read. The view is the same either way.
    @Test func viewStorageIsReusedAndBounded() {
        func coloured(_ size: Int) -> [UInt8] {
            var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: size)
            bytes.replaceSubrange(100..<104, with: Array("\(Self.escape)[0m".utf8))
            return bytes
        }
        var view = ContentView()
        let first = coloured(1 << 20), second = coloured(1 << 20)
        let firstAddress = first.withUnsafeBytes { bytes in view.read(bytes) { $0.baseAddress } }
        let secondAddress = second.withUnsafeBytes { bytes in
            view.read(bytes) { read -> UnsafeRawPointer? in
                #expect(read.baseAddress != bytes.baseAddress)
                #expect(Array(read[98..<106]) == Array("aa    aa".utf8))
                return read.baseAddress
            }
        }
        #expect(firstAddress == secondAddress)
        #expect(view.storageCapacity >= 1 << 20)

        let large = coloured(ContentView.keptCapacity + 1)
        large.withUnsafeBytes { bytes in view.read(bytes) { #expect($0.count == bytes.count) } }
        #expect(view.storageCapacity == 0)

        // Content without an ESC or NUL is read as it is.
        let plain = [UInt8](repeating: UInt8(ascii: "b"), count: 1_000)
        plain.withUnsafeBytes { bytes in view.read(bytes) { #expect($0.baseAddress == bytes.baseAddress) } }
    }
}
