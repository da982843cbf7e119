import Foundation
import Testing

/// A value assigned to a name a provider rule claims (`claims_names`) is that provider's to
/// judge: when the provider's rule does not find it (no bot id, no `AA`), the catch-all rules do
/// not report it either. The same value under another name is still a generic secret.
@Suite struct ClaimedNamesTests {
    static let malformed = "6119:Arkwlitokgwgp-bantuf4_uv17d5skqda7q"

    @Test func aValueNamedForTelegramThatIsNoBotTokenIsNotReported() throws {
        let (_, named) = try Keysweep.scanJSON(["-"], stdin: Data("telegram_api_token = \"\(Self.malformed)\"\n".utf8))
        #expect(named.findings.isEmpty)
        let (_, other) = try Keysweep.scanJSON(["-"], stdin: Data("chat_api_token = \"\(Self.malformed)\"\n".utf8))
        #expect(other.findings.map(\.rule) == ["generic-secret"])
        let real = "863693061:AAQT63cIA7vkOIYffUXIUean403qOS00NtR"
        let (_, bot) = try Keysweep.scanJSON(["-"], stdin: Data("telegram_api_token = \"\(real)\"\n".utf8))
        #expect(bot.findings.map(\.rule) == ["telegram-bot-token-named"])
    }
}
