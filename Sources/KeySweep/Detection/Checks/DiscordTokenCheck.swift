/// A Discord bot token's first segment is the bot's user id (a 17-20 digit snowflake) in
/// base64, so it must decode to digits only.
struct DiscordTokenCheck: SecretCheck {
    static let name = "discord-token"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let dot = secret.firstIndex(of: UInt8(ascii: ".")),
              let id = Base64.decode(secret[..<dot]) else { return false }
        return (17...20).contains(id.count) && id.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}
