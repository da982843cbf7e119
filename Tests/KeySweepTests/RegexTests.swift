import Foundation
import Synchronization
import Testing
@testable import KeySweep

@Suite struct RegexTests {
    /// Each alternative may name its own `secret` group: the one that took part is the secret.
    @Test func theSecretIsWhicheverSecretGroupMatched() throws {
        let regex = try Regex(#"id=(?<secret>\d{4})|name="(?<secret>[a-z]+)"|(token)"#)
        #expect(regex.secretGroups == [1, 2])
        let text = Array(#"x id=1234 y name="abc" z token"#.utf8)
        var secrets: [String] = []
        text.withUnsafeBytes { raw in
            regex.forEachMatch(in: raw, scratch: MatchScratch(maxCaptures: regex.captureCount)) { _, secret in
                secrets.append(secret.map { String(decoding: text[$0], as: UTF8.self) } ?? "-")
            }
        }
        #expect(secrets == ["1234", "abc", "-"])
    }

    /// The JIT compile waits for the first search, and first searches from many threads at once
    /// (workers meeting a rule's keyword together) compile once and all find the same matches.
    @Test func firstSearchesFromManyThreadsAgree() throws {
        let regex = try Regex(#"AKIA[A-Z2-7]{16}"#)
        #expect(!regex.hasSearched)
        let text = Array(String(repeating: "x AKIAZAVB57H55F3T4BKH y ", count: 2000).utf8)
        let counts = Mutex([Int]())
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            var found = 0
            text.withUnsafeBytes { raw in
                regex.forEachMatch(in: raw, scratch: MatchScratch(maxCaptures: regex.captureCount)) { _, _ in found += 1 }
            }
            counts.withLock { $0.append(found) }
        }
        #expect(regex.hasSearched)
        #expect(counts.withLock { $0 } == Array(repeating: 2000, count: 8))
    }

    @Test func withoutANamedGroupTheFirstGroupOrTheMatchIsTheSecret() throws {
        #expect(try Regex(#"key=(\w+)"#).secretGroup == 1)
        #expect(try Regex(#"key=\w+"#).secretGroup == 0)
    }
}

@Suite struct ByteSearchTests {
    /// The vector count equals a plain count, at every alignment and length, and past the
    /// blocks after which its per-lane byte counters are summed (a run of the byte only).
    @Test func countEqualsAPlainCount() {
        var generator = SystemRandomNumberGenerator()
        let run = [UInt8](repeating: 0x0A, count: 20_000)
        run.withUnsafeBufferPointer { #expect(ByteSearch.count(0x0A, in: $0, 3..<19_999) == 19_996) }
        for round in 0..<300 {
            let length = round % 10 == 0 ? Int.random(in: 4_000...12_000, using: &generator) : Int.random(in: 0...100, using: &generator)
            let bytes = (0..<length).map { _ in
                [UInt8(0x0A), 0x0A, 0x00, 0xFF, 0x8A, 0x0B, 0x09, 0x41].randomElement(using: &generator)!
            }
            let start = Int.random(in: 0...bytes.count, using: &generator)
            let end = Int.random(in: start...bytes.count, using: &generator)
            for byte: UInt8 in [0x0A, 0x00, 0xFF, 0x8A] {
                let expected = bytes[start..<end].filter { $0 == byte }.count
                bytes.withUnsafeBufferPointer { #expect(ByteSearch.count(byte, in: $0, start..<end) == expected) }
            }
        }
    }

    /// Common prefix and suffix lengths, found eight bytes at a time, equal a byte-by-byte
    /// count: the first difference at every offset inside and across the eight-byte words.
    @Test func commonPrefixAndSuffixEqualAPlainCount() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let a = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator) }
            var b = a
            if !b.isEmpty && Bool.random(using: &generator) { b[Int.random(in: 0..<b.count, using: &generator)] ^= 0x80 }
            if Bool.random(using: &generator) { b.insert(0x07, at: Int.random(in: 0...b.count, using: &generator)) }
            let prefix = zip(a, b).prefix { $0 == $1 }.count
            let suffix = zip(a.reversed(), b.reversed()).prefix { $0 == $1 }.count
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    #expect(ByteSearch.commonPrefix(pa, pb) == prefix)
                    #expect(ByteSearch.commonSuffix(pa, pb) == suffix)
                }
            }
        }
    }
}
