import Foundation
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

    @Test func withoutANamedGroupTheFirstGroupOrTheMatchIsTheSecret() throws {
        #expect(try Regex(#"key=(\w+)"#).secretGroup == 1)
        #expect(try Regex(#"key=\w+"#).secretGroup == 0)
    }
}

@Suite struct ByteSearchTests {
    /// The eight-bytes-at-a-time count equals a plain count, at every alignment and length.
    @Test func countEqualsAPlainCount() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...100, using: &generator)).map { _ in
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
}
