import Foundation
import Testing
@testable import KeySweep

/// Dates written into reports read back to the same second, by the hand-written reader and by
/// Foundation's ISO 8601 parser alike.
@Suite struct GitDateTests {
    @Test func writtenDatesReadBackToTheSameSecond() {
        var generator = SystemRandomNumberGenerator()
        let zones = ["+0000", "+0200", "-0700", "+0530", "-0930", "+1400", "-1200"]
        let formatter = ISO8601DateFormatter()
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 0...4_102_444_800, using: &generator)
            let text = GitDate.iso8601(seconds, zone: zones.randomElement(using: &generator)!)
            #expect(GitDate.seconds(iso8601: text) == seconds, "\(text)")
            #expect(formatter.date(from: text).map { Int64($0.timeIntervalSince1970) } == seconds, "\(text)")
        }
        #expect(GitDate.seconds(iso8601: "2026-11-22T08:49:21Z") == 1_795_337_361)
        for bad in ["", "2026-13-22T08:49:21Z", "not a date"] {
            #expect(GitDate.seconds(iso8601: bad) == nil, "\(bad)")
        }
    }
}
