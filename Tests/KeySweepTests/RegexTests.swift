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
