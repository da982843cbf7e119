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

    @Test func packInputSplitsBackIntoIndexAndPack() {
        let index = Data([1, 2, 3]), pack = Data([4, 5])
        let input = FuzzTargets.packInput(index: index, pack: pack)
        let split = input.withUnsafeBytes { FuzzTargets.splitPackInput($0) }
        #expect(split.index == index && split.pack == pack)
    }
}
