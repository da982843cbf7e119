import Foundation
import Testing
@testable import KeySweep

/// Every input of the fuzz targets' corpora (Fuzz/corpus/: the seeds, and each input a fuzzer
/// found a problem with) run once through the same entry points `scripts/fuzz.sh` fuzzes, so a
/// problem fixed stays fixed without a fuzzing build.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/corpus").path

    static func inputs(_ target: String) throws -> [(name: String, data: Data)] {
        let directory = corpus + "/" + target
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map {
            ($0, try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)))
        }
    }

    @Test func contentCorpus() throws {
        let inputs = try Self.inputs("content")
        #expect(inputs.count > 100)
        var found = 0
        for input in inputs { found += input.data.withUnsafeBytes { FuzzTargets.scanContent($0) } }
        #expect(found > 50, "the seeds are the rules' examples: most hold a secret")
    }

    @Test func packIndexCorpus() throws {
        let inputs = try Self.inputs("pack-index")
        #expect(inputs.count >= 5)
        var read = 0
        for input in inputs { read += input.data.withUnsafeBytes { FuzzTargets.openPackIndex($0) } }
        #expect(read > 0, "the seeds are real packs: their objects read")
    }

    /// The files keysweep reads: each corpus holds valid files (read) and the inputs that
    /// aborted or trapped keysweep (`[?`, `e=[1,}`, reports with 2^63-1 or -1 shards), refused.
    @Test func ignoreFileCorpus() throws {
        let results = try Self.inputs("ignore-file").map { $0.data.withUnsafeBytes { FuzzTargets.readIgnoreFile($0) } }
        #expect(results.count >= 10)
        #expect(results.contains { $0 > 0 }, "a valid ignore file is among the seeds")
        #expect(results.filter { $0 < 0 }.count >= 8, "the malformed seeds are refused")
        #expect([Data("[?".utf8), Data("e=[1,}".utf8)].allSatisfy { seed in try! Self.inputs("ignore-file").contains { $0.data == seed } })
    }

    @Test func gitleaksConfigCorpus() throws {
        let results = try Self.inputs("gitleaks-config").map { $0.data.withUnsafeBytes { FuzzTargets.readGitleaksConfig($0) } }
        #expect(results.count >= 10)
        #expect(results.contains { $0 > 0 }, "a gitleaks configuration with a rule is among the seeds")
    }

    @Test func ruleFileCorpus() throws {
        let results = try Self.inputs("rule-file").map { $0.data.withUnsafeBytes { FuzzTargets.readRuleFile($0) } }
        #expect(results.filter { $0 > 0 }.count >= 40, "a rule file of each family of Patterns/")
        #expect(results.contains { $0 < 0 })
    }

    @Test func reportCorpus() throws {
        let results = try Self.inputs("report").map { ($0.name, $0.data.withUnsafeBytes { FuzzTargets.mergeReport($0) }) }
        #expect(results.count >= 8)
        #expect(results.contains { $0.1 > 0 }, "real reports merge")
        #expect(results.filter { $0.1 < 0 }.count >= 6, "the forged numbers and secret are refused: \(results)")
    }

    @Test func packInputSplitsBackIntoIndexAndPack() {
        let index = Data([1, 2, 3]), pack = Data([4, 5])
        let input = FuzzTargets.packInput(index: index, pack: pack)
        let split = input.withUnsafeBytes { FuzzTargets.splitPackInput($0) }
        #expect(split.index == index && split.pack == pack)
    }
}
